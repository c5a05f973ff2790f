import { randomUUID } from 'node:crypto';
import { PasswordService } from '../src/modules/auth/password.service';
import {
  ChannelEventsService,
  EmailSender,
  OutboxService,
  WhatsAppSender,
} from '../src/modules/channels/channels.module';
import type { OutgoingEmail, OutgoingWhatsApp, SendOutcome } from '../src/modules/channels/channel.types';
import type { WhatsAppStatusEvent } from '../src/modules/channels/channel-events.service';
import { CHANNELS_CLEANUP_JOB } from '../src/modules/channels/channels.processor';
import { CloudApiWhatsAppSender } from '../src/modules/channels/drivers/cloud-api-whatsapp.sender';
import { SmtpEmailSender } from '../src/modules/channels/drivers/smtp-email.sender';
import { JobQueues } from '../src/queue/job-queues';
import { QueueName } from '../src/queue/queue-names';
import {
  ApiClient,
  ApiResponse,
  createApiKey,
  expectProblem,
  expectStatus,
  problemFields,
  signIn,
  strongPassword,
  uniqueEmail,
} from './support/auth-helpers';
import { testRedisUrl } from './support/env';
import { eventually, freePort } from './support/processes';
import { SmtpSink } from './support/smtp-sink';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from './support/test-app';
import {
  FakeWhatsApp,
  metaSignature,
  postWhatsAppWebhook,
  sendStatusWebhook,
  statusWebhookPayload,
} from './fakes/fake-whatsapp';

