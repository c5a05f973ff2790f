import { BreakpointObserver } from '@angular/cdk/layout';
import { OverlayContainer } from '@angular/cdk/overlay';
import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { map } from 'rxjs';

import { AssistantPanelComponent } from './assistant-panel.component';
import { registerAssistantIcons } from './assistant-icons';
import { isOpenShortcut } from './assistant-shortcut';
import { AssistantStore } from './assistant.store';

/** Below this width the panel takes the whole screen. */
export const ASSISTANT_FULL_SCREEN_QUERY = '(max-width: 599.98px)';
const SNACKBAR_GAP_PX = 8;

/**
 * The help assistant on every page: an "Ask AI" button at the bottom right, and the panel
 * it opens. Place it once in the shell, outside the scrolling content. The panel's code is
 * loaded while the browser is idle, so the first open is instant without weighing on the
 * first page load.
 */
@Component({
  selector: 'app-assistant-widget',
  imports: [AssistantPanelComponent, MatButtonModule, MatIconModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './assistant-widget.component.scss',
  host: {
    '[style.--assistant-snackbar-offset]': "snackbarOffset() + 'px'",
    '(document:keydown)': 'onDocumentKeydown($event)',
  },
  template: `
    @if (store.available()) {
      <button
        #fab
        mat-fab
        [extended]="!fullScreen()"
        type="button"
        class="assistant-fab"
        [class.is-hidden]="store.isOpen()"
        [attr.aria-hidden]="store.isOpen() ? 'true' : null"
        [attr.tabindex]="store.isOpen() ? -1 : null"
        aria-haspopup="dialog"
        aria-controls="assistant-panel"
        [attr.aria-expanded]="store.isOpen()"
        aria-keyshortcuts="?"
        [attr.aria-label]="fullScreen() ? 'Ask AI' : null"
        matTooltip="Ask AI about Meridian (press ?)"
        matTooltipPosition="left"
        [matTooltipDisabled]="store.isOpen()"
        data-testid="assistant-fab"
        (click)="open()"
      >
        <mat-icon svgIcon="auto_awesome" aria-hidden="true" />
        @if (!fullScreen()) {
          Ask AI
        }
      </button>
      @defer (when store.isOpen(); prefetch on idle) {
        @if (store.isOpen()) {
          <app-assistant-panel
            id="assistant-panel"
            [fullScreen]="fullScreen()"
            (closeRequested)="close()"
            (navigated)="onPanelNavigated()"
          />
        }
      } @loading (minimum 200ms) {
        <div class="assistant-loading" role="status">Opening the assistant…</div>
      }
    }
  `,
})
export class AssistantWidgetComponent {
  protected readonly store = inject(AssistantStore);
  private readonly injector = inject(Injector);
  private readonly document = inject(DOCUMENT);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly fab = viewChild<unknown, ElementRef<HTMLButtonElement>>('fab', { read: ElementRef });

  protected readonly fullScreen = toSignal(
    inject(BreakpointObserver)
      .observe(ASSISTANT_FULL_SCREEN_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  /** Lifts the button and the panel above an open snackbar (which sits at the bottom of the screen). */
  protected readonly snackbarOffset = signal(0);

  /** The control that opened the panel, to return to when it closes. */
  private opener: HTMLElement | null = null;

  constructor() {
    registerAssistantIcons();
    this.watchSnackbars();
    // Runs before the panel renders, so the focus is still on whatever opened it.
    effect(() => {
      if (this.store.isOpen()) {
        untracked(() => this.rememberOpener());
      }
    });
  }

  protected open(): void {
    this.store.open();
  }

  /** Closed with its close button or Escape: focus goes back to what opened it, else to the button. */
  protected close(): void {
    this.store.close();
    const opener = this.opener;
    afterNextRender(
      () => {
        const target = opener?.isConnected ? opener : this.fab()?.nativeElement;
        target?.focus();
      },
      { injector: this.injector },
    );
  }

  /** A link of the panel led to another console page: on a phone the page should be seen. */
  protected onPanelNavigated(): void {
    if (this.fullScreen()) {
      this.store.close();
    }
  }

  protected onDocumentKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.store.isOpen() && event.target === this.document.body) {
      // Focus was on nothing in particular (after a click on the page): Escape still closes.
      this.close();
      return;
    }
    if (!this.store.available() || !isOpenShortcut(event)) {
      return;
    }
    event.preventDefault();
    if (this.store.isOpen()) {
      // Already open: "?" takes the user back to the question box.
      this.document.getElementById('assistant-question')?.focus();
    } else {
      this.store.open();
    }
  }

  private rememberOpener(): void {
    // A control of the page ("Ask AI" on the help pages) gets the focus back; after "?" pressed
    // on the page itself (focus on the body or a container), the assistant's button does.
    const active = this.document.activeElement;
    const control = active instanceof HTMLElement && active.matches('button, a[href], [role="button"]');
    this.opener = control && !this.host.contains(active) ? active : null;
  }

  private watchSnackbars(): void {
    const view = this.document.defaultView;
    if (!view || typeof MutationObserver === 'undefined') {
      return;
    }
    const container = inject(OverlayContainer).getContainerElement();
    let frame = 0;
    const measure = (): void => {
      view.cancelAnimationFrame(frame);
      frame = view.requestAnimationFrame(() => this.snackbarOffset.set(this.measureSnackbar(container, view)));
    };
    const observer = new MutationObserver(measure);
    observer.observe(container, { childList: true, subtree: true });
    view.addEventListener('resize', measure);
    inject(DestroyRef).onDestroy(() => {
      observer.disconnect();
      view.removeEventListener('resize', measure);
      view.cancelAnimationFrame(frame);
    });
  }

  /** How far the bottom of the screen is taken by a snackbar that would sit under the widget. */
  private measureSnackbar(container: HTMLElement, view: Window): number {
    const snackbar = container.querySelector('.mat-mdc-snack-bar-container');
    const pane = snackbar?.closest('.cdk-overlay-pane') ?? snackbar;
    if (!pane) {
      return 0;
    }
    const bar = pane.getBoundingClientRect();
    const mine = Array.from(this.host.querySelectorAll('.assistant-fab, .assistant-panel'), (element) =>
      element.getBoundingClientRect(),
    );
    const overlaps = mine.some((rect) => rect.width > 0 && rect.left < bar.right && rect.right > bar.left);
    return overlaps ? Math.max(0, view.innerHeight - bar.top + SNACKBAR_GAP_PX) : 0;
  }
}
