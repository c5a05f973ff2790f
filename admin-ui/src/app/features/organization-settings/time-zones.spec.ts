import { filterTimeZones, isTimeZone, supportedTimeZones, utcOffset } from './time-zones';

describe('time zones of the organization settings', () => {
  const winter = new Date('2026-01-15T12:00:00Z');
  const summer = new Date('2026-07-15T12:00:00Z');
  const zones = ['America/New_York', 'Asia/Kolkata', 'Europe/Paris', 'UTC', 'America/St_Johns'];

  it('lists the browser zones, UTC included', () => {
    const all = supportedTimeZones();
    expect(all).toContain('UTC');
    expect(all).toContain('Europe/Paris');
    expect(new Set(all).size).toBe(all.length);
  });

  it('knows zone names and refuses the rest', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('  ')).toBe(false);
  });

  it('shows the offset at the given moment, summer time included', () => {
    expect(utcOffset('Europe/Paris', winter)).toBe('UTC+01:00');
    expect(utcOffset('Europe/Paris', summer)).toBe('UTC+02:00');
    expect(utcOffset('America/New_York', winter)).toBe('UTC−05:00');
    expect(utcOffset('Asia/Kolkata', winter)).toBe('UTC+05:30');
    expect(utcOffset('UTC', winter)).toBe('UTC+00:00');
  });

  it('matches words of the name, underscores and slashes as spaces, any case', () => {
    expect(filterTimeZones(zones, 'new york', winter).map((z) => z.name)).toEqual(['America/New_York']);
    expect(filterTimeZones(zones, 'AMERICA/', winter).map((z) => z.name)).toEqual([
      'America/New_York',
      'America/St_Johns',
    ]);
    expect(filterTimeZones(zones, 'york america', winter).map((z) => z.name)).toEqual(['America/New_York']);
    expect(filterTimeZones(zones, 'tokyo', winter)).toEqual([]);
  });

  it('matches the offset, typed with a plain minus', () => {
    expect(filterTimeZones(zones, '+05:30', winter).map((z) => z.name)).toEqual(['Asia/Kolkata']);
    expect(filterTimeZones(zones, 'utc-05', winter).map((z) => z.name)).toEqual(['America/New_York']);
    expect(filterTimeZones(zones, '-03:30', winter).map((z) => z.name)).toEqual(['America/St_Johns']);
  });

  it('gives a readable label and the offset, and stops at the limit', () => {
    expect(filterTimeZones(zones, 'paris', summer)).toEqual([
      { name: 'Europe/Paris', label: 'Europe / Paris', offset: 'UTC+02:00' },
    ]);
    expect(filterTimeZones(zones, '', winter, 2)).toHaveLength(2);
  });
});
