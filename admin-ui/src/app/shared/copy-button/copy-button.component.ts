import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

const FEEDBACK_MS = 2000;

/** Copies a value and says so, on the button and to screen readers. */
@Component({
  selector: 'app-copy-button',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button mat-stroked-button type="button" (click)="copy()" [attr.data-testid]="testId()">
      <mat-icon [svgIcon]="state() === 'copied' ? 'check' : 'content_copy'" aria-hidden="true" />
      {{ state() === 'copied' ? 'Copied' : label() }}
    </button>
    <span class="sr-only" aria-live="polite">
      @switch (state()) {
        @case ('copied') {
          Copied to the clipboard
        }
        @case ('failed') {
          Could not copy: select the text and copy it by hand
        }
      }
    </span>
  `,
})
export class CopyButtonComponent {
  private readonly clipboard = inject(Clipboard);

  readonly value = input.required<string>();
  readonly label = input('Copy');
  readonly testId = input<string | null>(null);

  protected readonly state = signal<'idle' | 'copied' | 'failed'>('idle');
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.clearTimer());
  }

  protected copy(): void {
    this.state.set(this.clipboard.copy(this.value()) ? 'copied' : 'failed');
    this.clearTimer();
    this.timer = setTimeout(() => this.state.set('idle'), FEEDBACK_MS);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
