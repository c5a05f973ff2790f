/**
 * e2e tests need real PostgreSQL and Redis. Fail early, naming what is
 * missing, instead of letting every test time out.
 */
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { testDatabaseUrl, testRedisUrl } from './env';

export default async function globalSetup(): Promise<void> {
  const problems: string[] = [];
  const pg = new Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3_000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (err) {
    problems.push(`PostgreSQL at ${redact(testDatabaseUrl())}: ${(err as Error).message}`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    problems.push(`Redis at ${testRedisUrl()}: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
  if (problems.length > 0) {
    throw new Error(
      `e2e tests need PostgreSQL and Redis (see README "Running the tests"):\n  ${problems.join('\n  ')}`,
    );
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
