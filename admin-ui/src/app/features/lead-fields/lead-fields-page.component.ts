import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { LeadFieldDto } from '@meridian/api-client';
import { firstValueFrom } from 'rxjs';

import { toApiProblem } from '../../core/http/api-problem';
import { confirmAction } from '../../shared/dialogs/confirm-dialog.component';
import { FIELD_TYPE_ICONS, FIELD_TYPE_LABELS } from '../leads/fields/custom-fields';
import { LeadFieldDefinitions } from '../leads/fields/lead-field-definitions';
import { LeadFieldDialogComponent, LeadFieldDialogData } from './lead-field-dialog.component';

/** Settings › Lead fields: the organization's custom fields of leads (organization:manage). */
@Component({
  selector: 'app-lead-fields-page',
  imports: [MatButtonModule, MatCardModule, MatChipsModule, MatIconModule, MatProgressBarModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="app-page lead-fields-page" [attr.aria-busy]="!definitions.loaded()">
      <header class="app-page-header">
        <div>
          <h1>Lead fields</h1>
          <p class="app-page-subtitle">
            Your own fields on every lead, after the standard ones: a plan, a budget, a renewal date… They show in the
            lead forms, as columns of the Leads page, and in filters, imports and exports.
          </p>
        </div>
        <button mat-flat-button type="button" (click)="create()" data-testid="create-lead-field">
          <mat-icon svgIcon="add" aria-hidden="true" />
          New field
        </button>
      </header>

      @if (definitions.error(); as problem) {
        <section class="app-error-panel" role="alert">
          <mat-icon [svgIcon]="problem.unreachable ? 'cloud_off' : 'error'" aria-hidden="true" />
          <div>
            <h2>Could not load the lead fields</h2>
            <p>{{ problem.detail || problem.title }}</p>
            <button mat-stroked-button type="button" (click)="definitions.load()">Try again</button>
          </div>
        </section>
      }

      @if (!definitions.loaded()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading lead fields" />
      } @else if (fields().length === 0 && !definitions.error()) {
        <mat-card appearance="outlined" class="app-empty-state" data-testid="lead-fields-empty">
          <div class="app-empty-icon" aria-hidden="true"><mat-icon svgIcon="tune" /></div>
          <h2>No custom fields yet</h2>
          <p>Add the facts your team tracks about leads beyond name, email and company.</p>
          <button mat-stroked-button type="button" (click)="create()">
            <mat-icon svgIcon="add" aria-hidden="true" />
            Add your first field
          </button>
        </mat-card>
      } @else {
        <mat-card appearance="outlined" class="list-card">
          <ol class="fields" aria-label="Lead fields, in their order" data-testid="lead-fields-list">
            @for (field of fields(); track field.id; let first = $first, last = $last) {
              <li [attr.data-field-key]="field.key">
                <span class="type-icon" aria-hidden="true"><mat-icon [svgIcon]="typeIcons[field.type]" /></span>
                <div class="what">
                  <span class="label">
                    {{ field.label }}
                    @if (field.required) {
                      <span class="required">Required</span>
                    }
                  </span>
                  <span class="meta">
                    <code>{{ field.key }}</code> · {{ typeLabels[field.type] }}
                  </span>
                  @if (field.type === 'select') {
                    <mat-chip-set [attr.aria-label]="'Options of ' + field.label" class="options">
                      @for (option of field.options; track option) {
                        <mat-chip disableRipple>{{ option }}</mat-chip>
                      }
                    </mat-chip-set>
                  }
                </div>
                <div class="actions">
                  <button
                    mat-icon-button
                    type="button"
                    (click)="move(field, -1)"
                    [disabled]="first || moving()"
                    [attr.aria-label]="'Move ' + field.label + ' up'"
                    matTooltip="Move up"
                  >
                    <mat-icon svgIcon="arrow_upward" aria-hidden="true" />
                  </button>
                  <button
                    mat-icon-button
                    type="button"
                    (click)="move(field, 1)"
                    [disabled]="last || moving()"
                    [attr.aria-label]="'Move ' + field.label + ' down'"
                    matTooltip="Move down"
                  >
                    <mat-icon svgIcon="arrow_downward" aria-hidden="true" />
                  </button>
                  <button
                    mat-icon-button
                    type="button"
                    (click)="edit(field)"
                    [attr.aria-label]="'Edit ' + field.label"
                    matTooltip="Edit"
                    data-testid="edit-lead-field"
                  >
                    <mat-icon svgIcon="edit" aria-hidden="true" />
                  </button>
                  <button
                    mat-icon-button
                    type="button"
                    class="danger"
                    (click)="remove(field)"
                    [attr.aria-label]="'Delete ' + field.label"
                    matTooltip="Delete"
                    data-testid="delete-lead-field"
                  >
                    <mat-icon svgIcon="delete" aria-hidden="true" />
                  </button>
                </div>
              </li>
            }
          </ol>
        </mat-card>
      }
    </div>
  `,
  styles: `
    .lead-fields-page {
      max-width: 960px;
    }
    .list-card {
      overflow: hidden;
    }
    .fields {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      align-items: center;
      gap: 16px;
      padding: 12px 8px 12px 16px;
      & + li {
        border-top: 1px solid var(--mat-sys-outline-variant);
      }
    }
    .type-icon {
      display: grid;
      flex: none;
      place-items: center;
      width: 40px;
      height: 40px;
      border-radius: 50%;
      color: var(--mat-sys-on-secondary-container);
      background: var(--mat-sys-secondary-container);
    }
    .what {
      display: flex;
      flex: 1;
      flex-direction: column;
      min-width: 0;
    }
    .label {
      font: var(--mat-sys-title-medium);
    }
    .required {
      margin-left: 8px;
      padding: 1px 8px;
      border-radius: 8px;
      color: var(--mat-sys-on-tertiary-container);
      background: var(--mat-sys-tertiary-container);
      font: var(--mat-sys-label-small);
      vertical-align: 2px;
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-medium);
    }
    .options {
      margin-top: 4px;
    }
    .actions {
      display: flex;
      flex: none;
    }
    .danger:not(:disabled) {
      color: var(--mat-sys-error);
    }
  `,
})
export class LeadFieldsPageComponent implements OnInit {
  protected readonly definitions = inject(LeadFieldDefinitions);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly fields = this.definitions.fields;
  protected readonly moving = signal(false);
  protected readonly typeLabels = FIELD_TYPE_LABELS;
  protected readonly typeIcons = FIELD_TYPE_ICONS;
  private readonly nextPosition = computed(
    () => this.fields().reduce((max, field) => Math.max(max, field.position), 0) + 10,
  );

  ngOnInit(): void {
    void this.definitions.load();
  }

  protected async create(): Promise<void> {
    const field = await this.open(null);
    if (field) {
      this.notify(`Field “${field.label}” created`);
    }
  }

  protected async edit(field: LeadFieldDto): Promise<void> {
    const saved = await this.open(field);
    if (saved) {
      this.notify(`Field “${saved.label}” saved`);
    }
  }

  protected async move(field: LeadFieldDto, step: -1 | 1): Promise<void> {
    this.moving.set(true);
    try {
      await this.definitions.move(field.id, step);
    } catch (error: unknown) {
      this.notify(`Could not move the field: ${toApiProblem(error).detail}`);
    } finally {
      this.moving.set(false);
    }
  }

  protected async remove(field: LeadFieldDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete the field “${field.label}”?`,
      message:
        'It disappears from the forms, the columns and the filters. Values already on leads are kept: a new field with the same key shows them again.',
      confirmLabel: 'Delete field',
      destructive: true,
    });
    if (!confirmed) {
      return;
    }
    try {
      await this.definitions.remove(field.id);
      this.notify(`Field “${field.label}” deleted`);
    } catch (error: unknown) {
      this.notify(`Could not delete the field: ${toApiProblem(error).detail}`);
    }
  }

  private open(field: LeadFieldDto | null): Promise<LeadFieldDto | undefined> {
    const ref = this.dialog.open<LeadFieldDialogComponent, LeadFieldDialogData, LeadFieldDto>(
      LeadFieldDialogComponent,
      {
        data: {
          field,
          nextPosition: this.nextPosition(),
          create: (body) => this.definitions.create(body),
          update: (id, body) => this.definitions.update(id, body),
        },
        autoFocus: 'first-tabbable',
      },
    );
    return firstValueFrom(ref.afterClosed());
  }

  private notify(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 5000 });
  }
}
