import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { LeadStatus } from '@meridian/api-client';

import { LEAD_STATUSES, STATUS_LABELS } from '../leads.query';
import { OwnerOption } from '../leads.store';
import { STATUS_ICONS } from './lead-status-chip.component';

/**
 * What can be done to the selected leads: status, owner, tags, merge (two leads), delete, or
 * restore in the recycle bin. It only asks: the page runs the action (through LeadBulkActions).
 */
@Component({
  selector: 'app-lead-selection-toolbar',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatTooltipModule],
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
        <button
          mat-button
          type="button"
          [matMenuTriggerFor]="ownerMenu"
          [disabled]="busy()"
          data-testid="selection-assign"
        >
          <mat-icon svgIcon="person" aria-hidden="true" />
          Assign
        </button>
        <mat-menu #ownerMenu="matMenu">
          @for (owner of owners(); track owner.id) {
            <button mat-menu-item type="button" (click)="assign.emit(owner.id)">
              <mat-icon svgIcon="person" aria-hidden="true" />
              <span>{{ owner.name }}</span>
            </button>
          }
          <button mat-menu-item type="button" (click)="assign.emit(null)" data-testid="selection-unassign">
            <mat-icon svgIcon="remove_circle_outline" aria-hidden="true" />
            <span>Nobody (unassign)</span>
          </button>
        </mat-menu>
        <button mat-button type="button" [matMenuTriggerFor]="tagMenu" [disabled]="busy()" data-testid="selection-tags">
          <mat-icon svgIcon="label" aria-hidden="true" />
          Tags
        </button>
        <mat-menu #tagMenu="matMenu">
          <button mat-menu-item type="button" (click)="addTags.emit()" data-testid="selection-add-tags">
            <mat-icon svgIcon="label" aria-hidden="true" />
            <span>Add tags…</span>
          </button>
          <button mat-menu-item type="button" (click)="removeTags.emit()" data-testid="selection-remove-tags">
            <mat-icon svgIcon="label_off" aria-hidden="true" />
            <span>Remove tags…</span>
          </button>
        </mat-menu>
        @if (canMerge()) {
          <button
            mat-button
            type="button"
            (click)="merge.emit()"
            [disabled]="busy() || ids().length !== 2 || allMatching()"
            [matTooltip]="
              ids().length === 2 && !allMatching()
                ? 'Merge these two leads into one'
                : 'Select exactly two leads to merge them'
            "
            data-testid="selection-merge"
          >
            <mat-icon svgIcon="merge_type" aria-hidden="true" />
            Merge…
          </button>
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
  /** The selected lead ids on screen, in list order. */
  readonly ids = input.required<readonly string[]>();
  /** How many leads the actions apply to (more than the ids when all matching are selected). */
  readonly count = input.required<number>();
  /** Every lead matching the filter is selected (the actions send the filter). */
  readonly allMatching = input(false);
  /** Who the selection can be given to. */
  readonly owners = input<readonly OwnerOption[]>([]);
  /** Merging needs leads:delete too. */
  readonly canMerge = input(false);
  /** The recycle bin is shown: restore instead of edit and delete. */
  readonly deleted = input(false);
  readonly canWrite = input(false);
  readonly canDelete = input(false);
  readonly busy = input(false);

  readonly statusChange = output<LeadStatus>();
  readonly assign = output<string | null>();
  readonly addTags = output<void>();
  readonly removeTags = output<void>();
  readonly merge = output<void>();
  readonly delete = output<void>();
  readonly restore = output<void>();
  readonly clear = output<void>();

  protected readonly statuses = LEAD_STATUSES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly statusIcons = STATUS_ICONS;
  protected readonly label = computed(() => {
    const count = this.count();
    const label = count === 1 ? '1 lead' : `${count.toLocaleString()} leads`;
    return this.allMatching() ? `All ${label} matching` : label;
  });
}
