import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { Role, UserDto } from '@meridian/api-client';

import { required } from '../../../core/forms/validators';
import { ROLE_INFO } from '../../../core/auth/permissions';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';

export interface ChangeRoleDialogData {
  user: UserDto;
  roles: Role[];
  save: (role: Role) => Promise<UserDto>;
}

@Component({
  selector: 'app-change-role-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatIconModule, MatSelectModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Change the role of {{ data.user.name }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        }
        <p class="intro">The new role applies at once, to the user's open sessions and API keys too.</p>
        <mat-form-field appearance="outline" class="field">
          <mat-label>Role</mat-label>
          <mat-select formControlName="role" data-testid="change-role-select">
            <mat-select-trigger>{{ roleInfo[role.value].label }}</mat-select-trigger>
            @for (option of data.roles; track option) {
              <mat-option [value]="option">
                <span class="option-label">{{ roleInfo[option].label }}</span>
                <span class="option-hint">{{ roleInfo[option].description }}</span>
              </mat-option>
            }
          </mat-select>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button
          mat-flat-button
          type="submit"
          [disabled]="busy() || role.value === data.user.role"
          data-testid="change-role-submit"
        >
          {{ busy() ? 'Saving…' : 'Change role' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    :host {
      display: block;
      width: min(440px, 100%);
    }
    .intro {
      margin: 0 0 16px;
    }
    .field {
      width: 100%;
    }
    .option-label {
      display: block;
    }
    .option-hint {
      display: block;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class ChangeRoleDialogComponent {
  protected readonly data = inject<ChangeRoleDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ChangeRoleDialogComponent, UserDto>>(MatDialogRef);

  protected readonly roleInfo = ROLE_INFO;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly role = new FormControl<Role>(this.data.user.role, {
    nonNullable: true,
    validators: required,
  });
  protected readonly form = new FormGroup({ role: this.role });

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      this.ref.close(await this.data.save(this.role.value));
    } catch (error: unknown) {
      this.problem.set(toApiProblem(error));
    } finally {
      this.busy.set(false);
    }
  }
}
