/** IANA time zones the browser knows, for the organization's time zone picker. */
export function supportedTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  // Chromium leaves UTC out of the list; it is the default of a new organization.
  return zones.includes('UTC') ? [...zones] : ['UTC', ...zones];
}

/** Whether the browser knows `name` as a time zone (aliases such as Asia/Calcutta included). */
export function isTimeZone(name: string): boolean {
  if (!name.trim()) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `now`, as "UTC+05:30", "UTC−04:00" or "UTC+00:00" (summer time included). */
export function utcOffset(timeZone: string, now: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(now)
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT+05:30", or plain "GMT" at offset zero in some engines.
  const offset = part?.replace(/^GMT/, '') ?? '';
  if (offset === '' || offset === '-00:00') return 'UTC+00:00';
  return `UTC${offset.replace('-', '−')}`;
}

export interface TimeZoneOption {
  name: string;
  /** "Europe/Paris" as read: "Europe / Paris", underscores as spaces. */
  label: string;
  offset: string;
}

const normalize = (text: string) => text.toLowerCase().replace(/[_/]+/g, ' ').replace(/−/g, '-').replace(/\s+/g, ' ');

/**
 * The zones matching what was typed: every word must appear in the name ("new york", "america/new",
 * "paris") or the offset ("+05:30", "utc-4"). At most `limit`, in the list's order.
 */
export function filterTimeZones(
  zones: readonly string[],
  query: string,
  now: Date = new Date(),
  limit = 50,
): TimeZoneOption[] {
  const words = normalize(query).trim().split(' ').filter(Boolean);
  const result: TimeZoneOption[] = [];
  for (const name of zones) {
    const offset = utcOffset(name, now);
    const haystack = `${normalize(name)} ${normalize(offset)}`;
    if (words.every((w) => haystack.includes(w))) {
      result.push({ name, label: name.replace(/_/g, ' ').replace(/\//g, ' / '), offset });
      if (result.length >= limit) break;
    }
  }
  return result;
}
