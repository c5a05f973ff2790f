import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { LeadFilter } from '@meridian/api-client';

import { toApiProblem } from '../../../core/http/api-problem';
import { BACKGROUND_EXPORT_THRESHOLD, ExportMode, canDownloadNow } from '../export/lead-export';
import { LEADS_EXTENSIONS } from '../leads.extensions';
import { LeadOrder } from '../leads.query';

/**
 * Import and Export of leads: the page header and the empty state show these buttons. They
 * are wired through LEADS_EXTENSIONS (leads.extensions.ts); while a feature is not there,
 * its button is disabled and says "coming".
 */
@Component({
  selector: 'app-leads-transfer-actions',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatTooltipModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (canImport()) {
      @if (extensions.importRoute; as importRoute) {
        <a mat-stroked-button [routerLink]="importRoute" data-testid="leads-import">
          <mat-icon svgIcon="upload" aria-hidden="true" />
          Import CSV
        </a>
      } @else {
        <!-- A disabled button shows no tooltip: the wrapper carries it. -->
        <span matTooltip="Import from a CSV file is coming" class="tooltip-host">
          <button mat-stroked-button type="button" disabled data-testid="leads-import">
            <mat-icon svgIcon="upload" aria-hidden="true" />
            Import CSV
          </button>
        </span>
      }
    }
    @if (canExport() && !hideExport()) {
      @if (extensions.exportLeads) {
        <button
          mat-stroked-button
          type="button"
          [matMenuTriggerFor]="exportMenu"
          [disabled]="exporting()"
          data-testid="leads-export"
        >
          <mat-icon svgIcon="download" aria-hidden="true" />
          {{ exporting() ? 'Exporting…' : 'Export CSV' }}
          <mat-icon svgIcon="expand_more" aria-hidden="true" iconPositionEnd />
        </button>
        <mat-menu #exportMenu="matMenu">
          <button
            mat-menu-item
            type="button"
            (click)="exportLeads('download')"
            [disabled]="!downloadable()"
            data-testid="leads-export-download"
          >
            <mat-icon svgIcon="file_download" aria-hidden="true" />
            <span>{{
              downloadable() ? 'Download now' : 'Download now (up to ' + threshold.toLocaleString() + ' leads)'
            }}</span>
          </button>
          <button mat-menu-item type="button" (click)="exportLeads('background')" data-testid="leads-export-background">
            <mat-icon svgIcon="schedule" aria-hidden="true" />
            <span>Export in background</span>
          </button>
        </mat-menu>
      } @else {
        <span matTooltip="Export to a CSV file is coming" class="tooltip-host">
          <button mat-stroked-button type="button" disabled data-testid="leads-export">
            <mat-icon svgIcon="download" aria-hidden="true" />
            Export CSV
          </button>
        </span>
      }
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .tooltip-host {
      display: inline-flex;
    }
  `,
})
export class LeadsTransferActionsComponent {
  protected readonly extensions = inject(LEADS_EXTENSIONS);
  private readonly snackBar = inject(MatSnackBar);

  readonly canImport = input(false);
  readonly canExport = input(false);
  /** The empty state offers only Import: there is nothing to export. */
  readonly hideExport = input(false);
  /** What the list shows, for Export. */
  readonly filter = input<LeadFilter>({});
  readonly order = input<LeadOrder>({ sort: 'createdAt', order: 'desc' });
  /** How many leads the filter matches (null while counting): large exports run in the background only. */
  readonly count = input<number | null>(null);

  protected readonly threshold = BACKGROUND_EXPORT_THRESHOLD;
  protected readonly downloadable = computed(() => canDownloadNow(this.count()));

  protected readonly exporting = signal(false);

  protected async exportLeads(mode: ExportMode): Promise<void> {
    const run = this.extensions.exportLeads;
    if (!run) {
      return;
    }
    this.exporting.set(true);
    try {
      await run(this.filter(), this.order(), mode);
    } catch (error: unknown) {
      this.snackBar.open(`Could not export: ${toApiProblem(error).detail}`, 'Dismiss', { duration: 6000 });
    } finally {
      this.exporting.set(false);
    }
  }
}
