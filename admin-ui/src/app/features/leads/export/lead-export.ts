import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { ApiConfiguration, LeadFilter, exportLeadsCsv, startLeadExport } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { LeadExportDialogComponent, LeadExportDialogData } from './lead-export-dialog.component';

/** Above this many leads the export runs in the background only (a download would take long). */
export const BACKGROUND_EXPORT_THRESHOLD = 10_000;

export type ExportMode = 'download' | 'background';

/** Whether "Download now" is offered for this many leads (unknown count: yes). */
export function canDownloadNow(count: number | null): boolean {
  return count === null || count <= BACKGROUND_EXPORT_THRESHOLD;
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header, or a dated default. */
export function exportFileName(disposition: string | null, today = new Date()): string {
  const match = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (match?.[1]) {
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return match[1];
    }
  }
  const day = today.toISOString().slice(0, 10);
  return `leads-${day}.csv`;
}

/**
 * Export of the Leads page (the Export CSV menu): "Download now" streams the CSV
 * (GET /api/leads/export.csv) and saves it; "Export in background" starts a task
 * (POST /api/lead-exports) and follows it in a dialog that offers the file at the end.
 */
@Injectable({ providedIn: 'root' })
export class LeadExporter {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly dialog = inject(MatDialog);

  async export(filter: LeadFilter, mode: ExportMode): Promise<void> {
    if (mode === 'download') {
      await this.downloadNow(filter);
    } else {
      await this.inBackground(filter);
    }
  }

  async downloadNow(filter: LeadFilter): Promise<void> {
    const response = await firstValueFrom(exportLeadsCsv(this.http, this.apiConfig.rootUrl, filter));
    const name = exportFileName(response.headers.get('content-disposition'));
    const url = URL.createObjectURL(response.body);
    try {
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
    } finally {
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
  }

  async inBackground(filter: LeadFilter): Promise<void> {
    const task = await firstValueFrom(
      startLeadExport(this.http, this.apiConfig.rootUrl, { body: { filter } }).pipe(map((response) => response.body)),
    );
    this.dialog.open<LeadExportDialogComponent, LeadExportDialogData>(LeadExportDialogComponent, {
      data: { task },
      width: '520px',
      maxWidth: '95vw',
    });
  }
}
