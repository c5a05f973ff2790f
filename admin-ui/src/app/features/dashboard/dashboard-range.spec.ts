import {
  MAX_RANGE_DAYS,
  dateOf,
  dayOf,
  daysBetween,
  isDay,
  periodFromQuery,
  periodToQuery,
  rangeError,
  todayIn,
} from './dashboard-range';

const params = (query: string) => new URLSearchParams(query);

describe('dashboard custom range', () => {
  const today = '2026-03-20';

  it('accepts a range of real days ending today at the latest', () => {
    expect(rangeError('2026-03-01', '2026-03-20', today)).toBeNull();
    expect(rangeError('2026-03-20', '2026-03-20', today)).toBeNull();
  });

  it('needs both days, real ones', () => {
    expect(rangeError(null, '2026-03-20', today)).toBe('required');
    expect(rangeError('2026-03-01', null, today)).toBe('required');
    expect(rangeError('2026-02-30', '2026-03-05', today)).toBe('required');
  });

  it('refuses an end before the start, and an end after today', () => {
    expect(rangeError('2026-03-10', '2026-03-09', today)).toBe('order');
    expect(rangeError('2026-03-10', '2026-03-21', today)).toBe('future');
  });

  it('allows the API maximum span and not one day more', () => {
    expect(MAX_RANGE_DAYS).toBe(731);
    expect(daysBetween('2024-03-20', '2026-03-20')).toBe(731);
    expect(rangeError('2024-03-20', '2026-03-20', today)).toBeNull();
    expect(rangeError('2024-03-19', '2026-03-20', today)).toBe('span');
  });

  it('converts between picker dates and days without shifting a day', () => {
    expect(dayOf(new Date(2026, 0, 5))).toBe('2026-01-05');
    expect(dayOf(dateOf('2026-12-31'))).toBe('2026-12-31');
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
  });

  it("tells today in the organization's zone", () => {
    const now = new Date('2026-03-20T23:30:00Z');
    expect(todayIn('UTC', now)).toBe('2026-03-20');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-03-21');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-03-20');
  });

  it('reads a shared link, falling back to the default on anything invalid', () => {
    expect(periodFromQuery(params('period=custom&from=2026-03-01&to=2026-03-10'), today)).toEqual({
      period: 'custom',
      from: '2026-03-01',
      to: '2026-03-10',
    });
    expect(periodFromQuery(params('period=90d'), today)).toEqual({ period: '90d', from: null, to: null });
    expect(periodFromQuery(params(''), today)).toEqual({ period: '30d', from: null, to: null });
    expect(periodFromQuery(params('period=5d'), today).period).toBe('30d');
    expect(periodFromQuery(params('period=custom&from=2026-03-10&to=2026-03-01'), today).period).toBe('30d');
    expect(periodFromQuery(params('period=custom&from=2026-03-10'), today).period).toBe('30d');
    expect(periodFromQuery(params('period=custom&from=2026-03-10&to=2026-04-01'), today).period).toBe('30d');
  });

  it('writes the link the same way it reads it', () => {
    expect(periodToQuery({ period: 'custom', from: '2026-03-01', to: '2026-03-10' })).toEqual({
      period: 'custom',
      from: '2026-03-01',
      to: '2026-03-10',
    });
    expect(periodToQuery({ period: '7d', from: null, to: null })).toEqual({ period: '7d', from: null, to: null });
    // The default is left out, and a former custom range is removed from the URL.
    expect(periodToQuery({ period: '30d', from: null, to: null })).toEqual({ period: null, from: null, to: null });
  });
});
