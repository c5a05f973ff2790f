import { Logger } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';

export const REDIS = Symbol('REDIS');

/**
 * A client for request-path use: commands fail fast while Redis is away
 * (no offline queue), so a cache or health check never hangs a request.
 */
export function createRedisClient(url: string, name: string, overrides: RedisOptions = {}): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    connectionName: `meridian-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    ...overrides,
  });
  let lastError = '';
  client.on('error', (err: Error) => {
    // ioredis repeats the same error on every retry; log each change once.
    if (err.message !== lastError) logger.warn(`Redis connection problem: ${err.message}`);
    lastError = err.message;
  });
  client.on('ready', () => {
    if (lastError) logger.log('Redis connection restored');
    lastError = '';
  });
  return client;
}
