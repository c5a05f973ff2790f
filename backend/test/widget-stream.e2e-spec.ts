import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../src/app.factory';
import { AppConfig } from '../src/config/app-config';
import { WidgetStreamSlots } from '../src/modules/conversations/widget-stream-slots';
import { ApiClient, expectStatus, PROBLEM_JSON, randomIp, signIn, type Json } from './support/auth-helpers';
import { testRedisUrl } from './support/env';
import { eventually } from './support/processes';
import { readSse, type SseEvent } from './support/sse';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

const SITE = 'https://www.stream-shop.example';
const PER_IP = 3;

/** The widget's stream read with fetch, the way the widget script reads it. */
async function openStream(
  url: string,
  options: { visitor?: string; origin?: string | null; ip?: string; lastEventId?: string } = {},
) {
  const abort = new AbortController();
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? randomIp() };
  if (options.origin !== null) headers.origin = options.origin ?? SITE;
  if (options.visitor) headers['x-widget-visitor'] = options.visitor;
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const res = await fetch(url, { headers, signal: abort.signal });
  if (res.status !== 200) {
    const body = (await res.json()) as Json;
    const events: SseEvent[] = [];
    return { res, body, events, ended: () => true, next: () => Promise.reject(new Error('not open')), close: () => {} };
  }
  return { res, body: null as Json, ...readSse(res, abort) };
}

const messagesOf = (events: SseEvent[]) => events.filter((e) => e.event === 'message');

