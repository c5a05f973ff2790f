import type { Redis } from 'ioredis';
import { CacheService } from './cache.service';

export class RedisCacheService extends CacheService {
  readonly backend = 'redis' as const;
  private static readonly PREFIX = 'meridian:cache:';

  constructor(private readonly redis: Redis) {
    super();
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(RedisCacheService.PREFIX + key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(RedisCacheService.PREFIX + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const full = RedisCacheService.PREFIX + key;
    const [[, value]] = (await this.redis.multi().incr(full).expire(full, Math.ceil(ttlSeconds), 'NX').exec()) as [
      [Error | null, number],
    ];
    return value;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(RedisCacheService.PREFIX + key);
  }
}
