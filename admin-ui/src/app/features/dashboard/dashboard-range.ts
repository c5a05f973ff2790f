import type { DashboardPeriod } from './analytics.store';

/** The API's longest custom period (MAX_PERIOD_DAYS in the analytics module): two years of days. */
export const MAX_RANGE_DAYS = 731;

export const PRESET_PERIODS: readonly DashboardPeriod[] = ['7d', '30d', '90d', '365d'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A real calendar day as YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: unknown): value is string {
  return (
    typeof value === 'string' && DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
  );
}

/** Today in `timeZone` as YYYY-MM-DD (en-CA formats dates that way). */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The calendar day a date picker's Date stands for (the picker gives local midnights). */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local-midnight Date a date picker shows for a YYYY-MM-DD day. */
export function dateOf(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export type RangeError = 'required' | 'order' | 'future' | 'span';

/** Why from..to cannot be asked for (null when it can): the same rules as the API, plus no day after today. */
export function rangeError(from: string | null, to: string | null, today: string): RangeError | null {
  if (!from || !to || !isDay(from) || !isDay(to)) return 'required';
  if (from > to) return 'order';
  if (to > today) return 'future';
  if (daysBetween(from, to) > MAX_RANGE_DAYS) return 'span';
  return null;
}

export const RANGE_ERROR_MESSAGES: Record<RangeError, string> = {
  required: 'Choose a first and a last day',
  order: 'The last day must not be before the first',
  future: 'The last day cannot be after today',
  span: `A range spans at most ${MAX_RANGE_DAYS} days (two years)`,
};

export interface DashboardPeriodQuery {
  period: DashboardPeriod;
  from: string | null;
  to: string | null;
}

/**
 * The period of a shared link (`?period=90d` or `?period=custom&from=&to=`). Anything that is not
 * a valid period falls back to the default, so a mistyped link still opens the dashboard.
 */
export function periodFromQuery(params: { get(name: string): string | null }, today: string): DashboardPeriodQuery {
  const period = params.get('period');
  const from = params.get('from');
  const to = params.get('to');
  if ((period === 'custom' || (period === null && from !== null)) && rangeError(from, to, today) === null) {
    return { period: 'custom', from, to };
  }
  if (period !== null && (PRESET_PERIODS as readonly string[]).includes(period)) {
    return { period: period as DashboardPeriod, from: null, to: null };
  }
  return { period: '30d', from: null, to: null };
}

/** The query params that share `q`: the default period is left out, a custom one carries its days. */
export function periodToQuery(q: DashboardPeriodQuery): Record<string, string | null> {
  if (q.period === 'custom') return { period: 'custom', from: q.from, to: q.to };
  return { period: q.period === '30d' ? null : q.period, from: null, to: null };
}
