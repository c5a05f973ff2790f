import { MemoryCacheService } from './cache.service';

describe('MemoryCacheService', () => {
  afterEach(() => jest.useRealTimers());

  it('returns what was set until it expires', async () => {
    jest.useFakeTimers();
    const cache = new MemoryCacheService();
    await cache.set('k', 'v', 10);
    expect(await cache.get('k')).toBe('v');
    jest.advanceTimersByTime(10_001);
    expect(await cache.get('k')).toBeNull();
  });

  it('deletes', async () => {
    const cache = new MemoryCacheService();
    await cache.set('k', 'v', 10);
    await cache.delete('k');
    expect(await cache.get('k')).toBeNull();
  });
});
