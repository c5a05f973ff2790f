import { ValidationProblem } from '../../common/errors/problem';

export const PERIOD_PRESETS = ['7d', '30d', '90d', '365d', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** Longest custom period: two years of days. */
export const MAX_PERIOD_DAYS = 731;

/** Local days (YYYY-MM-DD, inclusive) of a period and of the one just before it, of the same length. */
export interface ResolvedPeriod {
  from: string;
  to: string;
  days: number;
  previousFrom: string;
  previousTo: string;
}

const DAY_MS = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ofDay = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Today in `timeZone` as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Adds days to a local day (calendar arithmetic: no time zone involved). */
export function addDays(day: string, n: number): string {
  return toDay(ofDay(day) + n * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((ofDay(to) - ofDay(from)) / DAY_MS) + 1;
}

/** A real calendar day, not just the shape (2026-02-30 is refused). */
export function isCalendarDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(ofDay(value)) && toDay(ofDay(value)) === value;
}

/**
 * The period asked for: a preset ending today (in the organization's time
 * zone), or from..to for 'custom'. Bad combinations are 400s naming the field.
 */
export function resolvePeriod(
  input: { period?: PeriodPreset; from?: string; to?: string },
  today: string,
): ResolvedPeriod {
  const period = input.period ?? (input.from || input.to ? 'custom' : '30d');
  let from: string;
  let to: string;
  if (period === 'custom') {
    const errors = [];
    if (!input.from) errors.push({ field: 'from', reason: 'is required for a custom period' });
    else if (!isCalendarDay(input.from)) errors.push({ field: 'from', reason: 'must be a day as YYYY-MM-DD' });
    if (!input.to) errors.push({ field: 'to', reason: 'is required for a custom period' });
    else if (!isCalendarDay(input.to)) errors.push({ field: 'to', reason: 'must be a day as YYYY-MM-DD' });
    if (errors.length > 0) throw new ValidationProblem(errors);
    from = input.from!;
    to = input.to!;
    if (from > to) throw new ValidationProblem([{ field: 'from', reason: 'must not be after to' }]);
    if (daysBetween(from, to) > MAX_PERIOD_DAYS)
      throw new ValidationProblem([{ field: 'to', reason: `a period spans at most ${MAX_PERIOD_DAYS} days` }]);
  } else {
    if (input.from || input.to)
      throw new ValidationProblem([
        { field: input.from ? 'from' : 'to', reason: `only with period=custom (period is ${period})` },
      ]);
    to = today;
    from = addDays(today, 1 - Number.parseInt(period, 10));
  }
  const days = daysBetween(from, to);
  return { from, to, days, previousFrom: addDays(from, -days), previousTo: addDays(from, -1) };
}
