import { Clipboard } from '@angular/cdk/clipboard';
import { TextFieldModule } from '@angular/cdk/text-field';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { MarkdownViewComponent } from '../help/markdown/markdown-view.component';
import { isExternalHref } from '../help/markdown/markdown';
import { AssistantExchange, AssistantStore } from './assistant.store';

const COPIED_MS = 2000;

/** A source link: in the console (`/help/page#anchor`, opened in-app) or elsewhere (a new tab). */
export interface SourceLink {
  title: string;
  url: string;
  external: boolean;
  path: string;
  fragment: string | undefined;
}

export function toSourceLink(source: { title: string; url: string }): SourceLink {
  const external = isExternalHref(source.url) || !source.url.startsWith('/');
  const [path, fragment] = source.url.split('#', 2);
  return { title: source.title, url: source.url, external, path, fragment: fragment || undefined };
}

/** One answer of the assistant: the Markdown, its sources, what to make of it, and feedback. */
@Component({
  selector: 'app-assistant-answer',
  imports: [
    MarkdownViewComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatTooltipModule,
    RouterLink,
    TextFieldModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './assistant-answer.component.html',
  styleUrl: './assistant-answer.component.scss',
})
export class AssistantAnswerComponent {
  private readonly store = inject(AssistantStore);
  private readonly clipboard = inject(Clipboard);

  readonly exchange = input.required<AssistantExchange>();
  /** A link of the answer led to a console page. */
  readonly navigated = output();

  protected readonly sources = computed(() => this.exchange().sources.map(toSourceLink));
  protected readonly copied = signal<'idle' | 'copied' | 'failed'>('idle');
  protected readonly commentOpen = signal(false);
  protected readonly comment = signal('');
  private copiedTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      if (this.copiedTimer !== null) {
        clearTimeout(this.copiedTimer);
      }
    });
  }

  protected copy(): void {
    this.copied.set(this.clipboard.copy(this.exchange().answer) ? 'copied' : 'failed');
    if (this.copiedTimer !== null) {
      clearTimeout(this.copiedTimer);
    }
    this.copiedTimer = setTimeout(() => this.copied.set('idle'), COPIED_MS);
  }

  protected upvote(): void {
    this.commentOpen.set(false);
    void this.store.sendFeedback(this.exchange().id, 'upvote');
  }

  /** The vote counts at once; the comment is optional and can follow. */
  protected downvote(): void {
    this.commentOpen.set(true);
    void this.store.sendFeedback(this.exchange().id, 'downvote');
  }

  protected onComment(event: Event): void {
    this.comment.set((event.target as HTMLTextAreaElement).value);
  }

  protected sendComment(event: Event): void {
    event.preventDefault();
    const comment = this.comment().trim();
    this.commentOpen.set(false);
    if (comment) {
      void this.store.sendFeedback(this.exchange().id, 'downvote', comment);
    }
  }
}
