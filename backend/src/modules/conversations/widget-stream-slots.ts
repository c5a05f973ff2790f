import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS } from '../../cache/redis';
import { AppConfig } from '../../config/app-config';

/**
 * A slot lives this long after its last refresh (streams refresh theirs with each heartbeat,
 * every 25 s): the streams of a process that crashed free their slots within it.
 */
export const STREAM_SLOT_TTL_MS = 60_000;
const PREFIX = 'meridian:widget-streams:';

export interface SlotScope {
  /** visitor, ip or key: which limit it is (answered when it is full). */
  name: string;
  id: string;
  limit: number;
}

export interface Slot {
  /** Keeps the slot alive (the stream's heartbeat calls it). */
  refresh(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Each scope is a sorted set of open streams scored by their expiry: a full scope refuses,
 * expired members are dropped first, and all scopes are taken together or not at all.
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
local expires = now + tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then return i end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, expires, ARGV[3])
  redis.call('PEXPIRE', key, ARGV[2])
end
return 0`;

const REFRESH = `
local expires = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, expires, ARGV[3])
  redis.call('PEXPIRE', key, ARGV[2])
end
return 0`;

/**
 * Open live streams of the website widget, counted per visitor, per client address and per
 * key: in Redis with REDIS_URL (every API process counts the same streams), in process
 * memory in the embedded profile.
 */
@Injectable()
export class WidgetStreamSlots {
  private readonly memory = new Map<string, Map<string, number>>();
  private readonly ttlMs: number;

  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
    @Optional() @Inject('WIDGET_STREAM_SLOT_TTL_MS') ttlMs?: number,
  ) {
    this.ttlMs = ttlMs ?? STREAM_SLOT_TTL_MS;
  }

  /** A slot in every scope, or the name of the first full one. */
  async acquire(scopes: SlotScope[]): Promise<Slot | { full: string }> {
    const member = randomUUID();
    const keys = scopes.map((s) => `${PREFIX}${s.name}:${s.id}`);
    if (this.redis && this.config.redisUrl) {
      const redis = this.redis;
      const full = (await redis.eval(
        ACQUIRE,
        keys.length,
        ...keys,
        Date.now(),
        this.ttlMs,
        member,
        ...scopes.map((s) => s.limit),
      )) as number;
      if (full > 0) return { full: scopes[full - 1].name };
      return {
        refresh: async () => {
          await redis.eval(REFRESH, keys.length, ...keys, Date.now(), this.ttlMs, member);
        },
        release: async () => {
          await redis.multi(keys.map((key) => ['zrem', key, member])).exec();
        },
      };
    }
    const now = Date.now();
    for (const [i, key] of keys.entries()) {
      const set = this.memory.get(key);
      if (!set) continue;
      for (const [m, expires] of set) if (expires <= now) set.delete(m);
      if (set.size >= scopes[i].limit) return { full: scopes[i].name };
    }
    const touch = () => {
      for (const key of keys) {
        let set = this.memory.get(key);
        if (!set) this.memory.set(key, (set = new Map<string, number>()));
        set.set(member, Date.now() + this.ttlMs);
      }
    };
    touch();
    return {
      refresh: () => {
        touch();
        return Promise.resolve();
      },
      release: () => {
        for (const key of keys) {
          const set = this.memory.get(key);
          set?.delete(member);
          if (set?.size === 0) this.memory.delete(key);
        }
        return Promise.resolve();
      },
    };
  }
}