const SMTP_USER = 'meridian-relay';
const SMTP_PASS = 'smtp-pass-7f3a9c1e5b';
const WA_TOKEN = 'EAAGtestaccesstoken0123456789abcdef';
const WA_PHONE_ID = '106540352242922';
const WA_APP_SECRET = 'app-secret-4b8e2d9f';
const WA_VERIFY_TOKEN = 'verify-token-91c2e7';
const SECRETS = [SMTP_PASS, WA_TOKEN, WA_APP_SECRET, WA_VERIFY_TOKEN];

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  const id = randomUUID();
  return {
    to: `ada-${id.slice(0, 8)}@example.test`,
    from: 'Meridian <no-reply@meridian.local>',
    subject: 'Spring offer',
    html: '<p>Hello <b>Ada</b></p>',
    text: 'Hello Ada',
    headers: {
      'List-Unsubscribe': `<https://crm.example.test/u/${id}>, <mailto:unsubscribe@meridian.local?subject=${id}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    messageId: `<${id}@meridian>`,
    ...overrides,
  };
}

function whatsapp(overrides: Partial<OutgoingWhatsApp> = {}): OutgoingWhatsApp {
  return {
    to: '+4915112345678',
    templateName: 'spring_offer',
    language: 'en_US',
    bodyParameters: ['Ada', '20%'],
    headerParameters: ['Spring'],
    callbackData: randomUUID(),
    ...overrides,
  };
}

interface OutboxPage {
  items: { id: string; channel: string; html?: string }[];
  nextCursor: string | null;
}

const failure = (outcome: SendOutcome) => (outcome.ok ? null : outcome);

describe('channels: real drivers against a local SMTP server and a local Cloud API', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let fake: FakeWhatsApp;
  let api: ApiClient;
  let token: string;
  let orgId: string;
  let mailer: EmailSender;
  let wa: WhatsAppSender;
  const received: WhatsAppStatusEvent[][] = [];
  let failHandler = false;
  const webhookUrl = () => `${t.baseUrl}/api/webhooks/whatsapp`;

  beforeAll(async () => {
    sink = await new SmtpSink({ auth: { user: SMTP_USER, pass: SMTP_PASS } }).start();
    fake = await new FakeWhatsApp({
      accessToken: WA_TOKEN,
      phoneNumberId: WA_PHONE_ID,
      templates: ['spring_offer'],
    }).start();
    t = await startTestApp({
      REDIS_URL: testRedisUrl(),
      SMTP_URL: sink.url,
      SMTP_POOL_SIZE: '2',
      WHATSAPP_API_URL: fake.url,
      WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
      WHATSAPP_APP_SECRET: WA_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: WA_VERIFY_TOKEN,
    });
    api = new ApiClient(t.baseUrl);
    token = (await signIn(api, OWNER_EMAIL, OWNER_PASSWORD)).accessToken;
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
    mailer = t.app.get(EmailSender);
    wa = t.app.get(WhatsAppSender);
    t.app.get(ChannelEventsService).onWhatsAppStatuses(async (events) => {
      if (failHandler) throw new Error('ledger unavailable');
      received.push(events);
      await Promise.resolve();
    });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
    await fake?.stop();
  });

  beforeEach(() => {
    sink.reset();
    fake.reset();
    received.length = 0;
    failHandler = false;
  });

  it('reports the drivers in use, and no credential', async () => {
    const res = await api.get('/api/channels/status', { token });
    expectStatus(res, 200);
    expect(res.body).toEqual({
      email: { driver: 'smtp', from: 'Meridian <no-reply@meridian.local>' },
      whatsapp: { driver: 'cloud-api', phoneNumberId: WA_PHONE_ID },
    });
    expect(mailer.driver).toBe('smtp');
    expect(wa.driver).toBe('cloud-api');
  });

  describe('SMTP driver', () => {
    it('delivers through the pool with the deterministic Message-ID and the List-Unsubscribe headers', async () => {
      const message = email({ replyTo: 'sales@meridian.local' });
      const outcome = await mailer.send(message, { organizationId: orgId });
      expect(outcome).toEqual({ ok: true, providerMessageId: message.messageId });
      const got = sink.byMessageId(message.messageId);
      expect(got).toBeDefined();
      expect(got).toMatchObject({
        envelopeFrom: 'no-reply@meridian.local',
        envelopeTo: [message.to],
        subject: 'Spring offer',
      });
      expect(got?.headers['list-unsubscribe']).toBe(message.headers['List-Unsubscribe']);
      expect(got?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(got?.headers['reply-to']).toBe('sales@meridian.local');
      expect(got?.raw).toContain('Hello <b>Ada</b>');
    });

    it('a re-send carries the same Message-ID (what lets providers keep one copy)', async () => {
      const message = email();
      await mailer.send(message, { organizationId: orgId });
      await mailer.send(message, { organizationId: orgId });
      expect(sink.messages.map((m) => m.messageId)).toEqual([message.messageId, message.messageId]);
    });

    it('550 user unknown at RCPT TO is a permanent failure and a bounce', async () => {
      const message = email();
      sink.rejectRecipients(message.to);
      const outcome = failure(await mailer.send(message, { organizationId: orgId }));
      expect(outcome).toMatchObject({ ok: false, kind: 'permanent', bounce: true });
      expect(outcome?.error).toMatch(/550/);
      expect(outcome?.error).toMatch(/User unknown/);
      expect(sink.accepted).toBe(0);
    });

    it('451 / 421 with rate-limit wording is throttled; a plain 451 is transient; the next message goes through', async () => {
      sink.deferNext(1, 451, 'rate');
      expect(failure(await mailer.send(email(), { organizationId: orgId }))).toMatchObject({ kind: 'throttled' });
      // A 421 closes the connection. Answered on a reused pooled connection, nodemailer moves the message to
      // another connection (the server may only have dropped an idle link); a fresh connection's 421 is final.
      // With SMTP_POOL_SIZE=2 at most 2 reused connections come before a fresh one: 3 refusals are enough.
      sink.deferNext(3, 421, 'rate');
      expect(failure(await mailer.send(email(), { organizationId: orgId }))).toMatchObject({ kind: 'throttled' });
      sink.deferNext(1, 451, 'plain');
      const transient = failure(await mailer.send(email(), { organizationId: orgId }));
      expect(transient).toMatchObject({ kind: 'transient' });
      expect(transient?.error).toMatch(/451/);
      const after = await mailer.send(email(), { organizationId: orgId });
      expect(after.ok).toBe(true);
      expect(sink.accepted).toBe(1);
    });

    it('verify() checks the connection and credentials', async () => {
      await expect(mailer.verify()).resolves.toBeUndefined();
      const wrong = new SmtpEmailSender({
        url: `smtp://${SMTP_USER}:wrong-${SMTP_PASS}@127.0.0.1:${sink.port}`,
        poolSize: 1,
      });
      try {
        const err = (await wrong.verify().catch((e: Error) => e)) as Error;
        expect(err).toBeInstanceOf(Error);
        expect(err.message).toMatch(/535|auth/i);
        expect(err.message).not.toContain(SMTP_PASS);
        const outcome = failure(await wrong.send(email(), { organizationId: orgId }));
        // A bad credential is ours to fix: not the recipient's bounce.
        expect(outcome).toMatchObject({ kind: 'transient' });
        expect(outcome?.error).not.toContain(SMTP_PASS);
      } finally {
        wrong.onModuleDestroy();
      }
    });

    it('a server that cannot be reached is transient, and the URL password never shows', async () => {
      const port = await freePort();
      const down = new SmtpEmailSender({ url: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`, poolSize: 1 });
      try {
        const outcome = failure(await down.send(email(), { organizationId: orgId }));
        expect(outcome).toMatchObject({ kind: 'transient' });
        expect(outcome?.error).not.toContain(SMTP_PASS);
        await expect(down.verify()).rejects.toThrow();
      } finally {
        down.onModuleDestroy();
      }
    });
  });

  describe('WhatsApp Cloud API driver', () => {
    it("sends the template message in Meta's format and answers the wamid", async () => {
      const message = whatsapp();
      const outcome = await wa.send(message, { organizationId: orgId });
      expect(outcome.ok).toBe(true);
      expect(fake.calls).toHaveLength(1);
      const [call] = fake.calls;
      expect(call.path).toBe(`/v21.0/${WA_PHONE_ID}/messages`);
      expect(call.headers.authorization).toBe(`Bearer ${WA_TOKEN}`);
      expect(call.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '4915112345678',
        type: 'template',
        template: {
          name: 'spring_offer',
          language: { code: 'en_US' },
          components: [
            { type: 'header', parameters: [{ type: 'text', text: 'Spring' }] },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Ada' },
                { type: 'text', text: '20%' },
              ],
            },
          ],
        },
        biz_opaque_callback_data: message.callbackData,
      });
      expect(outcome).toEqual({ ok: true, providerMessageId: call.wamid });
      expect(call.wamid).toMatch(/^wamid\./);
    });

    it('omits empty components', async () => {
      await wa.send(whatsapp({ bodyParameters: [], headerParameters: [] }), { organizationId: orgId });
      expect((fake.calls[0].body as { template: Record<string, unknown> }).template).toEqual({
        name: 'spring_offer',
        language: { code: 'en_US' },
      });
    });

    it('HTTP 429 and code 130429 are throttled, honouring Retry-After', async () => {
      fake.throttleNext(1, 'http', 3);
      expect(failure(await wa.send(whatsapp(), { organizationId: orgId }))).toMatchObject({
        kind: 'throttled',
        retryAfterMs: 3000,
      });
      fake.throttleNext(1, 'code');
      const coded = failure(await wa.send(whatsapp(), { organizationId: orgId }));
      expect(coded).toMatchObject({ kind: 'throttled' });
      expect(coded?.error).toContain('130429');
      expect((await wa.send(whatsapp(), { organizationId: orgId })).ok).toBe(true);
    });

    it('5xx and code 131000 are transient', async () => {
      fake.failNext(1, 500, 131000);
      expect(failure(await wa.send(whatsapp(), { organizationId: orgId }))).toMatchObject({ kind: 'transient' });
    });

    it('an undeliverable number (131026) and an unknown template (132001) are permanent, not bounces', async () => {
      fake.rejectNumber('+4915100000000');
      const undeliverable = failure(await wa.send(whatsapp({ to: '+4915100000000' }), { organizationId: orgId }));
      expect(undeliverable).toMatchObject({ kind: 'permanent', bounce: false });
      expect(undeliverable?.error).toContain('131026');
      const unknown = failure(await wa.send(whatsapp({ templateName: 'nope' }), { organizationId: orgId }));
      expect(unknown).toMatchObject({ kind: 'permanent' });
      expect(unknown?.error).toContain('132001');
    });

    it('a wrong token is permanent and the token never appears; an unreachable API is transient', async () => {
      const wrongToken = `${WA_TOKEN}-revoked`;
      const wrong = new CloudApiWhatsAppSender({
        apiUrl: fake.url,
        apiVersion: 'v21.0',
        phoneNumberId: WA_PHONE_ID,
        accessToken: wrongToken,
      });
      const refused = failure(await wrong.send(whatsapp(), { organizationId: orgId }));
      expect(refused).toMatchObject({ kind: 'permanent' });
      expect(refused?.error).toContain('190');
      expect(refused?.error).not.toContain(wrongToken);

      const down = new CloudApiWhatsAppSender({
        apiUrl: `http://127.0.0.1:${await freePort()}`,
        apiVersion: 'v21.0',
        phoneNumberId: WA_PHONE_ID,
        accessToken: WA_TOKEN,
      });
      const unreachable = failure(await down.send(whatsapp(), { organizationId: orgId }));
      expect(unreachable).toMatchObject({ kind: 'transient' });
      expect(unreachable?.error).not.toContain(WA_TOKEN);
    });
  });

  describe('webhook', () => {
    const verify = (query: string) => api.get(`/api/webhooks/whatsapp?${query}`);

    it('answers the subscription handshake with the challenge, as text/plain', async () => {
      const res = await verify(`hub.mode=subscribe&hub.verify_token=${WA_VERIFY_TOKEN}&hub.challenge=1158201444`);
      expectStatus(res, 200);
      expect(res.contentType).toMatch(/^text\/plain/);
      expect(res.text).toBe('1158201444');
    });

    it('refuses a wrong verify token or mode with 403', async () => {
      expectProblem(
        await verify('hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1'),
        403,
        'verify_token_mismatch',
      );
      expectProblem(
        await verify(`hub.mode=unsubscribe&hub.verify_token=${WA_VERIFY_TOKEN}&hub.challenge=1`),
        403,
        'verify_token_mismatch',
      );
      expectProblem(await verify(''), 403, 'verify_token_mismatch');
    });

    it('accepts a signed status webhook and hands the events to the registered handler', async () => {
      const callbackData = randomUUID();
      const sent = await wa.send(whatsapp({ callbackData }), { organizationId: orgId });
      expect(sent.ok).toBe(true);
      const wamid = fake.sent[0].wamid;
      const res = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, [
        { wamid, status: 'sent', recipientId: '4915112345678', callbackData, timestamp: 1_780_000_000 },
        { wamid, status: 'delivered', recipientId: '4915112345678', callbackData, timestamp: 1_780_000_005 },
      ]);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: 2, accepted: 2, duplicates: 0 });
      expect(received).toHaveLength(1);
      expect(received[0]).toEqual([
        {
          providerMessageId: wamid,
          status: 'sent',
          timestamp: new Date(1_780_000_000_000),
          recipientPhone: '4915112345678',
          callbackData,
          error: null,
        },
        {
          providerMessageId: wamid,
          status: 'delivered',
          timestamp: new Date(1_780_000_005_000),
          recipientPhone: '4915112345678',
          callbackData,
          error: null,
        },
      ]);
    });

    it('ignores a replayed event (200, not handed on again), and hands on the new one beside it', async () => {
      const wamid = `wamid.${randomUUID()}`;
      const first = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, [
        { wamid, status: 'read', recipientId: '4915112345678' },
      ]);
      expect(first.status).toBe(200);
      const replay = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, [
        { wamid, status: 'read', recipientId: '4915112345678' },
        {
          wamid,
          status: 'failed',
          recipientId: '4915112345678',
          error: { code: 131026, title: 'Message undeliverable' },
        },
      ]);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: 2, accepted: 1, duplicates: 1 });
      expect(received.map((batch) => batch.map((e) => e.status))).toEqual([['read'], ['failed']]);
      expect(received[1][0].error).toEqual({ code: 131026, title: 'Message undeliverable' });
    });

    it('refuses a bad or missing signature with 401 problem+json, and hands nothing on', async () => {
      const payload = statusWebhookPayload(WA_PHONE_ID, [
        { wamid: `wamid.${randomUUID()}`, status: 'delivered', recipientId: '4915112345678' },
      ]);
      for (const signature of ['bad', 'none'] as const) {
        const res = await postWhatsAppWebhook(webhookUrl(), payload, WA_APP_SECRET, signature);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await res.json()) as { code: string }).code).toBe('invalid_signature');
      }
      // The signature covers the exact bytes: the same JSON re-serialized with other spacing fails.
      const body = JSON.stringify(payload);
      const signedOther = await fetch(webhookUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': metaSignature(body, WA_APP_SECRET),
        },
        body: JSON.stringify(payload, null, 2),
      });
      expect(signedOther.status).toBe(401);
      expect(received).toEqual([]);
    });

    it('a signed but malformed payload answers 400 (never 500)', async () => {
      const notJson = await postWhatsAppWebhook(
        webhookUrl(),
        '{"object": "whatsapp_business_account", ',
        WA_APP_SECRET,
      );
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as { code: string }).code).toBe('malformed_json');

      const wrongShape = await postWhatsAppWebhook(
        webhookUrl(),
        { object: 'page', entry: [{ changes: [{ value: { statuses: [{ id: 7, status: 'read' }] } }] }] },
        WA_APP_SECRET,
      );
      expect(wrongShape.status).toBe(400);
      const problem = (await wrongShape.json()) as { code: string; errors: { field: string }[] };
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.field)).toEqual(
        expect.arrayContaining(['object', 'entry[0].changes[0].value.statuses[0].id']),
      );
      expect(received).toEqual([]);
    });

    it('hands incoming messages to the inbox (not to the status handlers), and skips unknown statuses', async () => {
      const payload = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  messages: [
                    {
                      from: '4915112345678',
                      id: 'wamid.in1',
                      timestamp: '1780000000',
                      type: 'text',
                      text: { body: 'STOP' },
                    },
                  ],
                  statuses: [
                    { id: 'wamid.x', status: 'deleted', timestamp: '1780000000', recipient_id: '4915112345678' },
                  ],
                },
              },
            ],
          },
        ],
      };
      const res = await postWhatsAppWebhook(webhookUrl(), payload, WA_APP_SECRET);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: 1, accepted: 1, duplicates: 0 });
      expect(received).toEqual([]);
      const [row] = await t.db.query<{ body: string }>(
        `SELECT body FROM conversation_messages WHERE provider_message_id = 'wamid.in1'`,
      );
      expect(row.body).toBe('STOP');
    });

    it('a failing handler answers 503 so Meta retries, and the retry is handled', async () => {
      const updates = [{ wamid: `wamid.${randomUUID()}`, status: 'delivered' as const, recipientId: '4915112345678' }];
      failHandler = true;
      const failed = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, updates);
      expect(failed.status).toBe(503);
      failHandler = false;
      const retried = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, updates);
      expect(retried.status).toBe(200);
      expect(received).toHaveLength(1);
    });

    it('is public: the RBAC guard lets Meta in without a token', async () => {
      const res = await verify(`hub.mode=subscribe&hub.verify_token=${WA_VERIFY_TOKEN}&hub.challenge=42`);
      expect(res.status).toBe(200);
    });
  });

  it('system health shows both channels configured and healthy', async () => {
    const res = await api.get('/api/system/health', { token });
    expectStatus(res, 200);
    const byName = Object.fromEntries(
      (res.body.services as { name: string; latencyMs: number | null }[]).map((s) => [s.name, s]),
    );
    expect(byName.email).toMatchObject({ status: 'healthy', configured: true, details: { driver: 'smtp' } });
    expect(byName.email.latencyMs).toBeGreaterThan(0);
    expect(byName.whatsapp).toMatchObject({
      status: 'healthy',
      configured: true,
      details: { driver: 'cloud-api', webhookSignature: true, phoneNumberId: WA_PHONE_ID },
    });
  });

  it('no API answer held a channel secret', () => {
    const leaked = api.responses.filter((r) => SECRETS.some((s) => r.text.includes(s)));
    expect(leaked.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});

describe('channels: outbox drivers (nothing configured)', () => {
  let t: TestApp;
  let api: ApiClient;
  let token: string;
  let orgA: string;
  let orgB: string;
  let tokenB: string;
  let mailer: EmailSender;
  let wa: WhatsAppSender;

  beforeAll(async () => {
    // Embedded queues: the cleanup job runs in this process, as in the embedded profile.
    t = await startTestApp();
    api = new ApiClient(t.baseUrl);
    token = (await signIn(api, OWNER_EMAIL, OWNER_PASSWORD)).accessToken;
    [{ id: orgA }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
    const [org] = await t.db.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Org B') RETURNING id`);
    orgB = org.id;
    const password = strongPassword();
    const emailB = uniqueEmail('owner-b');
    const hash = await t.app.get(PasswordService).hash(password);
    await t.db.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, 'Owner B', 'owner', $3)`,
      [orgB, emailB, hash],
    );
    tokenB = (await signIn(api, emailB, password)).accessToken;
    mailer = t.app.get(EmailSender);
    wa = t.app.get(WhatsAppSender);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('reports the outbox drivers', async () => {
    const res = await api.get('/api/channels/status', { token });
    expectStatus(res, 200);
    expect(res.body).toEqual({
      email: { driver: 'outbox', from: 'Meridian <no-reply@meridian.local>' },
      whatsapp: { driver: 'outbox', phoneNumberId: null },
    });
  });

  it('the webhook refuses everything while WhatsApp is not configured (503), never accepting unsigned payloads', async () => {
    const post = await api.post('/api/webhooks/whatsapp', statusWebhookPayload(WA_PHONE_ID, []));
    expectProblem(post, 503, 'whatsapp_not_configured');
    expectProblem(
      await api.get('/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1'),
      503,
      'whatsapp_not_configured',
    );
  });

  it('keeps an email exactly once per Message-ID', async () => {
    const campaignId = randomUUID();
    const message = email();
    const meta = { organizationId: orgA, campaignId, recipientId: randomUUID() };
    const first = await mailer.send(message, meta);
    const again = await mailer.send({ ...message, subject: 'changed on re-send' }, meta);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    const rows = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM outbox_messages WHERE message_id = $1`,
      [message.messageId],
    );
    expect(rows[0].n).toBe('1');
    const id = (first as { providerMessageId: string }).providerMessageId;

    const detail = await api.get(`/api/outbox/${id}`, { token });
    expectStatus(detail, 200);
    expect(detail.body).toMatchObject({
      id,
      channel: 'email',
      to: message.to,
      from: message.from,
      subject: 'Spring offer',
      text: 'Hello Ada',
      html: '<p>Hello <b>Ada</b></p>',
      campaignId,
      test: false,
      headers: {
        'Message-ID': message.messageId,
        'List-Unsubscribe': message.headers['List-Unsubscribe'],
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  });

  it('keeps a WhatsApp message exactly once per callbackData, readable as text', async () => {
    const message = whatsapp();
    const first = await wa.send(message, { organizationId: orgA, test: true });
    expect(await wa.send(message, { organizationId: orgA, test: true })).toEqual(first);
    const id = (first as { providerMessageId: string }).providerMessageId;
    const detail = await api.get(`/api/outbox/${id}`, { token });
    expect(detail.body).toMatchObject({
      channel: 'whatsapp',
      to: '+4915112345678',
      subject: null,
      html: null,
      test: true,
    });
    expect(detail.body.text).toContain('spring_offer');
    expect(detail.body.text).toContain('body {{2}}: 20%');
  });

  it('lists newest first with keyset pages and filters; other tenants see nothing of it', async () => {
    const campaignId = randomUUID();
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await mailer.send(email({ subject: `Paged ${i}` }), { organizationId: orgA, campaignId });
      mine.push((outcome as { providerMessageId: string }).providerMessageId);
      // Creation times are kept to the millisecond; two in the same one tie and then order by id.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const theirs = await mailer.send(email({ subject: 'Org B only' }), { organizationId: orgB, campaignId });
    const theirId = (theirs as { providerMessageId: string }).providerMessageId;

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: ApiResponse<OutboxPage> = await api.get<OutboxPage>(
        `/api/outbox?campaignId=${campaignId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          token,
        },
      );
      expectStatus(res, 200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      expect(res.body.items[0]).not.toHaveProperty('html');
      seen.push(...res.body.items.map((m) => m.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...mine].reverse());

    const emails = await api.get<OutboxPage>('/api/outbox?channel=email&limit=200', { token });
    expect(emails.body.items.every((m) => m.channel === 'email')).toBe(true);
    const wa = await api.get<OutboxPage>('/api/outbox?channel=whatsapp', { token });
    expect(wa.body.items.length).toBeGreaterThan(0);
    expect(wa.body.items.every((m) => m.channel === 'whatsapp')).toBe(true);

    const all = await api.get<OutboxPage>('/api/outbox?limit=200', { token });
    expect(all.body.items.map((m) => m.id)).not.toContain(theirId);
    expectProblem(await api.get(`/api/outbox/${theirId}`, { token }), 404);
    expectProblem(await api.get(`/api/outbox/${randomUUID()}`, { token }), 404);
    const b = await api.get<OutboxPage>(`/api/outbox?campaignId=${campaignId}`, { token: tokenB });
    expect(b.body.items.map((m) => m.id)).toEqual([theirId]);
  });

  it('validates the query', async () => {
    const bad = await api.get('/api/outbox?channel=sms&campaignId=nope&limit=500', { token });
    expectProblem(bad, 400, 'validation_failed');
    expect(problemFields(bad)).toEqual(['campaignId', 'channel', 'limit']);
    expectProblem(await api.get('/api/outbox?cursor=garbage', { token }), 400, 'validation_failed');
    expectProblem(await api.get('/api/outbox/not-a-uuid', { token }), 400);
  });

  it('needs campaigns:read', async () => {
    const key = await createApiKey(api, token, { scope: 'custom', permissions: ['leads:read'] });
    for (const path of ['/api/outbox', `/api/outbox/${randomUUID()}`, '/api/channels/status']) {
      expectProblem(await api.get(path, { apiKey: key.secret }), 403, 'forbidden');
      expectProblem(await api.get(path), 401, 'unauthorized');
    }
    const reader = await createApiKey(api, token, { scope: 'custom', permissions: ['campaigns:read'] });
    expectStatus(await api.get('/api/outbox', { apiKey: reader.secret }), 200);
  });

  it('the hourly cleanup job removes messages older than 7 days', async () => {
    const [old] = await t.db.query<{ id: string }>(
      `INSERT INTO outbox_messages (organization_id, channel, to_address, from_address, text, message_id, created_at)
       VALUES ($1, 'email', 'old@example.test', 'x@meridian.local', 'old', $2, now() - interval '8 days') RETURNING id`,
      [orgA, `<${randomUUID()}@meridian>`],
    );
    const fresh = await mailer.send(email(), { organizationId: orgA });
    await t.app.get(JobQueues).add(QueueName.Channels, CHANNELS_CLEANUP_JOB, {});
    await eventually(async () => {
      const rows = await t.db.query(`SELECT 1 FROM outbox_messages WHERE id = $1`, [old.id]);
      return rows.length === 0 ? true : undefined;
    });
    const kept = await t.app.get(OutboxService).get(orgA, (fresh as { providerMessageId: string }).providerMessageId);
    expect(kept.id).toBeDefined();
  });
});

describe('channels: health when the relay is down and the webhook cannot verify', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      REDIS_URL: testRedisUrl(),
      SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${await freePort()}`,
      WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('reports email and WhatsApp as degraded, naming the reason, without the password', async () => {
    const api = new ApiClient(t.baseUrl);
    const token = (await signIn(api, OWNER_EMAIL, OWNER_PASSWORD)).accessToken;
    const res = await api.get('/api/system/health', { token });
    expectStatus(res, 200);
    const byName = Object.fromEntries(
      (res.body.services as { name: string; message: string }[]).map((s) => [s.name, s]),
    );
    expect(byName.email).toMatchObject({ status: 'degraded', configured: true });
    expect(byName.email.message).toMatch(/SMTP relay check failed/);
    expect(byName.whatsapp).toMatchObject({
      status: 'degraded',
      configured: true,
      details: { webhookSignature: false },
    });
    expect(byName.whatsapp.message).toMatch(/WHATSAPP_APP_SECRET/);
    expect(res.body.status).not.toBe('healthy');
    expect(res.text).not.toContain(SMTP_PASS);
    expect(res.text).not.toContain(WA_TOKEN);
  });
});
