import { Script } from 'node:vm';
import {
  ApiClient,
  createSignedInUser,
  expectProblem,
  expectStatus,
  type ApiResponse,
  type Json,
  Role,
  signIn,
} from './support/auth-helpers';
import { testRedisUrl } from './support/env';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from './support/test-app';

const SITE = 'https://www.shop.example';
const PER_IP = 12;
const PER_KEY = 40;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

describe('widget: the public key, its origins and its limits', () => {
  let t: TestApp;
  let api: ApiClient;
  let token: string;
  let key: string;
  let ipSeq = 0;

  /** A call of the widget script: from a page of `origin`, from its own address unless one is given. */
  async function call(
    method: string,
    path: string,
    options: { origin?: string | null; ip?: string; body?: unknown; visitor?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? `192.0.2.${++ipSeq % 250}` };
    if (options.origin !== null) headers.origin = options.origin ?? SITE;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.visitor) headers['x-widget-visitor'] = options.visitor;
    const res = await fetch(`${t.baseUrl}${path}`, {
      method,
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }

  /** A form token as old as the minimum fill time wants: signed by the server, so made with the app's own code. */
  async function agedFormToken(): Promise<string> {
    const { WidgetService } = await import('../src/modules/conversations/widget.service');
    const service = t.app.get(WidgetService);
    const settings = await service.byPublicKey(key);
    return service.formToken(settings, Date.now() - 10_000);
  }

  const capture = async (overrides: Record<string, unknown> = {}, options: { ip?: string; origin?: string } = {}) =>
    call('POST', `/api/public/widget/${key}/conversations`, {
      ...options,
      body: {
        name: 'Linus Pauling',
        email: `linus-${Math.random().toString(36).slice(2, 8)}@example.test`,
        message: 'How do I import leads from a CSV file?',
        consent: true,
        formToken: await agedFormToken(),
        website: '',
        ...overrides,
      },
    });

  beforeAll(async () => {
    t = await startTestApp({
      REDIS_URL: testRedisUrl(),
      WIDGET_RATE_PER_IP_PER_MINUTE: String(PER_IP),
      WIDGET_RATE_PER_KEY_PER_MINUTE: String(PER_KEY),
    });
    api = new ApiClient(t.baseUrl);
    token = (await signIn(api, OWNER_EMAIL, OWNER_PASSWORD)).accessToken;
    const settings = await api.get('/api/widget/settings', { token });
    expectStatus(settings, 200);
    expect(settings.body.allowedOrigins).toEqual([]);
    const updated = await api.patch(
      '/api/widget/settings',
      { allowedOrigins: [SITE, 'http://localhost:8080'], greeting: 'Hello from the shop!' },
      { token },
    );
    expectStatus(updated, 200);
    key = updated.body.publicKey;
    expect(key).toMatch(/^wk_[A-Za-z0-9_-]{24}$/);
    expect(updated.body.snippet).toBe(`<script src="${t.baseUrl}/widget/v1/${key}.js" async></script>`);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves the script for the key, written for this API, and 404 for an unknown key', async () => {
    const res = await fetch(`${t.baseUrl}/widget/v1/${key}.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    const source = await res.text();
    expect(source).toContain(JSON.stringify({ key, apiBase: t.baseUrl }));
    expect(source).toContain('attachShadow');
    expect(() => new Script(source)).not.toThrow();
    expect((await fetch(`${t.baseUrl}/widget/v1/wk_AAAAAAAAAAAAAAAAAAAAAAAA.js`)).status).toBe(404);
  });

  it('answers only pages of the allowed origins, with CORS for them alone', async () => {
    const ok = await call('GET', `/api/public/widget/${key}/config`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(ok.body).toMatchObject({ greeting: 'Hello from the shop!', minFillSeconds: 3 });
    const preflight = await fetch(`${t.baseUrl}/api/public/widget/${key}/conversations`, {
      method: 'OPTIONS',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/);

    const evil = await call('GET', `/api/public/widget/${key}/config`, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body.code).toBe('origin_not_allowed');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const evilPreflight = await fetch(`${t.baseUrl}/api/public/widget/${key}/conversations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evilPreflight.status).toBe(403);
    expect(evilPreflight.headers.get('access-control-allow-origin')).toBeNull();
    const none = await call('GET', `/api/public/widget/${key}/config`, { origin: null });
    expect(none.status).toBe(403);
    const unknown = await call('GET', '/api/public/widget/wk_AAAAAAAAAAAAAAAAAAAAAAAA/config');
    expect(unknown.status).toBe(404);
  });

  it('captures a lead (source widget) and opens a conversation in the inbox, answered from the help sources', async () => {
    const email = 'marie.curie@example.test';
    const res = await capture({ name: 'Marie Curie', email, message: 'How do I import leads from a CSV file?' });
    expect(res.status).toBe(201);
    expect(res.body.visitorToken).toEqual(expect.any(String));
    expect(res.body.messages).toEqual([
      expect.objectContaining({ direction: 'in', body: 'How do I import leads from a CSV file?' }),
      expect.objectContaining({ direction: 'out', kind: 'assistant', authorLabel: 'Assistant' }),
    ]);
    expect(res.body.messages[1].body).toMatch(/import/i);

    const leads = await api.get(`/api/leads?q=${encodeURIComponent(email)}`, { token });
    expectStatus(leads, 200);
    expect(leads.body.items).toEqual([
      expect.objectContaining({ email, firstName: 'Marie', lastName: 'Curie', source: 'widget' }),
    ]);
    const inbox = await api.get('/api/conversations?channel=widget', { token });
    const conversation = (inbox as ApiResponse<{ items: { id: string; contactAddress: string }[] }>).body.items.find(
      (c) => c.contactAddress === email,
    );
    expect(conversation).toMatchObject({ channel: 'widget', status: 'open', leadId: leads.body.items[0].id });

    // A teammate answers from the inbox; the visitor's widget reads it, and nothing else.
    const reply = await api.post(
      `/api/conversations/${conversation?.id}/messages`,
      { kind: 'text', text: 'Hi Marie, I can walk you through it.' },
      { token },
    );
    expectStatus(reply, 201);
    const poll = await call('GET', `/api/public/widget/${key}/messages?after=${res.body.nextCursor}`, {
      visitor: res.body.visitorToken,
    });
    expect(poll.status).toBe(200);
    expect(poll.body.items).toEqual([
      expect.objectContaining({ direction: 'out', body: 'Hi Marie, I can walk you through it.' }),
    ]);
    expect(Object.keys(poll.body.items[0]).sort()).toEqual(
      ['authorLabel', 'body', 'createdAt', 'direction', 'id', 'kind'].sort(),
    );

    const next = await call('POST', `/api/public/widget/${key}/messages`, {
      visitor: res.body.visitorToken,
      body: { text: 'Thanks! What about exports?' },
    });
    expect(next.status).toBe(201);
    expect((next.body as { items: { direction: string }[] }).items.map((m) => m.direction)).toEqual(['in', 'out']);
    const noVisitor = await call('GET', `/api/public/widget/${key}/messages`, { visitor: 'x'.repeat(43) });
    expect(noVisitor.status).toBe(401);
    expect(noVisitor.body.code).toBe('visitor_unknown');
  });

  it('refuses the honeypot, a form sent too fast, no consent, and no way to answer', async () => {
    const before = await t.db.query(`SELECT count(*)::int AS n FROM leads`);
    const honeypot = await capture({ website: 'http://spam.example' });
    expect(honeypot.status).toBe(422);
    expect(honeypot.body.code).toBe('submission_rejected');
    const fresh = await call('GET', `/api/public/widget/${key}/config`);
    const tooFast = await capture({ formToken: fresh.body.formToken });
    expect(tooFast.status).toBe(422);
    const forged = await capture({ formToken: `${Date.now() - 60_000}.forged` });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('form_expired');
    const noConsent = await capture({ consent: false });
    expect(noConsent.status).toBe(400);
    expect(JSON.stringify(noConsent.body.errors)).toMatch(/consent/);
    const noContact = await capture({ email: null, phone: null });
    expect(noContact.status).toBe(400);
    const badPhone = await capture({ email: null, phone: '12' });
    expect(badPhone.status).toBe(400);
    expect(JSON.stringify(badPhone.body.errors)).toMatch(/phone/);
    const after = await t.db.query(`SELECT count(*)::int AS n FROM leads`);
    expect(after).toEqual(before);
  });

  it('the public key reads nothing else: not leads, not the inbox, not settings', async () => {
    for (const path of ['/api/leads', '/api/conversations', '/api/widget/settings', `/api/leads?q=marie`]) {
      const asBearer = await fetch(`${t.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${key}`, origin: SITE },
      });
      expect(asBearer.status).toBe(401);
      const asKey = await fetch(`${t.baseUrl}${path}`, { headers: { 'x-api-key': key, origin: SITE } });
      expect(asKey.status).toBe(401);
    }
    const notARoute = await call('GET', `/api/public/widget/${key}/leads`);
    expect(notARoute.status).toBe(404);
  });

  it('rate-limits per address, then per key', async () => {
    const ip = '198.51.100.7';
    const answers: number[] = [];
    for (let i = 0; i < PER_IP + 1; i++)
      answers.push((await call('GET', `/api/public/widget/${key}/config`, { ip })).status);
    expect(answers.slice(0, PER_IP).every((s) => s === 200)).toBe(true);
    const limited = await call('GET', `/api/public/widget/${key}/config`, { ip });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('too_many_requests');
    expect(limited.headers.get('retry-after')).toBe('60');
    // Other addresses together exhaust the key's budget.
    let status = 200;
    for (let i = 0; i < PER_KEY + 1 && status === 200; i++)
      status = (await call('GET', `/api/public/widget/${key}/config`, { ip: `203.0.113.${i % 250}` })).status;
    expect(status).toBe(429);
  });

  it('settings: only organization managers change them; an agent reads; rotating the key retires the old one', async () => {
    const agent = await createSignedInUser(api, token, Role.Agent);
    expectStatus(await api.get('/api/widget/settings', { token: agent.token }), 200);
    expectProblem(await api.patch('/api/widget/settings', { enabled: false }, { token: agent.token }), 403);
    const bad = await api.patch('/api/widget/settings', { allowedOrigins: ['https://x.example/path'] }, { token });
    expectProblem(bad, 400, 'validation_failed');
    const rotated = await api.post('/api/widget/settings/rotate-key', undefined, { token });
    expectStatus(rotated, 200);
    expect(rotated.body.publicKey).not.toBe(key);
    expect((await fetch(`${t.baseUrl}/widget/v1/${key}.js`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/widget/v1/${rotated.body.publicKey}.js`)).status).toBe(200);
    key = rotated.body.publicKey;
  });
});
