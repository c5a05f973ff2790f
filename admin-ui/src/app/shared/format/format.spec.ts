import { formatBytes, formatDuration, formatMs, formatRelativeTime } from './format';

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8 GiB');
    expect(formatBytes(150 * 1024 ** 2)).toBe('150 MiB');
    expect(formatBytes(null)).toBe('—');
  });

  it('formats milliseconds', () => {
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(3.25)).toBe('3.3 ms');
    expect(formatMs(1)).toBe('1 ms');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(2000)).toBe('2 s');
    expect(formatMs(null)).toBe('—');
  });

  it('formats an uptime with its two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(7260)).toBe('2 h 1 min');
    expect(formatDuration(93_784)).toBe('1 d 2 h');
    expect(formatDuration(86_400)).toBe('1 d');
  });

  it('formats relative times in the past only', () => {
    const now = new Date('2026-01-15T10:00:00Z');
    const ago = (seconds: number): Date => new Date(now.getTime() - seconds * 1000);
    expect(formatRelativeTime(null, now)).toBe('never');
    expect(formatRelativeTime(ago(2), now)).toBe('just now');
    expect(formatRelativeTime(ago(-3), now)).toBe('just now');
    expect(formatRelativeTime(ago(25), now)).toBe('25 seconds ago');
    expect(formatRelativeTime(ago(60), now)).toBe('1 minute ago');
    expect(formatRelativeTime(ago(3 * 3600), now)).toBe('3 hours ago');
  });
});
