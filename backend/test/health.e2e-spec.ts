import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../src/config/app-config';
import { WorkerModule } from '../src/worker.module';
import { eventually, ThrowawayRedis } from './support/processes';
import { startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

interface ServiceBody {
  name: string;
  status: string;
  configured: boolean;
  latencyMs: number | null;
  message: string;
  details: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed JSON under test
async function getJson(url: string, token?: string): Promise<{ status: number; type: string; body: any }> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
}

describe('health and system endpoints (PostgreSQL + a throwaway Redis)', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    token = await t.login();
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('keeps the system endpoints behind sign-in, health probes open', async () => {
    expect((await getJson(`${t.baseUrl}/api/system/health`)).status).toBe(401);
    expect((await getJson(`${t.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('answers liveness with the process only', async () => {
    const res = await getJson(`${t.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('is ready when database, Redis, queues and disk answer', async () => {
    const res = await getJson(`${t.baseUrl}/health/ready`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.checks).sort()).toEqual([
      'database',
      'disk',
      'queue:analytics',
      'queue:campaigns',
      'queue:channels',
      'queue:leads',
      'queue:system',
      'queue:tasks',
      'redis',
    ]);
  });

  it('reports every service with a measured latency, and names a missing worker', async () => {
    const res = await getJson(`${t.baseUrl}/api/system/health`, token);
    expect(res.status).toBe(200);
    const services = res.body.services as ServiceBody[];
    expect(services.map((s) => s.name)).toEqual([
      'database',
      'cache',
      'queue',
      'kapa',
      'ai_provider',
      'email',
      'whatsapp',
    ]);
    const byName = Object.fromEntries(services.map((s) => [s.name, s]));
    expect(byName.database.status).toBe('healthy');
    expect(byName.database.latencyMs).toBeGreaterThan(0);
    expect(byName.database.details.driver).toBe('postgresql');
    expect(byName.cache).toMatchObject({ status: 'healthy', details: { backend: 'redis' } });
    // No worker process yet: jobs are accepted but nobody runs them.
    expect(byName.queue.status).toBe('degraded');
    expect(byName.queue.message).toMatch(/worker/);
    expect(byName.kapa).toMatchObject({ configured: false, latencyMs: null });
    expect(res.body.status).toBe('degraded');
    expect(res.body.resources.memory.totalBytes).toBeGreaterThan(0);
    expect(res.body.resources.disk.freeBytes).toBeGreaterThan(0);
  });

  it('runs jobs end to end once a worker connects: ping round trip and a recorded heartbeat', async () => {
    const workerConfig = AppConfig.load({
      DATABASE_URL: t.db.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'silent',
      HEARTBEAT_INTERVAL_MS: '1000',
      JWT_SECRET: TEST_JWT_SECRET,
    });
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(workerConfig),
      { logger: false },
    );
    try {
      const queue = await eventually(async () => {
        const res = await getJson(`${t.baseUrl}/api/system/health`, token);
        const q = (res.body.services as ServiceBody[]).find((s) => s.name === 'queue');
        return q?.status === 'healthy' ? q : undefined;
      });
      expect(queue.details.workers).toBeGreaterThanOrEqual(1);
      expect(queue.latencyMs).toBeGreaterThan(0);
      const rows = await eventually(async () => {
        const r = await t.db.query<{ slot: string; queue_mode: string }>(
          'SELECT slot, queue_mode FROM system_heartbeats',
        );
        return r.length > 0 ? r : undefined;
      });
      expect(rows[0].queue_mode).toBe('bullmq');
    } finally {
      await worker.close();
    }
  });

  it('turns unready (503 naming redis) when Redis goes away, stays live, and recovers', async () => {
    await redis.stop();
    const down = await eventually(async () => {
      const res = await getJson(`${t.baseUrl}/health/ready`);
      return res.status === 503 ? res : undefined;
    });
    expect(down.type).toContain('application/problem+json');
    expect(down.body.code).toBe('not_ready');
    expect(down.body.failing).toContain('redis');
    expect(down.body.detail).toMatch(/redis/);
    expect((await getJson(`${t.baseUrl}/health`)).status).toBe(200);

    const system = await getJson(`${t.baseUrl}/api/system/health`, token);
    expect(system.status).toBe(200);
    expect(system.body.status).toBe('unhealthy');

    await redis.resume();
    const up = await eventually(async () => {
      const res = await getJson(`${t.baseUrl}/health/ready`);
      return res.status === 200 ? res : undefined;
    }, 30_000);
    expect(up.body.status).toBe('ok');
  });

  it('reports version, profile and components', async () => {
    const res = await getJson(`${t.baseUrl}/api/system/info`, token);
    expect(res.body).toMatchObject({
      name: 'meridian',
      profile: 'production',
      components: { database: 'postgresql', queue: 'bullmq', cache: 'redis', assistant: 'local-docs' },
      features: { distributedJobs: true },
    });
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers the connectivity test with the request id and echoes the client clock', async () => {
    const res = await fetch(`${t.baseUrl}/api/system/connectivity?clientSentAt=1700000000000`, {
      headers: { 'x-request-id': 'trace-abc.1', authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { serverTime: string };
    expect(res.headers.get('x-request-id')).toBe('trace-abc.1');
    expect(body).toMatchObject({ ok: true, requestId: 'trace-abc.1', clientSentAt: 1700000000000 });
    expect(Date.parse(body.serverTime)).not.toBeNaN();
  });
});
