import { freePort, eventually } from './support/processes';
import { spawnBuilt, waitForExit } from './support/built-server';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { testRedisUrl } from './support/env';
import { startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

/** The production worker as its own process: it runs jobs, exposes metrics, and stops gracefully. */
describe('worker process', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The API side migrates the database and enqueues through BullMQ.
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses to start without REDIS_URL, naming the variable', async () => {
    const db: TestDatabase = await createTestDatabase();
    try {
      const { child, output } = spawnBuilt('worker.js', { DATABASE_URL: db.url });
      const exit = await waitForExit(child, 20_000);
      expect(exit.code).toBe(1);
      expect(output()).toMatch(/REDIS_URL is required/);
    } finally {
      await db.drop();
    }
  });

  it('processes jobs, serves /metrics, and exits 0 on SIGTERM', async () => {
    const metricsPort = await freePort();
    const { child, output } = spawnBuilt('worker.js', {
      DATABASE_URL: t.db.url,
      REDIS_URL: testRedisUrl(),
      WORKER_METRICS_PORT: String(metricsPort),
      HEARTBEAT_INTERVAL_MS: '1000',
      JWT_SECRET: TEST_JWT_SECRET,
    });
    try {
      await eventually(async () => {
        const rows = await t.db.query('SELECT slot FROM system_heartbeats');
        return rows.length > 0 ? rows : undefined;
      }, 30_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${output()}`);
      });
      // Jobs may run before the worker has finished starting (and opened its metrics port).
      const metrics = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        return res.ok ? res.text() : undefined;
      }, 20_000);
      expect(metrics).toMatch(
        /meridian_job_duration_seconds_count\{queue="system",name="heartbeat",status="completed"\} [1-9]/,
      );
    } finally {
      child.kill('SIGTERM');
    }
    const exit = await waitForExit(child, 20_000);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
