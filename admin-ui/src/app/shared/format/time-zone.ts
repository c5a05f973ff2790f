/**
 * Days and wall clocks in an IANA time zone, with the browser's Intl only (no date library): the
 * organization's zone cuts the days of analytics, of the leads filters and of campaign schedules.
 * A day is a zone-less calendar day, "2026-03-29"; where it starts depends on the zone.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** A real calendar day as YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(value: unknown): value is string {
  return (
    typeof value === 'string' && DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
  );
}

/** The day `days` after (or before) `day`: "2026-03-31" + 1 → "2026-04-01". */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms (summer time included). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant of a wall-clock date and time in a time zone: "2026-12-24", "09:30", "Europe/Berlin"
 * → 2026-12-24T08:30:00Z. Null for an incomplete or impossible input.
 */
export function zonedInstant(day: string, time: string, timeZone: string): Date | null {
  const d = DAY.exec(day);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) {
    return null;
  }
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wall)) {
    return null;
  }
  try {
    // Twice: the offset at the guess may differ from the offset at the answer around a DST change.
    let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
    instant = wall - zoneOffsetMs(new Date(instant), timeZone);
    return new Date(instant);
  } catch {
    return null;
  }
}

/** The wall-clock day ("2026-12-24") and time ("09:30") of an instant in a zone. */
export function wallClock(iso: string | Date, timeZone: string): { day: string; time: string } {
  const at = new Date(iso);
  const shifted = new Date(at.getTime() + zoneOffsetMs(at, timeZone));
  return {
    day: `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`,
    time: `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`,
  };
}

/**
 * The first instant of `day` in the zone: its midnight, or the end of the gap where summer time
 * skips midnight (America/Santiago, America/Havana). Null for a bad day or zone.
 */
export function startOfDayIn(day: string, timeZone: string): Date | null {
  if (!isCalendarDay(day)) {
    return null;
  }
  const midnight = zonedInstant(day, '00:00', timeZone);
  if (!midnight) {
    return null;
  }
  if (wallClock(midnight, timeZone).day === day) {
    return midnight;
  }
  // Midnight does not exist that day: the day starts when the clocks jump, which is midnight
  // by the offset in force before the jump.
  const wall = Date.parse(`${day}T00:00:00Z`);
  return new Date(wall - zoneOffsetMs(new Date(midnight.getTime() - 6 * 3_600_000), timeZone));
}

/**
 * Whole days `from`..`to` (both included) of the zone as instants, `to` exclusive (the next day's
 * start), as the API's created filters want them.
 */
export function dayRangeIn(
  from: string | null,
  to: string | null,
  timeZone: string,
): { from: string | null; to: string | null } {
  const start = from ? startOfDayIn(from, timeZone) : null;
  const end = to && isCalendarDay(to) ? startOfDayIn(addDays(to, 1), timeZone) : null;
  return { from: start?.toISOString() ?? null, to: end?.toISOString() ?? null };
}

/** The day `iso` starts in the zone, or null when it is not the start of a day there. */
export function dayStartingAt(iso: string | Date, timeZone: string): string | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return null;
  }
  try {
    const { day } = wallClock(at, timeZone);
    return startOfDayIn(day, timeZone)?.getTime() === at.getTime() ? day : null;
  } catch {
    return null;
  }
}

/** The browser's IANA time zone, UTC when it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The day of the zone that starts nearest to `iso`: its own day for an instant that is a day start
 * of the zone, and the day meant for a midnight of another zone (up to 12 hours away), such as a
 * saved view written before its days followed the organization's zone.
 */
export function nearestDayIn(iso: string | Date, timeZone: string): string | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return null;
  }
  const { day, time } = wallClock(at, timeZone);
  return time >= '12:00' ? addDays(day, 1) : day;
}

/** The local-midnight Date a date picker shows for a day (pickers work in the browser's zone). */
export function pickerDate(day: string | null): Date | null {
  const d = day ? DAY.exec(day) : null;
  return d ? new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3])) : null;
}

/** The calendar day a date picker's Date stands for (the picker gives local midnights). */
export function pickerDay(date: Date | null): string | null {
  if (!date || Number.isNaN(date.getTime())) {
    return null;
  }
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const dayLabel = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar day for reading, the same in every browser: "29 Mar 2026" (the user's locale). */
export function formatDay(day: string): string {
  return isCalendarDay(day) ? dayLabel.format(new Date(`${day}T00:00:00Z`)) : day;
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the zone's wall clock, "Mar 29, 2026, 3:30:00 AM"; '' when unreadable. */
export function formatInstantIn(iso: string | Date | null | undefined, timeZone: string): string {
  if (!iso) {
    return '';
  }
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return '';
  }
  let format = instantFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
    } catch {
      format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    }
    instantFormats.set(timeZone, format);
  }
  return format.format(at);
}