describe('widget: the live stream of a visitor', () => {
  let a: TestApp;
  /** A second API process on the same database and Redis: events and limits must cross. */
  let b: { app: NestFastifyApplication; baseUrl: string; dataDir: string };
  let api: ApiClient;
  let token: string;
  let key: string;

  const env = {
    REDIS_URL: testRedisUrl(),
    WIDGET_RATE_PER_IP_PER_MINUTE: '10000',
    WIDGET_RATE_PER_KEY_PER_MINUTE: '100000',
    WIDGET_STREAMS_PER_IP: String(PER_IP),
  };
  const streamUrl = (base: string, k = key) => `${base}/api/public/widget/${k}/stream`;

  async function capture(name: string): Promise<{ visitorToken: string; conversationId: string }> {
    const { WidgetService } = await import('../src/modules/conversations/widget.service');
    const service = a.app.get(WidgetService);
    const formToken = service.formToken(await service.byPublicKey(key), Date.now() - 10_000);
    const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const res = await fetch(`${a.baseUrl}/api/public/widget/${key}/conversations`, {
      method: 'POST',
      headers: { origin: SITE, 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
      body: JSON.stringify({ name, email, message: 'Hello?', consent: true, formToken, website: '' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { visitorToken: string };
    const [row] = await a.db.query<{ id: string }>(`SELECT id FROM conversations WHERE contact_address = $1`, [email]);
    return { visitorToken: body.visitorToken, conversationId: row.id };
  }

  const reply = async (conversationId: string, text: string) => {
    const res = await api.post(`/api/conversations/${conversationId}/messages`, { kind: 'text', text }, { token });
    expectStatus(res, 201);
    return res.body as { id: string };
  };

  const openStreams = async () => {
    const text = await (await fetch(`${a.baseUrl}/metrics`)).text();
    return Number(/^meridian_widget_streams_open (\d+)$/m.exec(text)?.[1]);
  };

  beforeAll(async () => {
    a = await startTestApp(env);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-e2e-'));
    const app = await createApp(
      AppConfig.load({
        DATABASE_URL: a.db.url,
        DATA_DIR: dataDir,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        DB_MIGRATE_ON_START: 'false',
        SERVE_CONSOLE: 'false',
        DB_POOL_SIZE: '4',
        JWT_SECRET: TEST_JWT_SECRET,
        ...env,
      }),
      { bufferLogs: true },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    b = { app, dataDir, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
    api = new ApiClient(a.baseUrl);
    token = (await signIn(api, OWNER_EMAIL, OWNER_PASSWORD)).accessToken;
    const updated = await api.patch('/api/widget/settings', { allowedOrigins: [SITE] }, { token });
    expectStatus(updated, 200);
    key = updated.body.publicKey;
  });

  afterAll(async () => {
    await b?.app.close();
    if (b) fs.rmSync(b.dataDir, { recursive: true, force: true });
    await a?.close();
  });

  it('sends the conversation, then an inbox reply as soon as it is stored, on another API process', async () => {
    const visitor = await capture('Ada');
    const before = await openStreams();
    const stream = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken });
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.res.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.res.headers.get('access-control-allow-origin')).toBe(SITE);
    await stream.next((e) => e.event === 'ready');
    // The backlog: the visitor's question and the assistant's answer, oldest first, each with its id.
    expect(messagesOf(stream.events).map((e) => e.data.direction)).toEqual(['in', 'out']);
    expect(stream.events.find((e) => e.event === 'status')?.data).toEqual({ status: 'open' });
    expect(messagesOf(stream.events).every((e) => typeof e.id === 'string')).toBe(true);
    expect(await openStreams()).toBe(before + 1);

    const sent = await reply(visitor.conversationId, 'Hi Ada, a teammate here.');
    const live = await stream.next((e) => e.event === 'message' && e.data.id === sent.id);
    expect(live.data).toEqual({
      id: sent.id,
      direction: 'out',
      kind: 'text',
      body: 'Hi Ada, a teammate here.',
      authorLabel: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(live.id).toEqual(expect.any(String));

    // Closing the conversation in the inbox shows in the widget.
    expectStatus(await api.patch(`/api/conversations/${visitor.conversationId}`, { status: 'closed' }, { token }), 200);
    await stream.next((e) => e.event === 'status' && e.data.status === 'closed');
    await stream.close();
    await eventually(async () => ((await openStreams()) === before ? true : undefined), 5_000, 50);
  });

  it("never sends another visitor's messages", async () => {
    const one = await capture('Grace');
    const two = await capture('Barbara');
    const first = await openStream(streamUrl(a.baseUrl), { visitor: one.visitorToken });
    const second = await openStream(streamUrl(b.baseUrl), { visitor: two.visitorToken });
    await first.next((e) => e.event === 'ready');
    await second.next((e) => e.event === 'ready');
    const firstBacklog = messagesOf(first.events).map((e) => e.data.id as string);
    const forTwo = await reply(two.conversationId, 'Only for Barbara');
    await second.next((e) => e.event === 'message' && e.data.id === forTwo.id);
    const forOne = await reply(one.conversationId, 'Only for Grace');
    await first.next((e) => e.event === 'message' && e.data.id === forOne.id);
    expect(messagesOf(first.events).map((e) => e.data.id)).toEqual([...firstBacklog, forOne.id]);
    expect(messagesOf(second.events).map((e) => e.data.body)).not.toContain('Only for Grace');
    await first.close();
    await second.close();
  });

  it('refuses a foreign origin, an unknown key, an unknown visitor and a forged event id with problem+json', async () => {
    const visitor = await capture('Mallory');
    const cases: [Parameters<typeof openStream>[1], string, number, string][] = [
      [{ visitor: visitor.visitorToken, origin: 'https://evil.example' }, key, 403, 'origin_not_allowed'],
      [{ visitor: visitor.visitorToken, origin: null }, key, 403, 'origin_not_allowed'],
      [{ visitor: visitor.visitorToken }, 'wk_AAAAAAAAAAAAAAAAAAAAAAAA', 404, 'not_found'],
      [{ visitor: 'x'.repeat(43) }, key, 401, 'visitor_unknown'],
      [{}, key, 401, 'visitor_unknown'],
      [{ visitor: visitor.visitorToken, lastEventId: 'not-a-cursor' }, key, 400, 'validation_failed'],
      [
        {
          visitor: visitor.visitorToken,
          lastEventId: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url'),
        },
        key,
        400,
        'validation_failed',
      ],
    ];
    for (const [options, k, status, code] of cases) {
      const refused = await openStream(streamUrl(a.baseUrl, k), options);
      expect([refused.res.status, refused.body?.code]).toEqual([status, code]);
      expect(refused.res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    }
    const forged = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken, lastEventId: 'x' });
    expect(forged.body.errors).toEqual([{ field: 'Last-Event-ID', reason: 'is not an event id of this stream' }]);
  });

  it('opens at most 2 streams per visitor across processes: the third is 429 until one closes', async () => {
    const visitor = await capture('Linus');
    const ip = randomIp();
    const one = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken, ip });
    const two = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken, ip: randomIp() });
    expect([one.res.status, two.res.status]).toEqual([200, 200]);
    const third = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken });
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(third.res.headers.get('retry-after')).toBe('30');
    expect(third.body).toMatchObject({ code: 'too_many_streams', limit: 'visitor' });
    // An abrupt disconnect (the client goes away without a word) frees the slot.
    await two.close();
    const again = await eventually(async () => {
      const s = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken });
      return s.res.status === 200 ? s : undefined;
    }, 5_000);
    await again.next((e) => e.event === 'ready');
    await again.close();
    await one.close();
  });

  it('opens at most WIDGET_STREAMS_PER_IP streams from one address, every visitor together', async () => {
    const ip = randomIp();
    const open = [];
    for (let i = 0; i < PER_IP; i++) {
      const visitor = await capture(`Ip${i}`);
      const s = await openStream(streamUrl(i % 2 ? a.baseUrl : b.baseUrl), { visitor: visitor.visitorToken, ip });
      expect(s.res.status).toBe(200);
      open.push(s);
    }
    const visitor = await capture('IpLast');
    const over = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken, ip });
    expect(over.res.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'too_many_streams', limit: 'ip' });
    const elsewhere = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken, ip: randomIp() });
    expect(elsewhere.res.status).toBe(200);
    for (const s of [...open, elsewhere]) await s.close();
  });

  it('resumes after Last-Event-ID (or after=) with exactly the messages it missed', async () => {
    const visitor = await capture('Hedy');
    const first = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken });
    await first.next((e) => e.event === 'ready');
    const seen = await reply(visitor.conversationId, 'Seen live');
    const lastSeen = await first.next((e) => e.event === 'message' && e.data.id === seen.id);
    await first.close();

    const missed = [
      await reply(visitor.conversationId, 'Missed one'),
      await reply(visitor.conversationId, 'Missed two'),
    ];
    const resumed = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken, lastEventId: lastSeen.id });
    await resumed.next((e) => e.event === 'ready');
    expect(messagesOf(resumed.events).map((e) => e.data.id)).toEqual(missed.map((m) => m.id));
    const later = await reply(visitor.conversationId, 'Live again');
    await resumed.next((e) => e.event === 'message' && e.data.id === later.id);
    expect(messagesOf(resumed.events).map((e) => e.data.id)).toEqual([...missed.map((m) => m.id), later.id]);
    const lastId = messagesOf(resumed.events).at(-1)?.id as string;
    await resumed.close();

    const viaQuery = await openStream(`${streamUrl(a.baseUrl)}?after=${encodeURIComponent(lastSeen.id as string)}`, {
      visitor: visitor.visitorToken,
    });
    await viaQuery.next((e) => e.event === 'ready');
    expect(messagesOf(viaQuery.events).map((e) => e.data.id)).toEqual([...missed.map((m) => m.id), later.id]);
    await viaQuery.close();
    const upToDate = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken, lastEventId: lastId });
    await upToDate.next((e) => e.event === 'ready');
    expect(messagesOf(upToDate.events)).toEqual([]);
    await upToDate.close();
  });

  it('a stream slot held by a process that died expires; a refreshed one does not', async () => {
    const redis = new Redis(testRedisUrl());
    try {
      const config = AppConfig.load({ REDIS_URL: testRedisUrl() });
      const slots = new WidgetStreamSlots(config, redis, 1_000);
      const scope = [{ name: 'visitor', id: `slot-test-${Math.random()}`, limit: 1 }];
      const held = await slots.acquire(scope);
      expect('full' in held).toBe(false);
      expect(await slots.acquire(scope)).toEqual({ full: 'visitor' });
      await new Promise((r) => setTimeout(r, 600));
      if ('refresh' in held) await held.refresh();
      await new Promise((r) => setTimeout(r, 600));
      // 1.2 s after it was taken, refreshed at 0.6 s: still held.
      expect(await slots.acquire(scope)).toEqual({ full: 'visitor' });
      // Never refreshed again (its process is gone): free 1 s after the last refresh.
      await new Promise((r) => setTimeout(r, 700));
      const next = await slots.acquire(scope);
      expect('full' in next).toBe(false);
      if ('release' in next) await next.release();
    } finally {
      redis.disconnect();
    }
  });

  it('ends open streams, on every process, when the key is replaced or the widget switched off', async () => {
    const visitor = await capture('Katherine');
    const onA = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken });
    const onB = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken });
    await onA.next((e) => e.event === 'ready');
    await onB.next((e) => e.event === 'ready');
    const rotated = await api.post('/api/widget/settings/rotate-key', undefined, { token });
    expectStatus(rotated, 200);
    for (const s of [onA, onB]) {
      await s.next((e) => e.event === 'end');
      expect(s.events.at(-1)).toEqual({ event: 'end', data: { reason: 'widget_changed' } });
      await eventually(() => Promise.resolve(s.ended() || undefined), 5_000, 20);
    }
    const old = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken });
    expect(old.res.status).toBe(404);
    key = rotated.body.publicKey;

    const fresh = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken });
    await fresh.next((e) => e.event === 'ready');
    // Saving settings that leave the widget as it is ends nothing; switching it off does.
    expectStatus(await api.patch('/api/widget/settings', { greeting: 'Hello again' }, { token }), 200);
    const stillLive = await reply(visitor.conversationId, 'Still here');
    await fresh.next((e) => e.event === 'message' && e.data.id === stillLive.id);
    expectStatus(await api.patch('/api/widget/settings', { enabled: false }, { token }), 200);
    await fresh.next((e) => e.event === 'end');
    expect(fresh.events.filter((e) => e.event === 'end')).toHaveLength(1);
    await eventually(() => Promise.resolve(fresh.ended() || undefined), 5_000, 20);
    expectStatus(await api.patch('/api/widget/settings', { enabled: true }, { token }), 200);

    // A site that is no longer allowed: its streams end, those of the sites still allowed stay.
    const other = 'https://other-shop.example';
    expectStatus(await api.patch('/api/widget/settings', { allowedOrigins: [SITE, other] }, { token }), 200);
    // (The ended stream's slot is freed as its connection closes: wait for it rather than race it.)
    const onSite = await eventually(async () => {
      const s = await openStream(streamUrl(a.baseUrl), { visitor: visitor.visitorToken });
      return s.res.status === 200 ? s : undefined;
    }, 5_000);
    const onOther = await openStream(streamUrl(b.baseUrl), { visitor: visitor.visitorToken, origin: other });
    await onSite.next((e) => e.event === 'ready');
    await onOther.next((e) => e.event === 'ready');
    expectStatus(await api.patch('/api/widget/settings', { allowedOrigins: [SITE] }, { token }), 200);
    await onOther.next((e) => e.event === 'end');
    const afterRemoval = await reply(visitor.conversationId, 'After the site list changed');
    await onSite.next((e) => e.event === 'message' && e.data.id === afterRemoval.id);
    expect(onSite.events.some((e) => e.event === 'end')).toBe(false);
    await onSite.close();
  });
});
