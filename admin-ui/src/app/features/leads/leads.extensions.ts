import { InjectionToken, inject } from '@angular/core';
import { LeadFilter } from '@meridian/api-client';

import { ExportMode, LeadExporter } from './export/lead-export';
import { LeadOrder } from './leads.query';

/**
 * The Leads page's buttons for features that other parts of issue #4 add: import and
 * export. Each one is `null` while the feature is not there; its button then shows
 * disabled with "coming" in its tooltip. Wire a feature by setting it in the factory
 * below (or by providing LEADS_EXTENSIONS in leads.routes.ts):
 *
 * - `importRoute`: the router link of the import wizard, e.g. `['/leads', 'import']`.
 *   Used by the Import button of the page header and of the empty state
 *   (components/leads-transfer-actions.component.ts).
 * - `exportLeads`: exports what the page shows (the same filter as the list): `download`
 *   streams the CSV at once, `background` starts an export task and follows it in a dialog
 *   (export/lead-export.ts). Used by the Export CSV menu next to Import.
 *
 * Bulk changes live in lead-bulk-actions.ts; merging two leads is the dialog in
 * merge/merge-leads-dialog.component.ts.
 */
export interface LeadsExtensions {
  importRoute: readonly unknown[] | null;
  exportLeads: ((filter: LeadFilter, order: LeadOrder, mode: ExportMode) => Promise<void>) | null;
}

export const LEADS_EXTENSIONS = new InjectionToken<LeadsExtensions>('LeadsExtensions', {
  providedIn: 'root',
  factory: () => {
    const exporter = inject(LeadExporter);
    return {
      importRoute: ['/leads', 'import'],
      // The export file has its own stable order (docs/imports-and-exports.md): the order is not sent.
      exportLeads: (filter: LeadFilter, _order: LeadOrder, mode: ExportMode) => exporter.export(filter, mode),
    };
  },
});
