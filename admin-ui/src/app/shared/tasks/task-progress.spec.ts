import { orderedCounts } from './task-progress.component';
import { isFinished, pollDelayMs } from './task-watcher';

describe('task progress', () => {
  it('shows the outcome counters in a reading order: what happened first, failures last', () => {
    expect(orderedCounts({ failed: 2, skipped: 1, created: 10, updated: 3 }).map((c) => c.key)).toEqual([
      'created',
      'updated',
      'skipped',
      'failed',
    ]);
    expect(orderedCounts({ zebra: 1, changed: 4 })).toEqual([
      { key: 'changed', value: 4 },
      { key: 'zebra', value: 1 },
    ]);
  });

  it('knows which states are final', () => {
    expect(
      ['queued', 'running', 'succeeded', 'failed', 'cancelled'].filter((status) =>
        isFinished({ status: status as never }),
      ),
    ).toEqual(['succeeded', 'failed', 'cancelled']);
  });

  it('polls quickly at first, then backs off for long tasks', () => {
    expect(pollDelayMs(0)).toBe(1_000);
    expect(pollDelayMs(60_000)).toBe(2_000);
    expect(pollDelayMs(600_000)).toBe(5_000);
  });
});
