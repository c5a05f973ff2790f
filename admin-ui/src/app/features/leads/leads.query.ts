import { LeadFilter, LeadSource, LeadStatus, ListLeads$Params } from '@meridian/api-client';

import {
  addDays,
  browserTimeZone,
  dayRangeIn,
  dayStartingAt,
  formatDay,
  isCalendarDay,
  nearestDayIn,
} from '../../shared/format/time-zone';

export type LeadSort = NonNullable<ListLeads$Params['sort']>;
export type SortOrder = 'asc' | 'desc';

export interface LeadOrder {
  sort: LeadSort;
  order: SortOrder;
}

export const DEFAULT_ORDER: LeadOrder = { sort: 'createdAt', order: 'desc' };
export const LEAD_SORTS: readonly LeadSort[] = ['createdAt', 'updatedAt', 'score', 'name'];

export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'converted', 'lost'];
export const LEAD_SOURCES: readonly LeadSource[] = [
  'web',
  'import',
  'api',
  'whatsapp',
  'widget',
  'referral',
  'campaign',
  'other',
];

export const STATUS_LABELS: Readonly<Record<LeadStatus, string>> = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  converted: 'Converted',
  lost: 'Lost',
};

export const SOURCE_LABELS: Readonly<Record<LeadSource, string>> = {
  web: 'Web',
  import: 'Import',
  api: 'API',
  whatsapp: 'WhatsApp',
  widget: 'Website widget',
  referral: 'Referral',
  campaign: 'Campaign',
  other: 'Other',
};

/**
 * The filters of the Leads page as the user sets them. `leadFilter()` turns them into the
 * API's `LeadFilter` (list, count and saved views all take that same object).
 */
export interface LeadFilters {
  /** Full-text search over name, email and company. */
  q: string;
  status: LeadStatus[];
  source: LeadSource[];
  ownerId: string | null;
  tags: string[];
  scoreMin: number | null;
  scoreMax: number | null;
  /** null = either way. */
  hasEmail: boolean | null;
  hasPhone: boolean | null;
  emailConsent: boolean | null;
  /** First day, YYYY-MM-DD, inclusive: a day of the organization's time zone. */
  createdFrom: string | null;
  /** Last day, YYYY-MM-DD, inclusive: a day of the organization's time zone. */
  createdTo: string | null;
  /** The recycle bin instead of the live leads. */
  deleted: boolean;
}

export const NO_FILTERS: LeadFilters = {
  q: '',
  status: [],
  source: [],
  ownerId: null,
  tags: [],
  scoreMin: null,
  scoreMax: null,
  hasEmail: null,
  hasPhone: null,
  emailConsent: null,
  createdFrom: null,
  createdTo: null,
  deleted: false,
};

function clampScore(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) {
    return null;
  }
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** The same page filters, whatever the objects: a filter panel sends a new object on every echo of what it shows. */
export function sameLeadFilter(a: LeadFilters, b: LeadFilters): boolean {
  // The same days are the same instants in any one zone.
  return sameFilter(leadFilter(a, 'UTC'), leadFilter(b, 'UTC'));
}

/**
 * The API's filter for what the page shows: only what is set. The created days are whole days of
 * `timeZone` (the organization's), `createdTo` exclusive (the start of the next day), so everyone in
 * the organization, wherever their browser is, gets the same leads for the same days.
 */
export function leadFilter(filters: LeadFilters, timeZone: string): LeadFilter {
  const result: LeadFilter = {};
  const q = filters.q.trim();
  if (q) {
    result.q = q;
  }
  if (filters.status.length > 0) {
    result.status = [...filters.status];
  }
  if (filters.source.length > 0) {
    result.source = [...filters.source];
  }
  if (filters.ownerId) {
    result.ownerId = filters.ownerId;
  }
  if (filters.tags.length > 0) {
    result.tag = [...filters.tags];
  }
  let scoreMin = clampScore(filters.scoreMin);
  let scoreMax = clampScore(filters.scoreMax);
  if (scoreMin !== null && scoreMax !== null && scoreMin > scoreMax) {
    [scoreMin, scoreMax] = [scoreMax, scoreMin];
  }
  if (scoreMin !== null && scoreMin > 0) {
    result.scoreMin = scoreMin;
  }
  if (scoreMax !== null && scoreMax < 100) {
    result.scoreMax = scoreMax;
  }
  if (filters.hasEmail !== null) {
    result.hasEmail = filters.hasEmail;
  }
  if (filters.hasPhone !== null) {
    result.hasPhone = filters.hasPhone;
  }
  if (filters.emailConsent !== null) {
    result.emailConsent = filters.emailConsent;
  }
  const created = dayRangeIn(filters.createdFrom, filters.createdTo, timeZone);
  if (created.from) {
    result.createdFrom = created.from;
  }
  if (created.to) {
    result.createdTo = created.to;
  }
  if (filters.deleted) {
    result.deleted = true;
  }
  return result;
}

