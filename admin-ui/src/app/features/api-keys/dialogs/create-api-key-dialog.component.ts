import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { CreateApiKeyDto, CreatedApiKeyDto, Permission } from '@meridian/api-client';

import { required } from '../../../core/forms/validators';
import { PERMISSION_LABELS, groupPermissions, readPermissions } from '../../../core/auth/permissions';
import { applyServerErrors, fieldErrorMessage } from '../../../core/forms/server-errors';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';

export interface CreateApiKeyDialogData {
  /** The creator's own permissions: a key never gets more. */
  permissions: Permission[];
  save: (body: CreateApiKeyDto) => Promise<CreatedApiKeyDto>;
}

type Scope = CreateApiKeyDto['scope'];

/** The end of the chosen day, local time: "expires on 31 Dec" means it works all of 31 Dec. */
function endOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate(), 23, 59, 59, 999);
}

function tomorrow(): Date {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
}

@Component({
  selector: 'app-create-api-key-dialog',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatDatepickerModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatRadioModule,
    ReactiveFormsModule,
  ],
  providers: [provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './create-api-key-dialog.component.html',
  styleUrl: './create-api-key-dialog.component.scss',
})
export class CreateApiKeyDialogComponent {
  protected readonly data = inject<CreateApiKeyDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<CreateApiKeyDialogComponent, CreatedApiKeyDto>>(MatDialogRef);

  protected readonly labels = PERMISSION_LABELS;
  protected readonly groups = groupPermissions(this.data.permissions);
  protected readonly readOnly = readPermissions(this.data.permissions);
  protected readonly minDate = tomorrow();
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly selected = signal<ReadonlySet<Permission>>(new Set());
  protected readonly permissionsTouched = signal(false);

  private readonly fb = inject(FormBuilder);
  protected readonly form = this.fb.group({
    name: this.fb.nonNullable.control('', [required, Validators.maxLength(100)]),
    scope: this.fb.nonNullable.control<Scope>('read-only'),
    expiresAt: this.fb.control<Date | null>(null),
  });

  protected readonly scope = toSignal(this.form.controls.scope.valueChanges, {
    initialValue: this.form.controls.scope.value,
  });
  protected readonly permissionsMissing = computed(() => this.scope() === 'custom' && this.selected().size === 0);

  protected nameError(): string {
    return fieldErrorMessage(this.form.controls.name, 'Name');
  }

  protected expiryError(): string {
    return fieldErrorMessage(this.form.controls.expiresAt, 'Expiry date');
  }

  protected isSelected(permission: Permission): boolean {
    return this.selected().has(permission);
  }

  protected toggle(permission: Permission, checked: boolean): void {
    this.permissionsTouched.set(true);
    this.selected.update((current) => {
      const next = new Set(current);
      if (checked) {
        next.add(permission);
      } else {
        next.delete(permission);
      }
      return next;
    });
  }

  protected async submit(): Promise<void> {
    this.permissionsTouched.set(true);
    if (this.form.invalid || this.permissionsMissing()) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, scope, expiresAt } = this.form.getRawValue();
    const body: CreateApiKeyDto = {
      name: name.trim(),
      scope,
      ...(scope === 'custom' ? { permissions: this.data.permissions.filter((p) => this.selected().has(p)) } : {}),
      ...(expiresAt ? { expiresAt: endOfDay(expiresAt).toISOString() } : {}),
    };
    this.busy.set(true);
    this.problem.set(null);
    try {
      this.ref.close(await this.data.save(body));
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
