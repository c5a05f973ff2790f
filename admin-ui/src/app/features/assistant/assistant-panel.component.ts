import { A11yModule } from '@angular/cdk/a11y';
import { TextFieldModule } from '@angular/cdk/text-field';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  computed,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { AssistantAnswerComponent } from './assistant-answer.component';
import { AssistantStore, MAX_QUESTION_LENGTH, MIN_QUESTION_LENGTH } from './assistant.store';

/** Questions the documentation answers well, to show what the assistant is for. */
export const EXAMPLE_QUESTIONS: readonly string[] = [
  'How do API keys work?',
  'How do I add a user and choose their role?',
  'What does the System status page show?',
  'Why does readiness answer 503?',
];

/** Room left above the latest question when it is scrolled to the top of the conversation. */
const QUESTION_TOP_GAP_PX = 12;

/**
 * The assistant's panel: a side sheet beside the page on a desktop (the page stays usable,
 * so it is a non-modal dialog), the whole screen on a phone (modal, focus kept inside).
 */
@Component({
  selector: 'app-assistant-panel',
  imports: [
    A11yModule,
    AssistantAnswerComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatTooltipModule,
    RouterLink,
    TextFieldModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './assistant-panel.component.html',
  styleUrl: './assistant-panel.component.scss',
  host: { '[class.full-screen]': 'fullScreen()' },
})
export class AssistantPanelComponent {
  protected readonly store = inject(AssistantStore);
  private readonly injector = inject(Injector);
  protected readonly examples = EXAMPLE_QUESTIONS;
  protected readonly maxLength = MAX_QUESTION_LENGTH;

  readonly fullScreen = input(false);
  /** Close button or Escape. */
  readonly closeRequested = output();
  /** A link in the panel led to a console page. */
  readonly navigated = output();

  private readonly dialog = viewChild.required<ElementRef<HTMLElement>>('dialog');
  private readonly log = viewChild.required<ElementRef<HTMLElement>>('log');
  private readonly question = viewChild.required<ElementRef<HTMLTextAreaElement>>('question');

  protected readonly length = computed(() => this.store.draft().length);
  protected readonly tooShort = computed(() => this.store.draft().trim().length < MIN_QUESTION_LENGTH);
  /** What a screen reader hears about the answer: its start and its end, not every word in between. */
  protected readonly announcement = computed(() => {
    const last = this.store.exchanges().at(-1);
    switch (last?.state) {
      case 'streaming':
        return 'The assistant is answering…';
      case 'done':
        return last.provider === 'local' ? 'Answer ready, from the local documentation.' : 'Answer ready.';
      case 'failed':
        return `The answer failed: ${last.error ?? ''}`;
      case 'stopped':
        return 'Answer stopped.';
      default:
        return '';
    }
  });

  private shownExchanges = 0;
  private wasStreaming = false;

  constructor() {
    afterNextRender(() => this.focusQuestion());

    afterRenderEffect({
      write: () => {
        const count = this.store.exchanges().length;
        const streaming = this.store.streaming();
        if (count !== this.shownExchanges) {
          this.showLatestQuestion();
          this.shownExchanges = count;
        }
        const active = this.document().activeElement;
        const focusLost = !active || active === this.document().body;
        if (this.wasStreaming && !streaming && (focusLost || active.closest('.composer-stop'))) {
          // The answer is done (the Stop button is gone): back to the question box.
          this.focusQuestion();
        } else if (!this.wasStreaming && streaming && focusLost) {
          // The question box is disabled while the answer streams: keep the focus in the panel.
          this.dialog().nativeElement.querySelector<HTMLElement>('.composer-stop')?.focus();
        }
        this.wasStreaming = streaming;
      },
    });
  }

  protected onInput(event: Event): void {
    this.store.draft.set((event.target as HTMLTextAreaElement).value);
  }

  /** Enter sends; Shift+Enter makes a new line; Enter that confirms an IME composition does neither. */
  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    }
  }

  protected send(event?: Event): void {
    event?.preventDefault();
    if (this.tooShort()) {
      return;
    }
    void this.store.ask(this.store.draft());
  }

  protected askExample(question: string): void {
    void this.store.ask(question);
  }

  protected newThread(): void {
    this.store.newThread();
    afterNextRender(() => this.focusQuestion(), { injector: this.injector });
  }

  protected onEscape(event: Event): void {
    event.stopPropagation();
    this.closeRequested.emit();
  }

  /**
   * A new question goes to the top of the conversation and its answer is written below it,
   * so the reader starts at the beginning of the answer (not at its end, as a chat that
   * follows the last line would).
   */
  private showLatestQuestion(): void {
    const log = this.log().nativeElement;
    const rows = log.querySelectorAll<HTMLElement>('.question-row');
    const latest = rows.item(rows.length - 1) as HTMLElement | null;
    const top = latest ? Math.max(0, latest.offsetTop - QUESTION_TOP_GAP_PX) : 0;
    log.scrollTop = top;
  }

  private focusQuestion(): void {
    const question = this.question().nativeElement;
    if (question.disabled) {
      this.dialog().nativeElement.focus();
    } else {
      question.focus();
    }
  }

  private document(): Document {
    return this.dialog().nativeElement.ownerDocument;
  }
}