/** The query of one page of the list. */
export function leadListParams(
  filters: LeadFilters,
  timeZone: string,
  order: LeadOrder,
  limit: number,
  cursor: string | undefined,
): ListLeads$Params {
  return {
    ...leadFilter(filters, timeZone),
    sort: order.sort,
    order: order.order,
    limit,
    ...(cursor ? { cursor } : {}),
  };
}

/** A saved view stores the filter without the recycle-bin switch: a view is about which live leads. */
export function viewFilter(filters: LeadFilters, timeZone: string): LeadFilter {
  const { deleted: _deleted, ...filter } = leadFilter(filters, timeZone);
  return filter;
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.length > 0);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T[] {
  return strings(value).filter((item): item is T => (allowed as readonly string[]).includes(item));
}

function bool(value: unknown): boolean | null {
  if (value === true || value === 'true') {
    return true;
  }
  if (value === false || value === 'false') {
    return false;
  }
  return null;
}

function num(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? clampScore(parsed) : null;
}

/**
 * The day of `timeZone` a stored bound stands for. Views and segments saved before the days
 * followed the organization's zone hold midnights of the saving browser's zone: most likely this
 * browser's (`legacyZone`), else one within 12 hours of the organization's (the nearest day).
 */
function storedDay(value: unknown, timeZone: string, legacyZone: string): string | null {
  if (typeof value !== 'string' && !(value instanceof Date)) {
    return null;
  }
  return dayStartingAt(value, timeZone) ?? dayStartingAt(value, legacyZone) ?? nearestDayIn(value, timeZone);
}

/**
 * The page's filters from a saved view's or segment's filter (as stored by the API, possibly written
 * by another client): unknown keys and bad values are dropped, never trusted. The created bounds
 * are read as days of `timeZone`, the organization's.
 */
export function filtersFromView(
  filter: Record<string, unknown> | null | undefined,
  timeZone: string,
  legacyZone: string = browserTimeZone(),
): LeadFilters {
  const f = filter ?? {};
  const createdFrom = storedDay(f['createdFrom'], timeZone, legacyZone);
  const createdTo = storedDay(f['createdTo'], timeZone, legacyZone);
  return {
    ...NO_FILTERS,
    q: typeof f['q'] === 'string' ? f['q'] : '',
    status: oneOf(f['status'], LEAD_STATUSES),
    source: oneOf(f['source'], LEAD_SOURCES),
    ownerId: typeof f['ownerId'] === 'string' && f['ownerId'] ? f['ownerId'] : null,
    tags: strings(f['tag']),
    scoreMin: num(f['scoreMin']),
    scoreMax: num(f['scoreMax']),
    hasEmail: bool(f['hasEmail']),
    hasPhone: bool(f['hasPhone']),
    emailConsent: bool(f['emailConsent']),
    createdFrom,
    // Stored exclusive (the start of the next day); shown as the last day included.
    createdTo: createdTo ? addDays(createdTo, -1) : null,
  };
}

/** The same leads, whatever the order of the values: for "which saved view is this?". */
export function sameFilter(a: LeadFilter, b: LeadFilter): boolean {
  return canonical(a) === canonical(b);
}

function canonical(filter: LeadFilter): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => [key, Array.isArray(value) ? [...(value as string[])].sort() : value] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/** Anything narrowing the list, besides the recycle-bin switch. */
export function isFiltered(filters: LeadFilters): boolean {
  return Object.keys(viewFilter(filters, 'UTC')).length > 0;
}

export type FilterKey = Exclude<keyof LeadFilters, 'deleted'>;

export interface FilterChip {
  /** Stable id for tracking and tests: "status", "tag:vip"... */
  id: string;
  key: FilterKey;
  /** The value this chip removes, for lists (one chip per tag). */
  value?: string;
  label: string;
}

function yesNo(value: boolean, yes: string, no: string): string {
  return value ? yes : no;
}

