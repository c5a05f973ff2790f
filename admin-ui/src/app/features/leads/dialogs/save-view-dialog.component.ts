import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { SavedViewDto } from '@meridian/api-client';

import { applyServerErrors, fieldErrorMessage } from '../../../core/forms/server-errors';
import { required } from '../../../core/forms/validators';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';

export interface SaveViewDialogData {
  /** The filters in words, to show what is being saved. */
  summary: string[];
  save: (name: string, shared: boolean) => Promise<SavedViewDto>;
}

@Component({
  selector: 'app-save-view-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Save this view</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        }
        <p class="summary">
          @if (data.summary.length > 0) {
            Saves these filters and the current order: {{ data.summary.join(' · ') }}.
          } @else {
            Saves the current order of all leads.
          }
        </p>
        <div class="app-dialog-form">
          <mat-form-field appearance="outline">
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" data-testid="view-name" />
            @if (form.controls.name.invalid) {
              <mat-error>{{ nameError() }}</mat-error>
            }
          </mat-form-field>
          <mat-slide-toggle formControlName="shared" data-testid="view-shared">
            Share with everyone in the organization
          </mat-slide-toggle>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="save-view-submit">
          {{ busy() ? 'Saving…' : 'Save view' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    :host {
      display: block;
      width: min(460px, 100%);
    }
    .summary {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    mat-slide-toggle {
      margin: 4px 0 12px;
    }
  `,
})
export class SaveViewDialogComponent {
  protected readonly data = inject<SaveViewDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SaveViewDialogComponent, SavedViewDto>>(MatDialogRef);

  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [required, Validators.maxLength(100)]],
    shared: [false],
  });

  protected nameError(): string {
    return fieldErrorMessage(this.form.controls.name, 'Name');
  }

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, shared } = this.form.getRawValue();
    this.busy.set(true);
    this.problem.set(null);
    try {
      this.ref.close(await this.data.save(name.trim(), shared));
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
