import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { firstValueFrom } from 'rxjs';

import { CopyButtonComponent } from '../copy-button/copy-button.component';

export interface SecretDialogData {
  title: string;
  /** One sentence on what this secret is. */
  intro: string;
  /** What the secret is called ("API key", "Temporary password"). */
  label: string;
  /** The copy button ("Copy API key"). */
  copyLabel: string;
  secret: string;
  /** Why it must be stored now. */
  warning: string;
}

/**
 * Shows a secret the API returns once (an API key, a temporary password). It closes only
 * through its button, so a stray click outside cannot lose the secret.
 */
@Component({
  selector: 'app-secret-dialog',
  imports: [CopyButtonComponent, MatButtonModule, MatDialogModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p class="intro">{{ data.intro }}</p>
      <div class="warning" role="note">
        <mat-icon svgIcon="warning" aria-hidden="true" />
        <span>{{ data.warning }}</span>
      </div>
      <span class="label" id="secret-label">{{ data.label }}</span>
      <code class="app-secret" aria-labelledby="secret-label" data-testid="secret-value">{{ data.secret }}</code>
      <div class="copy">
        <app-copy-button [value]="data.secret" [label]="data.copyLabel" testId="copy-secret" />
      </div>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="secret-done">I have stored it</button>
    </mat-dialog-actions>
  `,
  styles: `
    :host {
      display: block;
      max-width: 560px;
    }
    .intro {
      margin: 0 0 16px;
    }
    .warning {
      display: flex;
      gap: 10px;
      align-items: flex-start;
      margin-bottom: 20px;
      padding: 12px 14px;
      border-radius: var(--mat-sys-corner-medium);
      color: var(--app-status-degraded);
      background: var(--app-status-degraded-container);
      font: var(--mat-sys-body-medium);
    }
    .warning mat-icon {
      flex: none;
      width: 20px;
      height: 20px;
    }
    .warning span {
      color: var(--mat-sys-on-surface);
    }
    .label {
      display: block;
      margin-bottom: 6px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-large);
    }
    .copy {
      margin-top: 12px;
    }
  `,
})
export class SecretDialogComponent {
  protected readonly data = inject<SecretDialogData>(MAT_DIALOG_DATA);
}

export async function showSecret(dialog: MatDialog, data: SecretDialogData): Promise<void> {
  const ref = dialog.open(SecretDialogComponent, { data, disableClose: true, autoFocus: 'dialog' });
  await firstValueFrom(ref.afterClosed());
}
