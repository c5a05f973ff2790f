/** Small key/value cache with expiry: Redis in production, process memory when embedded. */
export abstract class CacheService {
  abstract readonly backend: 'memory' | 'redis';
  abstract get(key: string): Promise<string | null>;
  abstract set(key: string, value: string, ttlSeconds: number): Promise<void>;
  abstract delete(key: string): Promise<void>;
  /** Adds one to a counter that lives `ttlSeconds` from its first increment; returns the new value. */
  abstract increment(key: string, ttlSeconds: number): Promise<number>;
}

export class MemoryCacheService extends CacheService {
  readonly backend = 'memory' as const;
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private static readonly MAX_ENTRIES = 10_000;

  get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve(null);
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return Promise.resolve(null);
    }
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.entries.size >= MemoryCacheService.MAX_ENTRIES) this.evictExpiredOrOldest();
    this.entries.delete(key); // re-insert so iteration order stays oldest-first
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  increment(key: string, ttlSeconds: number): Promise<number> {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) {
      this.entries.set(key, { value: '1', expiresAt: Date.now() + ttlSeconds * 1000 });
      return Promise.resolve(1);
    }
    const value = Number(entry.value) + 1;
    entry.value = String(value);
    return Promise.resolve(value);
  }

  private evictExpiredOrOldest(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= MemoryCacheService.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
