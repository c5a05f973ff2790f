import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MfaSetupDto } from '@meridian/api-client';

import { required } from '../../core/forms/validators';
import { AuthStore } from '../../core/auth/auth.store';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { fieldErrorMessage } from '../../core/forms/server-errors';
import { CopyButtonComponent } from '../copy-button/copy-button.component';

/** "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP": easier to type from the screen. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * TOTP enrolment: a new secret as a QR code (and as text for manual entry), then a first
 * code to prove the app has it. Emits the recovery codes the API returns.
 */
@Component({
  selector: 'app-mfa-enrol',
  imports: [
    CopyButtonComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (setupProblem(); as problem) {
      <div class="app-form-error" role="alert">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <span>Could not start the setup: {{ problem.detail || problem.title }}</span>
      </div>
      <button mat-stroked-button type="button" (click)="start()">Try again</button>
    } @else if (setup(); as setup) {
      <ol class="steps">
        <li>
          <span class="step-title">Open your authenticator app</span>
          <span class="hint">Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden, Authy…</span>
        </li>
        <li>
          <span class="step-title">Scan this QR code</span>
          <span class="qr">
            <img
              [src]="setup.qrCodeDataUrl"
              width="176"
              height="176"
              alt="QR code that adds Meridian to your authenticator app"
              data-testid="mfa-qr"
            />
          </span>
          <span class="hint">Cannot scan it? Enter this key in the app instead:</span>
          <span class="manual">
            <code class="app-secret" data-testid="mfa-secret">{{ groupedSecret() }}</code>
            <app-copy-button [value]="setup.secret" label="Copy key" />
          </span>
        </li>
        <li>
          <span class="step-title">Enter the 6-digit code the app shows</span>
          @if (confirmProblem(); as problem) {
            <div class="app-form-error" role="alert">
              <mat-icon svgIcon="error" aria-hidden="true" />
              <span>{{ problem.detail || problem.title }}</span>
            </div>
          }
          <form class="code-form" [formGroup]="form" (ngSubmit)="confirm()" novalidate>
            <mat-form-field appearance="outline" class="code-field">
              <mat-label>Authenticator code</mat-label>
              <input
                matInput
                formControlName="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="6"
                data-testid="mfa-enrol-code"
              />
              @if (code.invalid) {
                <mat-error>{{ codeError() }}</mat-error>
              }
            </mat-form-field>
            <button mat-flat-button type="submit" [disabled]="busy()" data-testid="mfa-enrol-submit">
              {{ busy() ? 'Checking…' : confirmLabel() }}
            </button>
          </form>
        </li>
      </ol>
    } @else {
      <div class="loading">
        <mat-progress-bar mode="indeterminate" aria-label="Preparing the authenticator setup" />
        <p class="app-muted">Preparing your authenticator setup…</p>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .steps {
      display: flex;
      flex-direction: column;
      gap: 20px;
      margin: 0;
      padding-left: 20px;
    }
    .steps li {
      padding-left: 4px;
    }
    .steps li::marker {
      color: var(--mat-sys-primary);
      font: var(--mat-sys-title-small);
    }
    .step-title {
      display: block;
      font: var(--mat-sys-title-small);
    }
    .hint {
      display: block;
      margin-top: 2px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .qr {
      display: inline-block;
      margin: 12px 0 8px;
      padding: 8px;
      border-radius: var(--mat-sys-corner-medium);
      // The code must stay dark on light to scan, in the dark theme too.
      background: #fff;
      line-height: 0;
    }
    .manual {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      margin-top: 6px;
    }
    .manual .app-secret {
      padding: 6px 10px;
      word-break: normal;
      letter-spacing: 0.06em;
    }
    .code-form {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      align-items: flex-start;
      margin-top: 10px;
    }
    .code-field {
      width: 200px;
    }
    .code-form button {
      margin-top: 8px;
    }
    .loading p {
      margin: 12px 0 0;
    }
  `,
})
export class MfaEnrolComponent implements OnInit {
  private readonly auth = inject(AuthStore);

  readonly confirmLabel = input('Turn on MFA');
  /** The recovery codes: enrolment is complete. */
  readonly enabled = output<string[]>();

  protected readonly setup = signal<MfaSetupDto | null>(null);
  protected readonly setupProblem = signal<ApiProblem | null>(null);
  protected readonly confirmProblem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  protected readonly groupedSecret = computed(() => groupSecret(this.setup()?.secret ?? ''));
  protected readonly code = new FormControl('', {
    nonNullable: true,
    validators: [required, Validators.pattern(/^\s*\d{6}\s*$/)],
  });
  protected readonly form = new FormGroup({ code: this.code });

  ngOnInit(): void {
    void this.start();
  }

  protected async start(): Promise<void> {
    this.setupProblem.set(null);
    this.setup.set(null);
    try {
      this.setup.set(await this.auth.setupMfa());
    } catch (error: unknown) {
      this.setupProblem.set(toApiProblem(error));
    }
  }

  protected codeError(): string {
    return this.code.hasError('pattern') ? 'Enter the 6 digits shown in the app' : fieldErrorMessage(this.code, 'Code');
  }

  protected async confirm(): Promise<void> {
    if (this.code.invalid) {
      this.code.markAsTouched();
      return;
    }
    this.busy.set(true);
    this.confirmProblem.set(null);
    try {
      this.enabled.emit(await this.auth.enableMfa(this.code.value.trim()));
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      const reason = problem.errors.find((entry) => entry.field === 'code')?.reason;
      if (reason) {
        this.code.setErrors({ server: reason });
        this.code.markAsTouched();
      } else {
        this.confirmProblem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }
}
