import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { CreateLeadDto, LeadDto, LeadFieldDto } from '@meridian/api-client';

import { applyServerErrors } from '../../../core/forms/server-errors';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { OwnerOption } from '../leads.store';
import { LeadFieldsComponent } from '../form/lead-fields.component';
import {
  buildLeadForm,
  createLeadBody,
  defaultPhoneCountry,
  duplicateLeadId,
  rememberPhoneCountry,
  setCustomFieldControls,
} from '../form/lead-form';

export interface CreateLeadDialogData {
  owners: readonly OwnerOption[];
  /** The organization's custom fields, shown after the standard ones. */
  customFields: readonly LeadFieldDto[];
  canListUsers: boolean;
  save: (body: CreateLeadDto) => Promise<LeadDto>;
}

@Component({
  selector: 'app-create-lead-dialog',
  imports: [LeadFieldsComponent, MatButtonModule, MatDialogModule, MatIconModule, ReactiveFormsModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>New lead</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (duplicateId(); as id) {
          <div class="app-form-error" role="alert" data-testid="lead-duplicate">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>
              A lead with this email already exists.
              <a [routerLink]="['/leads', id]" (click)="ref.close()" data-testid="lead-duplicate-link"
                >Open that lead</a
              >
            </span>
          </div>
        } @else if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        } @else if (form.hasError('identity') && submitted()) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>Give at least a name, an email, a phone number or a company.</span>
          </div>
        }
        <app-lead-fields
          [form]="form"
          [owners]="data.owners"
          [canListUsers]="data.canListUsers"
          [customFields]="data.customFields"
        />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="create-lead-submit">
          {{ busy() ? 'Creating…' : 'Create lead' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-dialog-content {
      padding-top: 8px;
    }
  `,
})
export class CreateLeadDialogComponent {
  protected readonly data = inject<CreateLeadDialogData>(MAT_DIALOG_DATA);
  protected readonly ref = inject<MatDialogRef<CreateLeadDialogComponent, LeadDto>>(MatDialogRef);
  private readonly window = inject(DOCUMENT).defaultView;

  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly duplicateId = signal<string | null>(null);
  protected readonly form = buildLeadForm(
    inject(FormBuilder),
    defaultPhoneCountry(this.storage(), this.window?.navigator.language ?? 'en'),
  );

  constructor() {
    setCustomFieldControls(this.form, this.data.customFields, true);
  }

  protected async submit(): Promise<void> {
    this.submitted.set(true);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    this.busy.set(true);
    this.problem.set(null);
    this.duplicateId.set(null);
    try {
      const lead = await this.data.save(createLeadBody(value, this.data.customFields));
      if (value.phone.trim()) {
        rememberPhoneCountry(this.storage(), value.defaultCountry);
      }
      this.ref.close(lead);
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.duplicateId.set(duplicateLeadId(error));
      if (applyServerErrors(this.form, problem).length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }

  private storage(): Storage | null {
    try {
      return this.window?.localStorage ?? null;
    } catch {
      return null;
    }
  }
}
