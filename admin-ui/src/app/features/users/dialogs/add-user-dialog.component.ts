import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CreateUserDto, CreatedUserDto, Role } from '@meridian/api-client';

import { email, required } from '../../../core/forms/validators';
import { ROLE_INFO } from '../../../core/auth/permissions';
import { applyServerErrors, fieldErrorMessage } from '../../../core/forms/server-errors';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { MIN_PASSWORD_LENGTH } from '../../../shared/password/change-password-form.component';

export interface AddUserDialogData {
  /** The roles the current user may hand out. */
  roles: Role[];
  save: (body: CreateUserDto) => Promise<CreatedUserDto>;
}

type Field = 'name' | 'email' | 'role' | 'password';
const LABELS: Record<Field, string> = { name: 'Name', email: 'Email', role: 'Role', password: 'Password' };

@Component({
  selector: 'app-add-user-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Add a user</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        }
        <div class="app-dialog-form">
          <mat-form-field appearance="outline">
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" data-testid="user-name" />
            @if (form.controls.name.invalid) {
              <mat-error>{{ error('name') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Email</mat-label>
            <input
              matInput
              type="email"
              formControlName="email"
              autocomplete="off"
              spellcheck="false"
              data-testid="user-email"
            />
            @if (form.controls.email.invalid) {
              <mat-error>{{ error('email') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Role</mat-label>
            <mat-select formControlName="role" data-testid="user-role">
              <mat-select-trigger>{{ roleInfo[form.controls.role.value].label }}</mat-select-trigger>
              @for (role of data.roles; track role) {
                <mat-option [value]="role">
                  <span class="option-label">{{ roleInfo[role].label }}</span>
                  <span class="option-hint">{{ roleInfo[role].description }}</span>
                </mat-option>
              }
            </mat-select>
            @if (form.controls.role.invalid) {
              <mat-error>{{ error('role') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Password (optional)</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="new-password" />
            <mat-hint>
              Leave empty to generate a temporary password, shown once; the user then chooses their own at first
              sign-in.
            </mat-hint>
            @if (form.controls.password.invalid) {
              <mat-error>{{ error('password') }}</mat-error>
            }
          </mat-form-field>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="add-user-submit">
          {{ busy() ? 'Adding…' : 'Add user' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    :host {
      display: block;
      width: min(480px, 100%);
    }
    .option-label {
      display: block;
    }
    .option-hint {
      display: block;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    mat-hint {
      line-height: 1.3;
    }
    .app-dialog-form mat-form-field:last-child {
      margin-bottom: 16px;
    }
  `,
})
export class AddUserDialogComponent {
  protected readonly data = inject<AddUserDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AddUserDialogComponent, CreatedUserDto>>(MatDialogRef);

  protected readonly roleInfo = ROLE_INFO;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [required, Validators.maxLength(200)]],
    email: ['', [required, email, Validators.maxLength(320)]],
    role: [this.defaultRole(), required],
    password: ['', Validators.minLength(MIN_PASSWORD_LENGTH)],
  });

  protected error(field: Field): string {
    return fieldErrorMessage(this.form.controls[field], LABELS[field]);
  }

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, email, role, password } = this.form.getRawValue();
    this.busy.set(true);
    this.problem.set(null);
    try {
      const created = await this.data.save({
        name: name.trim(),
        email: email.trim(),
        role,
        ...(password ? { password } : {}),
      });
      this.ref.close(created);
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      if (applyServerErrors(this.form, problem).length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }

  /** Least privilege first: viewer when allowed. */
  private defaultRole(): Role {
    const roles = this.data.roles;
    return roles.includes('viewer') ? 'viewer' : roles[roles.length - 1];
  }
}
