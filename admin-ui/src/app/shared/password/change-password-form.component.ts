import { ChangeDetectionStrategy, Component, inject, input, output, signal, viewChild } from '@angular/core';
import {
  AbstractControl,
  FormBuilder,
  FormGroupDirective,
  ReactiveFormsModule,
  ValidationErrors,
  ValidatorFn,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

import { required } from '../../core/forms/validators';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, fieldErrorMessage } from '../../core/forms/server-errors';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

/** Kept in step with the API's MIN_PASSWORD_LENGTH. */
export const MIN_PASSWORD_LENGTH = 12;

/** The confirmation must repeat the new password; the error sits on the confirmation field. */
const sameAsNewPassword: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const parent = control.parent;
  if (!parent || !control.value) {
    return null;
  }
  return control.value === parent.get('newPassword')?.value ? null : { mismatch: true };
};

@Component({
  selector: 'app-change-password-form',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="form" novalidate data-testid="change-password-form">
      @if (problem(); as problem) {
        <div class="app-form-error" role="alert">
          <mat-icon svgIcon="error" aria-hidden="true" />
          <span>{{ problem.detail || problem.title }}</span>
        </div>
      }
      @if (done()) {
        <p class="done" role="status">
          <mat-icon svgIcon="check_circle" aria-hidden="true" />
          Your password was changed.
        </p>
      }
      <mat-form-field appearance="outline">
        <mat-label>{{ currentLabel() }}</mat-label>
        <input matInput type="password" formControlName="currentPassword" autocomplete="current-password" />
        @if (form.controls.currentPassword.invalid) {
          <mat-error>{{ error('currentPassword', currentLabel()) }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic" class="with-hint">
        <mat-label>New password</mat-label>
        <input matInput type="password" formControlName="newPassword" autocomplete="new-password" />
        <mat-hint>At least {{ minLength }} characters. A few unrelated words make a strong one.</mat-hint>
        @if (form.controls.newPassword.invalid) {
          <mat-error>{{ error('newPassword', 'New password') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Repeat the new password</mat-label>
        <input matInput type="password" formControlName="confirmPassword" autocomplete="new-password" />
        @if (form.controls.confirmPassword.invalid) {
          <mat-error>{{ error('confirmPassword', 'The repeated password') }}</mat-error>
        }
      </mat-form-field>
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="change-password-submit">
          {{ busy() ? 'Saving…' : submitLabel() }}
        </button>
      </div>
    </form>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .with-hint {
      margin-bottom: 16px;
    }
    .done {
      display: flex;
      gap: 8px;
      align-items: center;
      margin: 0 0 8px;
      color: var(--app-status-healthy);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      margin-top: 8px;
    }
  `,
})
export class ChangePasswordFormComponent {
  private readonly auth = inject(AuthStore);
  private readonly formDirective = viewChild.required(FormGroupDirective);

  readonly submitLabel = input('Change password');
  readonly currentLabel = input('Current password');
  readonly changed = output();

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly busy = signal(false);
  protected readonly done = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);

  protected readonly form = inject(FormBuilder).nonNullable.group({
    currentPassword: ['', required],
    newPassword: ['', [required, Validators.minLength(MIN_PASSWORD_LENGTH)]],
    confirmPassword: ['', [required, sameAsNewPassword]],
  });

  constructor() {
    // A change of the new password re-checks the confirmation.
    this.form.controls.newPassword.valueChanges.subscribe(() =>
      this.form.controls.confirmPassword.updateValueAndValidity({ emitEvent: false }),
    );
  }

  protected error(name: 'currentPassword' | 'newPassword' | 'confirmPassword', label: string): string {
    return fieldErrorMessage(this.form.controls[name], label);
  }

  protected async submit(): Promise<void> {
    this.done.set(false);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    const { currentPassword, newPassword } = this.form.getRawValue();
    try {
      await this.auth.changePassword(currentPassword, newPassword);
      // resetForm, not reset: the form must also forget it was submitted, or every empty field shows an error.
      this.formDirective().resetForm();
      this.done.set(true);
      this.changed.emit();
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
