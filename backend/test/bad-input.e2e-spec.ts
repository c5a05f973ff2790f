import { startTestApp, TestApp } from './support/test-app';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  instance: string;
  errors?: { field: string; reason: string }[];
}

/** Bad input answers a 4xx problem+json naming the problem, never a 500. */
describe('bad input', () => {
  let t: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '4096' });
    auth = { authorization: `Bearer ${await t.login()}` };
  });

  afterAll(async () => {
    await t?.close();
  });

  async function send(
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; type: string; body: Problem; requestId: string | null }> {
    const res = await fetch(`${t.baseUrl}${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as Problem,
      requestId: res.headers.get('x-request-id'),
    };
  }

  const post = (body: string, contentType = 'application/json') =>
    send('/api/system/connectivity', { method: 'POST', headers: { 'content-type': contentType }, body });

  function expectProblem(res: Awaited<ReturnType<typeof send>>, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: expect.stringContaining(code) });
    expect(res.body.requestId).toBe(res.requestId);
    expect(res.body.detail.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack traces
  }

  it('malformed JSON → 400 malformed_json', async () => {
    expectProblem(await post('{"clientSentAt": 1,'), 400, 'malformed_json');
  });

  it('JSON that tries prototype poisoning → 400, and nothing is polluted', async () => {
    expectProblem(await post('{"__proto__": {"polluted": true}, "clientSentAt": 1}'), 400, 'malformed_json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('unknown fields → 400 validation_failed naming each field', async () => {
    const res = await post(JSON.stringify({ clientSentAt: 1, role: 'owner', organizationId: 'x' }));
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors?.map((e) => e.field).sort()).toEqual(['organizationId', 'role']);
    expect(res.body.errors?.[0].reason).toBe('is not an accepted field');
  });

  it('a field of the wrong type → 400 with the field and the reason', async () => {
    const res = await post(JSON.stringify({ clientSentAt: 'yesterday' }));
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field: 'clientSentAt', reason: 'must be an integer number' }),
    );
  });

  it('a missing body → 400 naming the required field', async () => {
    const res = await post('');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors?.map((e) => e.field)).toContain('clientSentAt');
  });

  it('an oversized body → 413 payload_too_large', async () => {
    expectProblem(await post(JSON.stringify({ clientSentAt: 1, pad: 'x'.repeat(10_000) })), 413, 'payload_too_large');
  });

  it('a body that is not JSON → 415 unsupported_media_type', async () => {
    expectProblem(await post('clientSentAt=1', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
    expectProblem(await post('hello', 'text/plain'), 415, 'unsupported_media_type');
  });

  it('an invalid query parameter → 400 naming it', async () => {
    const res = await send('/api/system/connectivity?clientSentAt=-5');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors?.[0].field).toBe('clientSentAt');
  });

  it('an unknown route → 404 not_found, also under /api', async () => {
    expectProblem(await send('/api/nothing-here'), 404, 'not_found');
    expectProblem(await send('/nothing-here.js'), 404, 'not_found');
  });

  it('a known route with the wrong method → 404 problem, not 500', async () => {
    const res = await send('/api/system/info', { method: 'DELETE' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.type).toMatch(/^application\/problem\+json/);
  });

  it('keeps a sane caller request id and replaces an unsafe one', async () => {
    const kept = await send('/api/nothing', { headers: { 'x-request-id': 'caller-123' } });
    expect(kept.requestId).toBe('caller-123');
    const replaced = await send('/api/nothing', { headers: { 'x-request-id': 'bad id with spaces <script>' } });
    expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.requestId).toBe(replaced.requestId);
  });

  it('sends security headers and no CORS grant to an unknown origin', async () => {
    const res = await fetch(`${t.baseUrl}/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
