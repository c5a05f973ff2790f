import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createRedisClient } from './redis';

/** Where every process announces the tags it dropped, so the other API replicas drop them too. */
export const INVALIDATION_CHANNEL = 'meridian:local-cache:invalidate';

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
  /** Known once the load has finished; a pending entry is dropped by any invalidation. */
  tags: readonly string[] | null;
}

export interface Loaded<T> {
  value: T;
  /** What the value was read from (e.g. `user:<id>`): invalidating one of them drops it. */
  tags: readonly string[];
}

/**
 * A short-lived in-process read cache for the request hot path (who is
 * calling, their session, their organization). Entries live `ttlMs` at most
 * and are dropped at once by `invalidate(tag)`: in this process directly, in
 * every other process through Redis pub/sub when Redis is configured. While
 * that subscription is not live (starting, Redis away) nothing is cached, so
 * a missed message can never keep a stale entry.
 */
export class LocalCache implements OnApplicationShutdown {
  private static readonly MAX_ENTRIES = 10_000;
  private readonly logger = new Logger(LocalCache.name);
  private readonly entries = new Map<string, Entry>();
  private subscriber?: Redis;
  private live: boolean;
  /** Moves on with every invalidation (here or announced), so set() can tell a value read before one. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly redis?: { url: string; publisher: Redis },
  ) {
    this.live = !redis;
  }

  /** The cached value of `key`, or what `load` returns (one load at a time per key). */
  get<T>(key: string, load: () => Promise<Loaded<T>>): Promise<T> {
    if (this.ttlMs <= 0) return load().then((l) => l.value);
    if (!this.live) {
      this.subscribe();
      return load().then((l) => l.value);
    }
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value as Promise<T>;
    if (this.entries.size >= LocalCache.MAX_ENTRIES) this.evict(now);
    const entry: Entry = { value: Promise.resolve(), expiresAt: now + this.ttlMs, tags: null };
    entry.value = load().then(
      (loaded) => {
        entry.tags = loaded.tags;
        return loaded.value;
      },
      (err: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw err;
      },
    );
    this.entries.delete(key); // re-insert: iteration order stays oldest first
    this.entries.set(key, entry);
    return entry.value as Promise<T>;
  }

  /** Pass to set() what this was before reading the value. */
  get version(): number {
    return this.generation;
  }

  /**
   * Stores a value the caller has just read (e.g. at sign-in), unless
   * something was invalidated since `readAtVersion`: then it may be stale.
   */
  set<T>(key: string, value: T, tags: readonly string[], readAtVersion: number): void {
    if (this.ttlMs <= 0 || !this.live || this.generation !== readAtVersion) return;
    const now = Date.now();
    if (this.entries.size >= LocalCache.MAX_ENTRIES) this.evict(now);
    this.entries.delete(key);
    this.entries.set(key, { value: Promise.resolve(value), expiresAt: now + this.ttlMs, tags });
  }

  /**
   * Drops every entry read from one of `tags`, here and (through Redis) in
   * the other processes. Call it after the change has been committed.
   */
  async invalidate(...tags: string[]): Promise<void> {
    this.drop(tags);
    if (!this.redis) return;
    try {
      await this.redis.publisher.publish(INVALIDATION_CHANNEL, JSON.stringify({ tags }));
    } catch (err) {
      // The others stop caching while their subscription is down, and entries expire within ttlMs anyway.
      this.logger.warn(`Could not announce a cache invalidation: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.live = false;
    if (subscriber && subscriber.status !== 'end') await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private drop(tags: readonly string[]): void {
    this.generation++;
    const dropped = new Set(tags);
    for (const [key, entry] of this.entries) {
      if (entry.tags === null || entry.tags.some((t) => dropped.has(t))) this.entries.delete(key);
    }
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    while (this.entries.size >= LocalCache.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Started on first use, so processes that only publish (the worker) hold no subscription. */
  private subscribe(): void {
    if (this.subscriber || !this.redis) return;
    const subscriber = createRedisClient(this.redis.url, 'cache-invalidation', {
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResubscribe: false,
    });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { tags } = JSON.parse(message) as { tags?: unknown };
        if (Array.isArray(tags)) this.drop(tags.map(String));
      } catch {
        this.clear();
      }
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(INVALIDATION_CHANNEL).then(
        () => {
          // Whatever was announced while we were away is unknown: start empty.
          this.clear();
          if (this.subscriber === subscriber) this.live = true;
        },
        (err: Error) => this.logger.warn(`Could not subscribe to cache invalidations: ${err.message}`),
      );
    });
    subscriber.on('close', () => {
      this.live = false;
      this.clear();
    });
  }
}
