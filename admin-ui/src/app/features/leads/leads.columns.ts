/** The optional columns of the leads table, in display order. Name (and the checkbox) are always there. */
export const LEAD_COLUMNS = [
  { id: 'company', label: 'Company' },
  { id: 'email', label: 'Email' },
  { id: 'phone', label: 'Phone' },
  { id: 'status', label: 'Status' },
  { id: 'score', label: 'Score' },
  { id: 'owner', label: 'Owner' },
  { id: 'source', label: 'Source' },
  { id: 'tags', label: 'Tags' },
  { id: 'createdAt', label: 'Created' },
  { id: 'updatedAt', label: 'Updated' },
] as const;

export type BuiltinColumn = (typeof LEAD_COLUMNS)[number]['id'];
/** A custom field's column: `custom:<key>`. */
export type CustomColumn = `custom:${string}`;
export type LeadColumn = BuiltinColumn | CustomColumn;

export const CUSTOM_COLUMN_PREFIX = 'custom:';

export function customColumn(key: string): CustomColumn {
  return `custom:${key}`;
}

export function isCustomColumn(column: string): column is CustomColumn {
  return column.startsWith(CUSTOM_COLUMN_PREFIX) && column.length > CUSTOM_COLUMN_PREFIX.length;
}

export const DEFAULT_COLUMNS: readonly BuiltinColumn[] = ['company', 'email', 'status', 'score', 'owner', 'createdAt'];

export const COLUMNS_STORAGE_KEY = 'meridian.leads.columns';

const KNOWN = new Set<string>(LEAD_COLUMNS.map((column) => column.id));

/** The columns chosen earlier in this browser, or the defaults. */
export function loadColumns(storage: Pick<Storage, 'getItem'> | null | undefined): LeadColumn[] {
  try {
    const raw = storage?.getItem(COLUMNS_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(parsed)) {
      // Custom columns are kept by key: whether the field still exists is for the page to say.
      return orderColumns(
        parsed.filter((id): id is LeadColumn => typeof id === 'string' && (KNOWN.has(id) || isCustomColumn(id))),
      );
    }
  } catch {
    // A bad stored value (or no storage): the defaults.
  }
  return [...DEFAULT_COLUMNS];
}

export function saveColumns(
  storage: Pick<Storage, 'setItem'> | null | undefined,
  columns: readonly LeadColumn[],
): void {
  try {
    storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(columns));
  } catch {
    // Storage full or disabled: the choice lasts for this page only.
  }
}

/**
 * In table order, whatever order they were picked in: the standard columns, then the custom
 * fields (in `customKeys` order when given, else as picked).
 */
export function orderColumns(columns: readonly LeadColumn[], customKeys?: readonly string[]): LeadColumn[] {
  const chosen = new Set<string>(columns);
  const builtin: LeadColumn[] = LEAD_COLUMNS.map((column) => column.id).filter((id) => chosen.has(id));
  const custom = customKeys
    ? customKeys.map(customColumn).filter((id) => chosen.has(id))
    : [...new Set(columns.filter(isCustomColumn))];
  return [...builtin, ...custom];
}
