import { randomBytes, randomUUID } from 'node:crypto';
import {
  ApiClient,
  ApiResponse,
  createSignedInUser,
  expectProblem,
  expectStatus,
  Role,
  signIn,
} from './support/auth-helpers';
import { testRedisUrl } from './support/env';
import { readSse } from './support/sse';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { FakeWhatsApp, messageWebhookPayload, postWhatsAppWebhook, sendStatusWebhook } from './fakes/fake-whatsapp';

const WA_TOKEN = 'EAAGconversationstoken0123456789abcdef';
const WA_PHONE_ID = '106540352242922';
const WA_APP_SECRET = 'app-secret-conv-8c1f2a';
const WA_VERIFY_TOKEN = 'verify-token-conv-3d9e';

/** A German mobile number nobody else in this file uses: wa_id form (digits) and E.164. */
function newNumber(): { waId: string; e164: string } {
  const digits = `49151${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  return { waId: digits, e164: `+${digits}` };
}

/** The `items` of a list answer, typed for what the assertions read. */
const itemsOf = (res: ApiResponse) => (res.body as { items: { id: string; type: string; data: unknown }[] }).items;

/** An open SSE stream read with fetch (the way the console reads it: with the bearer token). */
async function openStream(url: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  return { res, ...readSse(res, abort) };
}

describe('conversations: the WhatsApp inbox', () => {
  let t: TestApp;
  let fake: FakeWhatsApp;
  let api: ApiClient;
  let token: string;
  let orgId: string;
  let ownerId: string;
  const webhookUrl = () => `${t.baseUrl}/api/webhooks/whatsapp`;

  const inbound = (
    from: string,
    text: string,
    extra: { wamid?: string; profileName?: string; timestamp?: number } = {},
  ) => fake.sendInboundMessage(webhookUrl(), WA_APP_SECRET, { from, text, ...extra });

  async function conversationOf(phone: string) {
    const [row] = await t.db.query<{ id: string; lead_id: string }>(
      `SELECT id, lead_id FROM conversations WHERE contact_address = $1`,
      [phone],
    );
    return row;
  }

  beforeAll(async () => {
    fake = await new FakeWhatsApp({ accessToken: WA_TOKEN, phoneNumberId: WA_PHONE_ID }).start();
    t = await startTestApp({
      REDIS_URL: testRedisUrl(),
      WHATSAPP_API_URL: fake.url,
      WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
      WHATSAPP_APP_SECRET: WA_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: WA_VERIFY_TOKEN,
    });
    api = new ApiClient(t.baseUrl);
    const session = await signIn(api, OWNER_EMAIL, OWNER_PASSWORD);
    token = session.accessToken;
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at LIMIT 1`);
    [{ id: ownerId }] = await t.db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [OWNER_EMAIL]);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  describe('webhook', () => {
    it('refuses a missing or a bad signature and stores nothing', async () => {
      const { waId, e164 } = newNumber();
      const payload = messageWebhookPayload(WA_PHONE_ID, [{ from: waId, text: 'Hello?' }]);
      const missing = await postWhatsAppWebhook(webhookUrl(), payload, WA_APP_SECRET, 'none');
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { code: string }).code).toBe('invalid_signature');
      const bad = await postWhatsAppWebhook(webhookUrl(), payload, WA_APP_SECRET, 'bad');
      expect(bad.status).toBe(401);
      expect(await conversationOf(e164)).toBeUndefined();
      const good = await postWhatsAppWebhook(webhookUrl(), payload, WA_APP_SECRET, 'good');
      expect(good.status).toBe(200);
      expect(await good.json()).toEqual({ received: 1, accepted: 1, duplicates: 0 });
      expect(await conversationOf(e164)).toBeDefined();
    });

    it('an unknown number creates a lead (source whatsapp, E.164 phone) and a conversation, with the timeline', async () => {
      const { waId, e164 } = newNumber();
      const res = await inbound(waId, 'Is the spring offer still on?', { profileName: 'Grace Hopper' });
      expect(res.status).toBe(200);
      const conversation = await conversationOf(e164);
      const lead = await api.get(`/api/leads/${conversation.lead_id}`, { token });
      expectStatus(lead, 200);
      expect(lead.body).toMatchObject({ phone: e164, source: 'whatsapp', firstName: 'Grace Hopper' });

      const got = await api.get(`/api/conversations/${conversation.id}`, { token });
      expectStatus(got, 200);
      expect(got.body).toMatchObject({
        channel: 'whatsapp',
        status: 'open',
        contactAddress: e164,
        contactName: 'Grace Hopper',
        unreadCount: 1,
        lastMessagePreview: 'Is the spring offer still on?',
        window: { open: true },
      });
      const messages = await api.get(`/api/conversations/${conversation.id}/messages`, { token });
      expect(messages.body.items).toEqual([
        expect.objectContaining({
          direction: 'in',
          kind: 'text',
          body: 'Is the spring offer still on?',
          status: 'received',
        }),
      ]);
      const timeline = await api.get(`/api/leads/${conversation.lead_id}/activities`, { token });
      expect(itemsOf(timeline).map((a) => a.type)).toEqual(['message_received', 'conversation_started', 'created']);
      expect(timeline.body.items[0].data).toMatchObject({
        channel: 'whatsapp',
        preview: 'Is the spring offer still on?',
      });
    });

    it('a replayed message (same wamid) is stored once', async () => {
      const { waId, e164 } = newNumber();
      const wamid = `wamid.${randomBytes(20).toString('base64url')}`;
      expect(await (await inbound(waId, 'first', { wamid })).json()).toEqual({
        received: 1,
        accepted: 1,
        duplicates: 0,
      });
      const replay = await inbound(waId, 'first', { wamid });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: 1, accepted: 0, duplicates: 1 });
      const conversation = await conversationOf(e164);
      const rows = await t.db.query(`SELECT id FROM conversation_messages WHERE conversation_id = $1`, [
        conversation.id,
      ]);
      expect(rows).toHaveLength(1);
      const [{ unread_count }] = await t.db.query<{ unread_count: number }>(
        `SELECT unread_count FROM conversations WHERE id = $1`,
        [conversation.id],
      );
      expect(unread_count).toBe(1);
    });

    it('a known number attaches to its lead and its timeline; no second lead', async () => {
      const { waId, e164 } = newNumber();
      const created = await api.post('/api/leads', { firstName: 'Ada', lastName: 'Lovelace', phone: e164 }, { token });
      expectStatus(created, 201);
      await inbound(waId, 'Hi, it is Ada');
      await inbound(waId, 'Are you there?');
      const conversation = await conversationOf(e164);
      expect(conversation.lead_id).toBe(created.body.id);
      const leads = await t.db.query(`SELECT id FROM leads WHERE phone = $1`, [e164]);
      expect(leads).toHaveLength(1);
      const timeline = await api.get(`/api/leads/${created.body.id}/activities`, { token });
      expect(itemsOf(timeline).filter((a) => a.type === 'message_received')).toHaveLength(2);
      const got = await api.get(`/api/conversations/${conversation.id}`, { token });
      expect(got.body).toMatchObject({ unreadCount: 2, lastMessagePreview: 'Are you there?', contactName: 'Customer' });
    });

    it('on an open thread: a replayed later message changes nothing, a late delivery keeps the newer preview', async () => {
      const { waId, e164 } = newNumber();
      const now = Math.floor(Date.now() / 1000);
      await inbound(waId, 'first', { timestamp: now - 60 });
      const wamid = `wamid.${randomBytes(20).toString('base64url')}`;
      expect(await (await inbound(waId, 'second', { wamid, timestamp: now })).json()).toMatchObject({
        accepted: 1,
      });
      expect(await (await inbound(waId, 'second', { wamid, timestamp: now })).json()).toEqual({
        received: 1,
        accepted: 0,
        duplicates: 1,
      });
      // Sent before "second", delivered after it (Meta retries): stored, counted, but not the preview.
      expect(await (await inbound(waId, 'late', { timestamp: now - 30 })).json()).toMatchObject({
        accepted: 1,
      });
      const conversation = await conversationOf(e164);
      const [row] = await t.db.query<{ unread_count: number; last_message_preview: string; last_inbound_at: Date }>(
        `SELECT unread_count, last_message_preview, last_inbound_at FROM conversations WHERE id = $1`,
        [conversation.id],
      );
      expect(row).toMatchObject({ unread_count: 3, last_message_preview: 'second' });
      expect(Math.floor(new Date(row.last_inbound_at).getTime() / 1000)).toBe(now);
      const messages = await t.db.query(`SELECT id FROM conversation_messages WHERE conversation_id = $1`, [
        conversation.id,
      ]);
      expect(messages).toHaveLength(3);
      const timeline = await api.get(`/api/leads/${conversation.lead_id}/activities`, { token });
      expect(itemsOf(timeline).map((a) => a.type)).toEqual([
        'message_received',
        'message_received',
        'message_received',
        'conversation_started',
        'created',
      ]);
      expect(timeline.body.items[0].data).toEqual({
        conversationId: conversation.id,
        channel: 'whatsapp',
        preview: 'late',
      });
    });
  });

  describe('replies and the 24-hour window', () => {
    it('a text reply inside the window reaches the Cloud API; status webhooks tick it sent → delivered → read', async () => {
      const { waId, e164 } = newNumber();
      await inbound(waId, 'Can you call me back?');
      const conversation = await conversationOf(e164);
      const reply = await api.post(
        `/api/conversations/${conversation.id}/messages`,
        { kind: 'text', text: 'Sure, at 3 pm?' },
        { token },
      );
      expectStatus(reply, 201);
      expect(reply.body).toMatchObject({ direction: 'out', kind: 'text', status: 'sent', body: 'Sure, at 3 pm?' });
      const sent = fake.sent.find((m) => m.to === waId);
      expect(sent).toMatchObject({
        text: 'Sure, at 3 pm?',
        template: null,
        callbackData: `conversation:${reply.body.id}`,
      });

      const tick = async (status: 'delivered' | 'read') => {
        const res = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, [
          { wamid: sent!.wamid, status, recipientId: waId, callbackData: sent!.callbackData },
        ]);
        expect(res.status).toBe(200);
        return (await api.get(`/api/conversations/${conversation.id}/messages/${reply.body.id}`, { token })).body as {
          status: string;
        };
      };
      expect(await tick('delivered')).toMatchObject({ status: 'delivered' });
      expect(await tick('read')).toMatchObject({ status: 'read' });
      // A late "delivered" (Meta does not promise order) never hides "read".
      const late = await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, [
        { wamid: sent!.wamid, status: 'delivered', recipientId: waId, timestamp: Math.floor(Date.now() / 1000) + 1 },
      ]);
      expect(late.status).toBe(200);
      const after = await api.get(`/api/conversations/${conversation.id}/messages/${reply.body.id}`, { token });
      expect(after.body.status).toBe('read');
      const timeline = await api.get(`/api/leads/${conversation.lead_id}/activities`, { token });
      expect(timeline.body.items[0]).toMatchObject({ type: 'message_sent', data: { kind: 'text' } });
    });

    it('outside the window a text reply is 422 whatsapp_window_closed; a template goes out', async () => {
      const { waId, e164 } = newNumber();
      await inbound(waId, 'Old question', { wamid: `wamid.${randomUUID()}` });
      const conversation = await conversationOf(e164);
      await t.db.query(`UPDATE conversations SET last_inbound_at = now() - interval '25 hours' WHERE id = $1`, [
        conversation.id,
      ]);
      const got = await api.get(`/api/conversations/${conversation.id}`, { token });
      expect(got.body.window.open).toBe(false);
      const calls = fake.calls.length;
      const text = await api.post(
        `/api/conversations/${conversation.id}/messages`,
        { kind: 'text', text: 'Still interested?' },
        { token },
      );
      expectProblem(text, 422, 'whatsapp_window_closed');
      expect(text.body.windowClosedAt).toEqual(expect.any(String));
      expect(text.body.detail).toMatch(/24 hours/);
      expect(fake.calls.length).toBe(calls);

      const template = await api.post(
        `/api/conversations/${conversation.id}/messages`,
        { kind: 'template', templateName: 'follow_up', language: 'en_US', bodyParameters: ['Ada'] },
        { token },
      );
      expectStatus(template, 201);
      expect(template.body).toMatchObject({ kind: 'template', templateName: 'follow_up', status: 'sent' });
      expect(fake.sent.find((m) => m.to === waId)).toMatchObject({ template: 'follow_up', text: null });
    });

    it('refuses bad replies with the field', async () => {
      const { waId, e164 } = newNumber();
      await inbound(waId, 'hi');
      const { id } = await conversationOf(e164);
      const empty = await api.post(`/api/conversations/${id}/messages`, { kind: 'text', text: '  ' }, { token });
      expectProblem(empty, 400, 'validation_failed');
      const noTemplate = await api.post(`/api/conversations/${id}/messages`, { kind: 'template' }, { token });
      expectProblem(noTemplate, 400, 'validation_failed');
      expect(JSON.stringify(noTemplate.body.errors)).toMatch(/templateName/);
    });
  });

  describe('inbox', () => {
    it('assigns, filters (assigned to me, unread, open/closed), marks read, closes; a new message reopens', async () => {
      const { waId, e164 } = newNumber();
      await inbound(waId, 'Please assign me');
      const { id } = await conversationOf(e164);

      const badAssignee = await api.patch(`/api/conversations/${id}`, { assigneeId: randomUUID() }, { token });
      expectProblem(badAssignee, 400, 'validation_failed');
      const assigned = await api.patch(`/api/conversations/${id}`, { assigneeId: ownerId }, { token });
      expectStatus(assigned, 200);
      expect(assigned.body.assigneeId).toBe(ownerId);
      const mine = await api.get('/api/conversations?assignee=me', { token });
      expect(itemsOf(mine).map((c) => c.id)).toEqual([id]);
      const unread = await api.get('/api/conversations?unread=true&limit=200', { token });
      expect(itemsOf(unread).map((c) => c.id)).toContain(id);

      expectStatus(await api.post(`/api/conversations/${id}/read`, undefined, { token }), 200);
      const unreadAfter = await api.get('/api/conversations?unread=true&limit=200', { token });
      expect(itemsOf(unreadAfter).map((c) => c.id)).not.toContain(id);

      const closed = await api.patch(`/api/conversations/${id}`, { status: 'closed' }, { token });
      expect(closed.body.status).toBe('closed');
      const closedList = await api.get('/api/conversations?status=closed', { token });
      expect(itemsOf(closedList).map((c) => c.id)).toEqual([id]);
      const audit = await t.db.query<{ action: string }>(
        `SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY created_at`,
        [id],
      );
      expect(audit.map((a) => a.action)).toEqual(['conversation.updated', 'conversation.updated']);

      await inbound(waId, 'One more thing');
      const reopened = await api.get(`/api/conversations/${id}`, { token });
      expect(reopened.body).toMatchObject({ status: 'open', unreadCount: 1 });
      const invalid = await api.get('/api/conversations?status=archived&assignee=someone', { token });
      expectProblem(invalid, 400, 'validation_failed');
    });

    it("another organization's conversation is 404 everywhere and never listed", async () => {
      const [org] = await t.db.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Org B') RETURNING id`);
      const [other] = await t.db.query<{ id: string }>(
        `INSERT INTO conversations (organization_id, channel, contact_address, last_message_at, last_inbound_at)
         VALUES ($1, 'whatsapp', '+4915100000001', now(), now()) RETURNING id`,
        [org.id],
      );
      const [message] = await t.db.query<{ id: string }>(
        `INSERT INTO conversation_messages (organization_id, conversation_id, direction, body, status)
         VALUES ($1, $2, 'in', 'secret', 'received') RETURNING id`,
        [org.id, other.id],
      );
      const base = `/api/conversations/${other.id}`;
      expectProblem(await api.get(base, { token }), 404);
      expectProblem(await api.get(`${base}/messages`, { token }), 404);
      expectProblem(await api.get(`${base}/messages/${message.id}`, { token }), 404);
      expectProblem(await api.post(`${base}/messages`, { kind: 'text', text: 'hi' }, { token }), 404);
      expectProblem(await api.patch(base, { status: 'closed' }, { token }), 404);
      expectProblem(await api.post(`${base}/read`, undefined, { token }), 404);
      const list = await api.get('/api/conversations?limit=200', { token });
      expect(itemsOf(list).map((c) => c.id)).not.toContain(other.id);
      expect(fake.sent.find((m) => m.to === '4915100000001')).toBeUndefined();
    });

    it('a viewer reads the inbox but cannot reply, assign or close', async () => {
      const { waId, e164 } = newNumber();
      await inbound(waId, 'hello viewer');
      const { id } = await conversationOf(e164);
      const viewer = await createSignedInUser(api, token, Role.Viewer);
      expectStatus(await api.get('/api/conversations', { token: viewer.token }), 200);
      expectStatus(await api.get(`/api/conversations/${id}/messages`, { token: viewer.token }), 200);
      expectProblem(
        await api.post(`/api/conversations/${id}/messages`, { kind: 'text', text: 'x' }, { token: viewer.token }),
        403,
      );
      expectProblem(await api.patch(`/api/conversations/${id}`, { status: 'closed' }, { token: viewer.token }), 403);
      expectProblem(await api.get('/api/conversations'), 401);
    });
  });

  describe('live events', () => {
    it('streams a new inbound message, a reply and its status tick to the open inbox', async () => {
      const stream = await openStream(`${t.baseUrl}/api/conversations/stream`, token);
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await stream.next((e) => e.event === 'ready');
      const { waId, e164 } = newNumber();
      await inbound(waId, 'Live?');
      const { id } = await conversationOf(e164);
      const created = await stream.next((e) => e.event === 'message.created' && e.data.conversationId === id);
      expect(created.data.messageId).toEqual(expect.any(String));

      const reply = await api.post(`/api/conversations/${id}/messages`, { kind: 'text', text: 'Yes!' }, { token });
      await stream.next((e) => e.event === 'message.created' && e.data.messageId === reply.body.id);
      const sent = fake.sent.find((m) => m.to === waId)!;
      await sendStatusWebhook(webhookUrl(), WA_APP_SECRET, WA_PHONE_ID, [
        { wamid: sent.wamid, status: 'delivered', recipientId: waId },
      ]);
      await stream.next((e) => e.event === 'message.updated' && e.data.messageId === reply.body.id);
      await stream.close();
    });

    it('another organization hears nothing of it', async () => {
      const [org] = await t.db.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Org C') RETURNING id`);
      expect(org.id).not.toBe(orgId);
      // The owner's stream sees the event; the stream of org C's inbox must not (checked after it).
      const [user] = await t.db.query<{ id: string }>(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         SELECT $1, 'c-owner@e2e.test', 'C owner', 'owner', password_hash FROM users WHERE email = $2 RETURNING id`,
        [org.id, OWNER_EMAIL],
      );
      expect(user.id).toBeDefined();
      const other = await signIn(api, 'c-owner@e2e.test', OWNER_PASSWORD);
      const theirs = await openStream(`${t.baseUrl}/api/conversations/stream`, other.accessToken);
      const ours = await openStream(`${t.baseUrl}/api/conversations/stream`, token);
      await theirs.next((e) => e.event === 'ready');
      await ours.next((e) => e.event === 'ready');
      const { waId } = newNumber();
      await inbound(waId, 'only for org A');
      await ours.next((e) => e.event === 'message.created');
      expect(theirs.events.filter((e) => e.event !== 'ready')).toEqual([]);
      await theirs.close();
      await ours.close();
    });
  });
});
