import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

import { required } from '../../core/forms/validators';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, fieldErrorMessage } from '../../core/forms/server-errors';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

/** Turning MFA off takes the password and a current code: a stolen session alone cannot do it. */
@Component({
  selector: 'app-disable-mfa-form',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate class="form" data-testid="disable-mfa-form">
      @if (problem(); as problem) {
        <div class="app-form-error" role="alert">
          <mat-icon svgIcon="error" aria-hidden="true" />
          <span>{{ problem.detail || problem.title }}</span>
        </div>
      }
      <mat-form-field appearance="outline">
        <mat-label>Password</mat-label>
        <input matInput type="password" formControlName="password" autocomplete="current-password" />
        @if (form.controls.password.invalid) {
          <mat-error>{{ error('password', 'Password') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Authenticator code</mat-label>
        <input matInput formControlName="code" autocomplete="one-time-code" spellcheck="false" />
        @if (form.controls.code.invalid) {
          <mat-error>{{ error('code', 'Code') }}</mat-error>
        }
      </mat-form-field>
      <div class="actions">
        <button mat-button type="button" (click)="cancelled.emit()">Cancel</button>
        <button mat-flat-button type="submit" class="app-danger-button" [disabled]="busy()">
          {{ busy() ? 'Turning off…' : 'Turn off MFA' }}
        </button>
      </div>
    </form>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
  `,
})
export class DisableMfaFormComponent {
  private readonly auth = inject(AuthStore);

  readonly disabled = output();
  readonly cancelled = output();

  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    password: ['', required],
    code: ['', [required, Validators.minLength(6)]],
  });

  protected error(name: 'password' | 'code', label: string): string {
    return fieldErrorMessage(this.form.controls[name], label);
  }

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { password, code } = this.form.getRawValue();
    this.busy.set(true);
    this.problem.set(null);
    try {
      await this.auth.disableMfa(password, code.trim());
      this.disabled.emit();
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      if (applyServerErrors(this.form, problem).length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }
}
