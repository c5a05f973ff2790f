import { ValidationProblem } from '../../common/errors/problem';
import { addDays, isCalendarDay, resolvePeriod, todayIn } from './analytics-period';

describe('analytics periods', () => {
  it('ends a preset today and puts the previous period of the same length just before', () => {
    expect(resolvePeriod({ period: '7d' }, '2026-03-14')).toEqual({
      from: '2026-03-08',
      to: '2026-03-14',
      days: 7,
      previousFrom: '2026-03-01',
      previousTo: '2026-03-07',
    });
    expect(resolvePeriod({}, '2026-03-31')).toMatchObject({ from: '2026-03-02', days: 30, previousTo: '2026-03-01' });
  });

  it('takes a custom period across a month and a leap day', () => {
    expect(resolvePeriod({ period: 'custom', from: '2028-02-28', to: '2028-03-01' }, '2030-01-01')).toEqual({
      from: '2028-02-28',
      to: '2028-03-01',
      days: 3,
      previousFrom: '2028-02-25',
      previousTo: '2028-02-27',
    });
  });

  it.each([
    [{ period: 'custom' as const }, ['from', 'to']],
    [{ period: 'custom' as const, from: '2026-02-30', to: '2026-03-01' }, ['from']],
    [{ period: 'custom' as const, from: '2026-03-02', to: '2026-03-01' }, ['from']],
    [{ period: 'custom' as const, from: '2020-01-01', to: '2026-03-01' }, ['to']],
    [{ period: '30d' as const, to: '2026-03-01' }, ['to']],
  ])('refuses %j naming %j', (input, fields) => {
    try {
      resolvePeriod(input, '2026-03-14');
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationProblem);
      expect((err as ValidationProblem).errors.map((e) => e.field)).toEqual(fields);
    }
  });

  it('knows today in a time zone and calendar days', () => {
    expect(todayIn('America/New_York', new Date('2026-03-09T03:30:00Z'))).toBe('2026-03-08');
    expect(todayIn('Asia/Tokyo', new Date('2026-03-09T15:30:00Z'))).toBe('2026-03-10');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
  });
});