/** The active filters as chips, in words: "Status: New, Contacted", "Score 50–100", "Tag: vip". */
export function filterChips(filters: LeadFilters, ownerName: (id: string) => string): FilterChip[] {
  const chips: FilterChip[] = [];
  const q = filters.q.trim();
  if (q) {
    chips.push({ id: 'q', key: 'q', label: `Search: “${q}”` });
  }
  if (filters.status.length > 0) {
    chips.push({
      id: 'status',
      key: 'status',
      label: `Status: ${filters.status.map((s) => STATUS_LABELS[s]).join(', ')}`,
    });
  }
  if (filters.source.length > 0) {
    chips.push({
      id: 'source',
      key: 'source',
      label: `Source: ${filters.source.map((s) => SOURCE_LABELS[s]).join(', ')}`,
    });
  }
  if (filters.ownerId) {
    chips.push({ id: 'ownerId', key: 'ownerId', label: `Owner: ${ownerName(filters.ownerId)}` });
  }
  for (const tag of filters.tags) {
    chips.push({ id: `tag:${tag}`, key: 'tags', value: tag, label: `Tag: ${tag}` });
  }
  const { scoreMin, scoreMax } = leadFilter(
    { ...NO_FILTERS, scoreMin: filters.scoreMin, scoreMax: filters.scoreMax },
    'UTC',
  );
  if (scoreMin !== undefined || scoreMax !== undefined) {
    chips.push({ id: 'score', key: 'scoreMin', label: `Score ${scoreMin ?? 0}–${scoreMax ?? 100}` });
  }
  if (filters.hasEmail !== null) {
    chips.push({ id: 'hasEmail', key: 'hasEmail', label: yesNo(filters.hasEmail, 'Has an email', 'No email') });
  }
  if (filters.hasPhone !== null) {
    chips.push({ id: 'hasPhone', key: 'hasPhone', label: yesNo(filters.hasPhone, 'Has a phone', 'No phone') });
  }
  if (filters.emailConsent !== null) {
    chips.push({
      id: 'emailConsent',
      key: 'emailConsent',
      label: yesNo(filters.emailConsent, 'Email consent', 'No email consent'),
    });
  }
  if (filters.createdFrom || filters.createdTo) {
    // The days as the organization sees them (the filter panel names the zone).
    const from = filters.createdFrom ? formatDay(filters.createdFrom) : null;
    const to = filters.createdTo ? formatDay(filters.createdTo) : null;
    const label = from && to ? `Created ${from} – ${to}` : from ? `Created since ${from}` : `Created until ${to}`;
    chips.push({ id: 'created', key: 'createdFrom', label });
  }
  return chips;
}

/** The filters without what one chip stands for. */
export function withoutChip(filters: LeadFilters, chip: FilterChip): LeadFilters {
  switch (chip.key) {
    case 'tags':
      return { ...filters, tags: filters.tags.filter((tag) => tag !== chip.value) };
    case 'scoreMin':
    case 'scoreMax':
      return { ...filters, scoreMin: null, scoreMax: null };
    case 'createdFrom':
    case 'createdTo':
      return { ...filters, createdFrom: null, createdTo: null };
    default:
      return { ...filters, [chip.key]: NO_FILTERS[chip.key] };
  }
}

/** "Ana Lima", else the email, else the company: a lead may have any one of them. */
export function leadName(lead: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  phone?: string | null;
}): string {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ').trim();
  return name || lead.email || lead.company || lead.phone || 'Unnamed lead';
}

/**
 * Filters a link may carry as query parameters (`tag`, `source` and `status`, repeatable;
 * `ownerId`; `createdFrom`/`createdTo` as YYYY-MM-DD days of the organization's time zone), e.g. the import wizard's
 * "View imported leads" or a figure of the dashboard; null when the link carries none.
 */
export function filtersFromLink(params: { getAll(name: string): string[] }): LeadFilters | null {
  const tags = strings(params.getAll('tag'));
  const source = oneOf(params.getAll('source'), LEAD_SOURCES);
  const status = oneOf(params.getAll('status'), LEAD_STATUSES);
  const ownerId = strings(params.getAll('ownerId'))[0] ?? null;
  const day = (name: string): string | null => {
    const value = strings(params.getAll(name))[0];
    return isCalendarDay(value) ? value : null;
  };
  const createdFrom = day('createdFrom');
  const createdTo = day('createdTo');
  if (tags.length === 0 && source.length === 0 && status.length === 0 && !ownerId && !createdFrom && !createdTo) {
    return null;
  }
  return { ...NO_FILTERS, tags, source, status, ownerId, createdFrom, createdTo };
}
