import {
  addDays,
  dayRangeIn,
  dayStartingAt,
  formatDay,
  formatInstantIn,
  isCalendarDay,
  nearestDayIn,
  pickerDate,
  pickerDay,
  startOfDayIn,
  wallClock,
} from './time-zone';

const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('startOfDayIn', () => {
  it('is the midnight of the zone, around Berlin springing forward on 2026-03-29', () => {
    expect(iso(startOfDayIn('2026-03-28', 'Europe/Berlin'))).toBe('2026-03-27T23:00:00.000Z');
    expect(iso(startOfDayIn('2026-03-29', 'Europe/Berlin'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(startOfDayIn('2026-03-30', 'Europe/Berlin'))).toBe('2026-03-29T22:00:00.000Z');
  });

  it('is the midnight of the zone, around New York falling back on 2026-11-01', () => {
    expect(iso(startOfDayIn('2026-10-31', 'America/New_York'))).toBe('2026-10-31T04:00:00.000Z');
    expect(iso(startOfDayIn('2026-11-01', 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(startOfDayIn('2026-11-02', 'America/New_York'))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('works for zones far from UTC, on both sides of their DST changes', () => {
    // Auckland leaves summer time on 2026-04-05 (03:00 → 02:00) and starts it on 2026-09-27 (02:00 → 03:00).
    expect(iso(startOfDayIn('2026-04-05', 'Pacific/Auckland'))).toBe('2026-04-04T11:00:00.000Z');
    expect(iso(startOfDayIn('2026-04-06', 'Pacific/Auckland'))).toBe('2026-04-05T12:00:00.000Z');
    expect(iso(startOfDayIn('2026-09-27', 'Pacific/Auckland'))).toBe('2026-09-26T12:00:00.000Z');
    expect(iso(startOfDayIn('2026-09-28', 'Pacific/Auckland'))).toBe('2026-09-27T11:00:00.000Z');
    // Kiritimati: UTC+14, the first to start a day.
    expect(iso(startOfDayIn('2026-12-07', 'Pacific/Kiritimati'))).toBe('2026-12-06T10:00:00.000Z');
    expect(iso(startOfDayIn('2026-12-07', 'Pacific/Pago_Pago'))).toBe('2026-12-07T11:00:00.000Z');
  });

  it('starts a day whose midnight summer time skips at the end of the gap', () => {
    // Santiago jumps from 24:00 on 2026-09-05 to 01:00 on 2026-09-06: that day starts at 01:00 (UTC−3).
    expect(iso(startOfDayIn('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(wallClock(startOfDayIn('2026-09-06', 'America/Santiago')!, 'America/Santiago')).toEqual({
      day: '2026-09-06',
      time: '01:00',
    });
  });

  it('starts the day at 01:00 where summer time begins at midnight (Havana, 2026-03-08)', () => {
    expect(iso(startOfDayIn('2026-03-08', 'America/Havana'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(startOfDayIn('2026-03-09', 'America/Havana'))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('is null for a day that is not one, or a zone that does not exist', () => {
    expect(startOfDayIn('2026-02-30', 'UTC')).toBeNull();
    expect(startOfDayIn('2026-3-1', 'UTC')).toBeNull();
    expect(startOfDayIn('2026-03-01', 'Mars/Olympus')).toBeNull();
  });
});

describe('dayRangeIn', () => {
  it('gives whole days, the end exclusive at the next day start', () => {
    expect(dayRangeIn('2026-03-29', '2026-03-29', 'Europe/Berlin')).toEqual({
      from: '2026-03-28T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
    expect(dayRangeIn(null, '2026-12-31', 'Pacific/Kiritimati')).toEqual({
      from: null,
      to: '2026-12-31T10:00:00.000Z',
    });
    expect(dayRangeIn('2026-11-01', null, 'America/New_York')).toEqual({ from: '2026-11-01T04:00:00.000Z', to: null });
  });

  it('is the same whatever the zone of the browser (process TZ)', () => {
    // The conversion only reads the zone it is given; the browser's zone never enters it.
    const before = process.env['TZ'];
    try {
      const answers = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'].map((tz) => {
        process.env['TZ'] = tz;
        return dayRangeIn('2026-03-29', '2026-03-29', 'Europe/Berlin');
      });
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    } finally {
      process.env['TZ'] = before;
    }
  });
});

describe('days of instants', () => {
  it('tells the day an instant starts, or null', () => {
    expect(dayStartingAt('2026-03-28T23:00:00.000Z', 'Europe/Berlin')).toBe('2026-03-29');
    expect(dayStartingAt('2026-03-29T00:00:00.000Z', 'Europe/Berlin')).toBeNull();
    expect(dayStartingAt('not a date', 'UTC')).toBeNull();
  });

  it('rounds to the nearest day start of the zone', () => {
    expect(nearestDayIn('2026-03-01T05:00:00.000Z', 'UTC')).toBe('2026-03-01');
    expect(nearestDayIn('2026-02-28T19:00:00.000Z', 'UTC')).toBe('2026-03-01');
    expect(nearestDayIn('2026-11-01T04:00:00.000Z', 'America/New_York')).toBe('2026-11-01');
    expect(nearestDayIn('garbage', 'UTC')).toBeNull();
  });

  it('reads the wall clock of a zone', () => {
    expect(wallClock('2026-11-01T05:30:00.000Z', 'America/New_York')).toEqual({ day: '2026-11-01', time: '01:30' });
    expect(wallClock('2026-11-01T06:30:00.000Z', 'America/New_York')).toEqual({ day: '2026-11-01', time: '01:30' });
    expect(wallClock('2026-12-06T10:00:00.123Z', 'Pacific/Kiritimati')).toEqual({ day: '2026-12-07', time: '00:00' });
  });
});

describe('calendar days', () => {
  it('checks, adds and formats days without any zone', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(formatDay('2026-03-29')).toMatch(/29/);
    expect(formatDay('2026-03-29')).toMatch(/2026/);
  });

  it("goes to and from a date picker's local midnights", () => {
    expect(pickerDate('2026-03-29')).toEqual(new Date(2026, 2, 29));
    expect(pickerDay(new Date(2026, 2, 29))).toBe('2026-03-29');
    expect(pickerDay(pickerDate('2026-11-01'))).toBe('2026-11-01');
    expect(pickerDate(null)).toBeNull();
    expect(pickerDay(new Date(NaN))).toBeNull();
  });

  it('formats an instant as the wall clock of the zone', () => {
    expect(formatInstantIn('2026-03-28T23:30:00.000Z', 'Europe/Berlin')).toMatch(/29.*2026.*12:30/);
    expect(formatInstantIn('2026-03-28T23:30:00.000Z', 'America/New_York')).toMatch(/28.*2026.*7:30/);
    expect(formatInstantIn(null, 'UTC')).toBe('');
  });
});
