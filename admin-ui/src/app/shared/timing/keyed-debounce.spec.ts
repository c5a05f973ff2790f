import { KeyedDebounce } from './keyed-debounce';

describe('KeyedDebounce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the last request once the requests stop', () => {
    const runs: string[] = [];
    const debounce = new KeyedDebounce(300);
    debounce.request('a', () => runs.push('a'));
    jest.advanceTimersByTime(200);
    debounce.request('b', () => runs.push('b'));
    jest.advanceTimersByTime(299);
    expect(runs).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(runs).toEqual(['b']);
  });

  it('does not put off the waiting request when the same key comes again (an echo)', () => {
    const runs: string[] = [];
    const debounce = new KeyedDebounce(300);
    debounce.request('q=ana', () => runs.push('first'));
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(100);
      debounce.request('q=ana', () => runs.push('echo'));
    }
    // 300 ms after the first request, not 300 ms after the last echo.
    expect(runs).toEqual(['first']);
  });

  it('takes the same key again once the earlier request has run', () => {
    const runs: number[] = [];
    const debounce = new KeyedDebounce(300);
    debounce.request('k', () => runs.push(1));
    jest.advanceTimersByTime(300);
    debounce.request('k', () => runs.push(2));
    jest.advanceTimersByTime(300);
    expect(runs).toEqual([1, 2]);
  });

  it('cancel drops the waiting request', () => {
    const run = jest.fn();
    const debounce = new KeyedDebounce(300);
    debounce.request('k', run);
    debounce.cancel();
    jest.advanceTimersByTime(1_000);
    expect(run).not.toHaveBeenCalled();
  });
});
