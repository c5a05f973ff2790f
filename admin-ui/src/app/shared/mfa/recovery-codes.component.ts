import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';

import { CopyButtonComponent } from '../copy-button/copy-button.component';

/** The ten recovery codes, shown once, with copy and download, and an "I saved them" confirmation. */
@Component({
  selector: 'app-recovery-codes',
  imports: [CopyButtonComponent, MatButtonModule, MatCheckboxModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="intro">
      If you lose your phone, each of these codes signs you in once instead of an authenticator code. This is the only
      time they are shown: store them in a password manager or print them.
    </p>
    <ol class="codes" data-testid="recovery-codes" aria-label="Recovery codes">
      @for (code of codes(); track code) {
        <li>
          <code>{{ code }}</code>
        </li>
      }
    </ol>
    <div class="tools">
      <app-copy-button [value]="asText()" label="Copy codes" testId="copy-codes" />
      <button mat-stroked-button type="button" (click)="download()">Download .txt</button>
    </div>
    <mat-checkbox [checked]="saved()" (change)="saved.set($event.checked)" data-testid="codes-saved">
      I have saved these codes somewhere safe
    </mat-checkbox>
    <div class="actions">
      <button mat-flat-button type="button" [disabled]="!saved()" (click)="confirmed.emit()" data-testid="codes-done">
        {{ continueLabel() }}
      </button>
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .intro {
      margin: 0 0 16px;
    }
    .codes {
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 8px 24px;
      margin: 0 0 16px;
      padding: 16px 16px 16px 40px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-surface-container-highest);
    }
    .codes li {
      color: var(--mat-sys-on-surface-variant);
    }
    .codes code {
      color: var(--mat-sys-on-surface);
      font-family: ui-monospace, 'SFMono-Regular', 'Cascadia Mono', Menlo, Consolas, monospace;
      font-size: 0.95rem;
      letter-spacing: 0.04em;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-bottom: 12px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      margin-top: 12px;
    }
  `,
})
export class RecoveryCodesComponent {
  private readonly document = inject(DOCUMENT);

  readonly codes = input.required<string[]>();
  readonly continueLabel = input('Continue');
  readonly confirmed = output();

  protected readonly saved = signal(false);
  protected readonly asText = computed(() => this.codes().join('\n'));

  protected download(): void {
    const text = `Meridian recovery codes (each works once)\n\n${this.asText()}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = this.document.createElement('a');
    link.href = url;
    link.download = 'meridian-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  }
}
