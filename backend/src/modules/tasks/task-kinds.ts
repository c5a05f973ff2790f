import { Permission } from '../auth/permissions';

/**
 * Who may see a task of each kind, and a file of each purpose. Static on
 * purpose: the API must answer for tasks whose handlers live only in the
 * worker. A kind or purpose missing here is visible to nobody.
 */
export const TASK_KIND_PERMISSIONS: Record<string, Permission> = {
  'lead.import': Permission.LeadsImport,
  'lead.export': Permission.LeadsExport,
  'lead.bulk': Permission.LeadsWrite,
};

export const FILE_PURPOSE_PERMISSIONS: Record<string, Permission> = {
  'lead-import': Permission.LeadsImport,
  'lead-import-errors': Permission.LeadsImport,
  'lead-export': Permission.LeadsExport,
};

export function kindsVisibleTo(permissions: readonly Permission[]): string[] {
  return Object.entries(TASK_KIND_PERMISSIONS)
    .filter(([, permission]) => permissions.includes(permission))
    .map(([kind]) => kind);
}

export function mayReadPurpose(permissions: readonly Permission[], purpose: string): boolean {
  const needed = FILE_PURPOSE_PERMISSIONS[purpose];
  return needed !== undefined && permissions.includes(needed);
}
