import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ChipListFieldComponent } from '../../shared/chips/chip-list-field.component';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { CreateLeadFieldDto, LeadFieldDto, LeadFieldType, UpdateLeadFieldDto } from '@meridian/api-client';

import { applyServerErrors, fieldErrorMessage } from '../../core/forms/server-errors';
import { required } from '../../core/forms/validators';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { FIELD_KEY_PATTERN, FIELD_TYPE_LABELS, keyFromLabel } from '../leads/fields/custom-fields';

export interface LeadFieldDialogData {
  /** The field to edit; none to create one. */
  field: LeadFieldDto | null;
  /** Position of a new field (after the last one). */
  nextPosition: number;
  create: (body: CreateLeadFieldDto) => Promise<LeadFieldDto>;
  update: (id: string, body: UpdateLeadFieldDto) => Promise<LeadFieldDto>;
}

const TYPES: readonly LeadFieldType[] = ['text', 'number', 'boolean', 'date', 'select'];

/** A custom lead field: label, key (from the label, fixed once created), type (fixed too), options, required. */
@Component({
  selector: 'app-lead-field-dialog',
  imports: [
    MatButtonModule,
    ChipListFieldComponent,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ editing ? 'Edit field' : 'New lead field' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        }
        <mat-form-field appearance="outline">
          <mat-label>Label</mat-label>
          <input matInput formControlName="label" maxlength="100" autocomplete="off" data-testid="field-label" />
          @if (form.controls.label.invalid) {
            <mat-error>{{ error('label', 'Label') }}</mat-error>
          } @else {
            <mat-hint>What people see on the lead, e.g. “Plan”</mat-hint>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Key</mat-label>
          <input
            matInput
            formControlName="key"
            maxlength="50"
            autocomplete="off"
            spellcheck="false"
            (input)="keyTouched = true"
            data-testid="field-key"
          />
          @if (form.controls.key.invalid) {
            <mat-error>{{ error('key', 'Key') }}</mat-error>
          } @else {
            <mat-hint>
              {{
                editing
                  ? 'The name in the API and in CSV files; it cannot change.'
                  : 'For the API and CSV files: lowercase letters, digits and _. It cannot change later.'
              }}
            </mat-hint>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Type</mat-label>
          <mat-select formControlName="type" data-testid="field-type">
            @for (type of types; track type) {
              <mat-option [value]="type">{{ typeLabels[type] }}</mat-option>
            }
          </mat-select>
          @if (editing) {
            <mat-hint>The type of a field cannot change.</mat-hint>
          }
        </mat-form-field>
        @if (form.controls.type.value === 'select') {
          <app-chip-list-field
            label="Options"
            placeholder="Add an option…"
            hint="Enter or comma after each option"
            [maxLength]="100"
            [(values)]="options"
            (valuesChange)="optionsMissing.set(false)"
            inputTestId="field-option-input"
          />
          @if (optionsMissing()) {
            <p class="app-form-error" role="alert">
              <mat-icon svgIcon="error" aria-hidden="true" />
              <span>Give at least one option.</span>
            </p>
          }
        }
        <mat-slide-toggle formControlName="required" data-testid="field-required">
          Required on new leads
        </mat-slide-toggle>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="field-save">
          {{ busy() ? 'Saving…' : editing ? 'Save' : 'Create field' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-dialog-content {
      display: flex;
      flex-direction: column;
      gap: 4px;
      width: min(460px, 80vw);
      padding-top: 8px;
    }
    mat-slide-toggle {
      margin: 4px 0 8px;
    }
  `,
})
export class LeadFieldDialogComponent {
  protected readonly data = inject<LeadFieldDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<LeadFieldDialogComponent, LeadFieldDto>>(MatDialogRef);
  protected readonly editing = this.data.field !== null;
  protected readonly types = TYPES;
  protected readonly typeLabels = FIELD_TYPE_LABELS;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly options = signal<string[]>([...(this.data.field?.options ?? [])]);
  protected readonly optionsMissing = signal(false);
  protected keyTouched = this.editing;
  private readonly initialType: LeadFieldType = this.data.field?.type ?? 'text';

  protected readonly form = inject(FormBuilder).nonNullable.group({
    label: [this.data.field?.label ?? '', [required, Validators.maxLength(100)]],
    key: [this.data.field?.key ?? '', [required, Validators.pattern(FIELD_KEY_PATTERN)]],
    type: [this.initialType],
    required: [this.data.field?.required ?? false],
  });

  constructor() {
    if (this.editing) {
      this.form.controls.key.disable();
      this.form.controls.type.disable();
    }
    // The key follows the label until someone types a key of their own.
    this.form.controls.label.valueChanges.pipe(takeUntilDestroyed()).subscribe((label) => {
      if (!this.keyTouched) {
        this.form.controls.key.setValue(keyFromLabel(label));
      }
    });
  }

  protected error(field: 'label' | 'key', label: string): string {
    const control = this.form.controls[field];
    if (field === 'key' && control.hasError('pattern')) {
      return 'Start with a letter; use lowercase letters, digits and _';
    }
    return fieldErrorMessage(control, label);
  }

  protected async submit(): Promise<void> {
    const value = this.form.getRawValue();
    const isSelect = value.type === 'select';
    this.optionsMissing.set(isSelect && this.options().length === 0);
    if (this.form.invalid || this.optionsMissing()) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      const label = value.label.trim();
      const field = this.data.field
        ? await this.data.update(this.data.field.id, {
            label,
            required: value.required,
            ...(isSelect ? { options: this.options() } : {}),
          })
        : await this.data.create({
            label,
            key: value.key,
            type: value.type,
            required: value.required,
            position: this.data.nextPosition,
            ...(isSelect ? { options: this.options() } : {}),
          });
      this.ref.close(field);
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
