import { LocalCache, type Loaded } from './local-cache';

const loader = (value: string, tags: string[]) => {
  const calls = { n: 0 };
  const load = () => {
    calls.n++;
    return Promise.resolve({ value: `${value}#${calls.n}`, tags });
  };
  return { load, calls };
};

describe('LocalCache (one process)', () => {
  afterEach(() => jest.useRealTimers());

  it('reuses a value until it expires', async () => {
    jest.useFakeTimers();
    const cache = new LocalCache(5_000);
    const { load, calls } = loader('a', ['user:1']);
    expect(await cache.get('k', load)).toBe('a#1');
    expect(await cache.get('k', load)).toBe('a#1');
    jest.advanceTimersByTime(5_001);
    expect(await cache.get('k', load)).toBe('a#2');
    expect(calls.n).toBe(2);
  });

  it('drops what was read from an invalidated tag, and only that', async () => {
    const cache = new LocalCache(60_000);
    const one = loader('one', ['user:1', 'session:s1']);
    const two = loader('two', ['user:2', 'session:s2']);
    await cache.get('one', one.load);
    await cache.get('two', two.load);
    await cache.invalidate('session:s1');
    expect(await cache.get('one', one.load)).toBe('one#2');
    expect(await cache.get('two', two.load)).toBe('two#1');
  });

  it('never keeps a value whose load was in flight when something was invalidated', async () => {
    const cache = new LocalCache(60_000);
    let release!: (v: Loaded<string>) => void;
    const slow = cache.get('k', () => new Promise<Loaded<string>>((r) => (release = r)));
    await cache.invalidate('user:1'); // the change committed while the row was being read
    release({ value: 'before the change', tags: ['user:1'] });
    expect(await slow).toBe('before the change'); // that request started before the change
    expect(await cache.get('k', () => Promise.resolve({ value: 'after', tags: ['user:1'] }))).toBe('after');
  });

  it('does not keep failed loads', async () => {
    const cache = new LocalCache(60_000);
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('k', () => Promise.resolve({ value: 'ok', tags: [] }))).toBe('ok');
  });

  it('set() keeps a value only if nothing was invalidated since it was read', async () => {
    const cache = new LocalCache(60_000);
    const fresh = cache.version;
    cache.set('a', 'read before nothing', ['user:1'], fresh);
    const stale = cache.version;
    await cache.invalidate('user:9');
    cache.set('b', 'read before a change', ['user:2'], stale);
    const none = () => Promise.resolve({ value: 'loaded', tags: [] });
    expect(await cache.get('a', none)).toBe('read before nothing');
    expect(await cache.get('b', none)).toBe('loaded');
  });

  it('with a TTL of 0, always loads', async () => {
    const cache = new LocalCache(0);
    const { load, calls } = loader('a', []);
    await cache.get('k', load);
    await cache.get('k', load);
    expect(calls.n).toBe(2);
  });
});
