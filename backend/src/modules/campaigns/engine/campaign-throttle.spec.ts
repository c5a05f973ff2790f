import { QUIET_INTERVAL_MS, takeTokens, throttleBucket } from './campaign-throttle';

describe('campaign throttle (token bucket with AIMD)', () => {
  it('grants up to one second of burst, then refills at the rate', () => {
    const [s1, t1] = takeTokens(null, 500, 100, 0);
    expect(t1).toEqual({ granted: 100, waitMs: 0, rate: 100 });
    const [s2, t2] = takeTokens(s1, 10, 100, 0);
    expect(t2.granted).toBe(0);
    expect(t2.waitMs).toBe(10);
    const [, t3] = takeTokens(s2, 10, 100, 50);
    expect(t3.granted).toBe(5);
  });

  it('halves the rate on a throttled answer (floor 1/s) and raises it back step by step when quiet', () => {
    let state = throttleBucket(null, 80, 0);
    expect(state.rate).toBe(40);
    for (let i = 0; i < 10; i++) state = throttleBucket(state, 80, 0);
    expect(state.rate).toBe(1);
    const rates: number[] = [];
    let now = 0;
    for (let i = 0; i < 12; i++) {
      now += QUIET_INTERVAL_MS;
      const [next, take] = takeTokens(state, 1, 80, now);
      state = next;
      rates.push(take.rate);
    }
    expect(rates.slice(0, 3)).toEqual([11, 21, 31]);
    expect(rates[rates.length - 1]).toBe(80);
    expect(rates.every((r, i) => i === 0 || r >= rates[i - 1])).toBe(true);
  });

  it('does not raise the rate before a quiet interval has passed', () => {
    const state = throttleBucket(null, 100, 0);
    const [, take] = takeTokens(state, 1, 100, QUIET_INTERVAL_MS - 1);
    expect(take.rate).toBe(50);
  });
});
