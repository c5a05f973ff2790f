const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const wholeNumber = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** 1536 -> "1.5 KiB". Binary units, because memory and disks are sized in them. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return '—';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const formatter = unit === 0 || value >= 100 ? wholeNumber : oneDecimal;
  return `${formatter.format(value)} ${BYTE_UNITS[unit]}`;
}

const secondsFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** Milliseconds for humans: "0.4 ms", "3.2 ms", "12 ms", "1.25 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    return '—';
  }
  const abs = Math.abs(ms);
  if (abs < 10) {
    return `${oneDecimal.format(ms)} ms`;
  }
  if (abs < 1000) {
    return `${wholeNumber.format(ms)} ms`;
  }
  return `${secondsFormat.format(ms / 1000)} s`;
}

/** 93784 -> "1 d 2 h 3 min". Two largest units are enough to read an uptime. */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds)) {
    return '—';
  }
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) {
    return '0 s';
  }
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const RELATIVE_STEPS: [limitSeconds: number, unitSeconds: number, unit: Intl.RelativeTimeFormatUnit][] = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86_400, 3600, 'hour'],
  [Infinity, 86_400, 'day'],
];

/** "just now", "25 seconds ago", "3 minutes ago" (never "in 1 second" for small clock skews). */
export function formatRelativeTime(date: Date | null, now: Date): string {
  if (!date) {
    return 'never';
  }
  const elapsedSeconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (elapsedSeconds < 5) {
    return 'just now';
  }
  for (const [limit, unitSeconds, unit] of RELATIVE_STEPS) {
    if (elapsedSeconds < limit) {
      return relativeFormat.format(-Math.floor(elapsedSeconds / unitSeconds), unit);
    }
  }
  return date.toLocaleString('en');
}

const percentFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  return `${percentFormat.format(value)}%`;
}
