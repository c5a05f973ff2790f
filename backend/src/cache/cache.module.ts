import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { CacheService, MemoryCacheService } from './cache.service';
import { LocalCache } from './local-cache';
import { RedisCacheService } from './redis-cache.service';
import { createRedisClient, REDIS } from './redis';

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Optional() @Inject(REDIS) private readonly redis?: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

@Global()
@Module({})
export class CacheModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers = config.redisUrl
      ? [
          { provide: REDIS, useFactory: () => createRedisClient(config.redisUrl as string, 'cache') },
          { provide: CacheService, useFactory: (redis: Redis) => new RedisCacheService(redis), inject: [REDIS] },
          {
            provide: LocalCache,
            useFactory: (redis: Redis) =>
              new LocalCache(config.auth.cacheTtlMs, { url: config.redisUrl as string, publisher: redis }),
            inject: [REDIS],
          },
          RedisLifecycle,
        ]
      : [
          { provide: CacheService, useClass: MemoryCacheService },
          { provide: LocalCache, useFactory: () => new LocalCache(config.auth.cacheTtlMs) },
        ];
    return {
      module: CacheModule,
      providers,
      exports: config.redisUrl ? [CacheService, LocalCache, REDIS] : [CacheService, LocalCache],
    };
  }
}
