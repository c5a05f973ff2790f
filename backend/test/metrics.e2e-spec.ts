import { spawnSync } from 'node:child_process';
import { startTestApp, TestApp } from './support/test-app';
import { testRedisUrl } from './support/env';

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
    // Traffic so that every family has samples.
    await fetch(`${t.baseUrl}/health`);
    await fetch(`${t.baseUrl}/api/system/health`, { headers: { authorization: `Bearer ${await t.login()}` } });
    await fetch(`${t.baseUrl}/api/nope`);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exposes HTTP, database, queue and process metrics labelled by route template', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/system\/health",status_code="200"\} \d+/);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/health",status_code="200"\}/,
    );
    expect(text).toMatch(/db_query_duration_seconds_count\{operation="select",success="true"\} [1-9]/);
    expect(text).toMatch(/meridian_queue_jobs\{queue="system",state="waiting"\} \d+/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
  });

  it('passes promtool check metrics', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (result.error) throw new Error(`promtool is required (Debian package "prometheus"): ${result.error.message}`);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  let t: TestApp;
  const token = 'scrape-token-0123456789';

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: token });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a scrape without the token, or with a wrong one, as 401 problem+json', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: token },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${t.baseUrl}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('serves the metrics with the token', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_requests_total');
  });
});
