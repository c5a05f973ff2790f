import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { LeadStatus } from '@meridian/api-client';

import { LEADS_EXTENSIONS } from '../leads.extensions';
import { LEAD_STATUSES, STATUS_LABELS } from '../leads.query';
import { STATUS_ICONS } from './lead-status-chip.component';

/**
 * What can be done to the selected leads. It only asks: the page runs the action (through
 * LeadBulkActions), so this toolbar stays the same when the API gets bulk jobs.
 */
@Component({
  selector: 'app-lead-selection-toolbar',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatTooltipModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'toolbar', '[attr.aria-label]': '"Actions on " + label()' },
  template: `
    <button
      mat-icon-button
      type="button"
      (click)="clear.emit()"
      aria-label="Clear the selection"
      data-testid="selection-clear"
    >
      <mat-icon svgIcon="close" aria-hidden="true" />
    </button>
    <span class="count" data-testid="selection-count">{{ label() }} selected</span>
    <span class="spacer"></span>
    @if (busy()) {
      <span class="busy" role="status">Working…</span>
    }
    @if (deleted()) {
      @if (canDelete()) {
        <button mat-button type="button" (click)="restore.emit()" [disabled]="busy()" data-testid="selection-restore">
          <mat-icon svgIcon="restore_from_trash" aria-hidden="true" />
          Restore
        </button>
      }
    } @else {
      @if (canWrite()) {
        <button
          mat-button
          type="button"
          [matMenuTriggerFor]="statusMenu"
          [disabled]="busy()"
          data-testid="selection-status"
        >
          <mat-icon svgIcon="flag" aria-hidden="true" />
          Change status
        </button>
        <mat-menu #statusMenu="matMenu">
          @for (status of statuses; track status) {
            <button mat-menu-item type="button" (click)="statusChange.emit(status)">
              <mat-icon [svgIcon]="statusIcons[status]" aria-hidden="true" />
              <span>{{ statusLabels[status] }}</span>
            </button>
          }
        </mat-menu>
        @if (extensions.mergeRoute; as mergeRoute) {
          @if (ids().length === 2) {
            <a mat-button [routerLink]="mergeRoute(ids()[0], ids()[1])" data-testid="selection-merge">
              <mat-icon svgIcon="merge_type" aria-hidden="true" />
              Merge
            </a>
          }
        } @else {
          <span matTooltip="Merging duplicates is coming" class="tooltip-host">
            <button mat-button type="button" disabled data-testid="selection-merge">
              <mat-icon svgIcon="merge_type" aria-hidden="true" />
              Merge
            </button>
          </span>
        }
      }
      @if (canDelete()) {
        <button
          mat-button
          type="button"
          class="danger"
          (click)="delete.emit()"
          [disabled]="busy()"
          data-testid="selection-delete"
        >
          <mat-icon svgIcon="delete" aria-hidden="true" />
          Delete
        </button>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
      min-height: 56px;
      padding: 4px 12px 4px 4px;
      border-radius: var(--mat-sys-corner-large);
      color: var(--mat-sys-on-secondary-container);
      background: var(--mat-sys-secondary-container);
    }
    .count {
      font: var(--mat-sys-title-small);
    }
    .spacer {
      flex: 1;
    }
    .busy {
      font: var(--mat-sys-body-small);
    }
    .tooltip-host {
      display: inline-flex;
    }
    .danger:not(:disabled) {
      color: var(--mat-sys-error);
    }
  `,
})
export class LeadSelectionToolbarComponent {
  protected readonly extensions = inject(LEADS_EXTENSIONS);

  /** The selected lead ids, in list order. */
  readonly ids = input.required<readonly string[]>();
  /** The recycle bin is shown: restore instead of edit and delete. */
  readonly deleted = input(false);
  readonly canWrite = input(false);
  readonly canDelete = input(false);
  readonly busy = input(false);

  readonly statusChange = output<LeadStatus>();
  readonly delete = output<void>();
  readonly restore = output<void>();
  readonly clear = output<void>();

  protected readonly statuses = LEAD_STATUSES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly statusIcons = STATUS_ICONS;
  protected readonly label = computed(() => {
    const count = this.ids().length;
    return count === 1 ? '1 lead' : `${count} leads`;
  });
}
