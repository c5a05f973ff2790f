import { randomUUID } from 'node:crypto';
import { SuppressionsService } from '../src/modules/consent/suppressions.service';
import { ApiClient, createApiKey, createSignedInUser, problemFields, Role } from './support/auth-helpers';
import { ledgerState, seedRecipient } from './support/campaign-ledger-fixture';
import { startTestApp, TestApp } from './support/test-app';

describe('consent: suppressions API, eligibility SQL, email events (bounces, complaints)', () => {
  let t: TestApp;
  let token: string;
  let orgId: string;
  let otherOrgId: string;
  const api = () => new ApiClient(t.baseUrl);
  const call = (method: string, path: string, body?: unknown, auth = token) =>
    api().request(method, path, { token: auth, body });

  async function createLead(body: Record<string, unknown>): Promise<{ id: string; email: string; phone: string }> {
    const res = await call('POST', '/api/leads', body);
    if (res.status !== 201) throw new Error(`lead create answered ${res.status}: ${res.text}`);
    return res.body as { id: string; email: string; phone: string };
  }

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login();
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
    [{ id: otherOrgId }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other') RETURNING id`,
    );
  });
  afterAll(() => t?.close());

  describe('suppressions API', () => {
    it('adds normalized addresses idempotently, lists with filters and keyset pages, removes', async () => {
      const first = await call('POST', '/api/suppressions', {
        channel: 'email',
        address: '  Someone@Example.COM ',
        detail: 'asked by phone',
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        channel: 'email',
        address: 'someone@example.com',
        reason: 'manual',
        detail: 'asked by phone',
        campaignId: null,
        leadId: null,
      });
      const again = await call('POST', '/api/suppressions', { channel: 'email', address: 'someone@example.com' });
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);

      const phone = await call('POST', '/api/suppressions', { channel: 'whatsapp', address: '+49 151 2345 6789' });
      expect(phone.body.address).toBe('+4915123456789');

      const emails = await call('GET', '/api/suppressions?channel=email');
      expect((emails.body.items as { address: string }[]).map((s) => s.address)).toEqual(['someone@example.com']);
      const q = await call('GET', '/api/suppressions?q=EXAMPLE.com');
      expect(q.body.items).toHaveLength(1);
      const page1 = await call('GET', '/api/suppressions?limit=1');
      expect((page1.body.items as { id: string }[]).map((s) => s.id)).toEqual([phone.body.id]);
      const page2 = await call('GET', `/api/suppressions?limit=1&cursor=${page1.body.nextCursor}`);
      expect((page2.body.items as { id: string }[]).map((s) => s.id)).toEqual([first.body.id]);
      expect(page2.body.nextCursor).toBeNull();

      const audit = await call('GET', `/api/audit?action=suppression.created&entityId=${first.body.id}`);
      expect(audit.body.items).toHaveLength(1);

      expect((await call('DELETE', `/api/suppressions/${first.body.id}`)).status).toBe(204);
      expect((await call('DELETE', `/api/suppressions/${first.body.id}`)).status).toBe(404);
      const deleted = await call('GET', `/api/audit?action=suppression.deleted&entityId=${first.body.id}`);
      expect(deleted.body.items).toHaveLength(1);
      await call('DELETE', `/api/suppressions/${phone.body.id}`);
    });

    it('refuses an address that is not one of the channel, naming the field', async () => {
      for (const body of [
        { channel: 'email', address: 'not-an-email' },
        { channel: 'whatsapp', address: '12' },
        { channel: 'whatsapp', address: 'call me' },
      ]) {
        const res = await call('POST', '/api/suppressions', body);
        expect(res.status).toBe(400);
        expect(problemFields(res)).toContain('address');
      }
      const badChannel = await call('POST', '/api/suppressions', { channel: 'sms', address: 'a@b.example' });
      expect(problemFields(badChannel)).toContain('channel');
    });

    it('keeps other organizations apart: not listed, and their ids answer 404', async () => {
      const [{ id }] = await t.db.query<{ id: string }>(
        `INSERT INTO suppressions (organization_id, channel, address, reason) VALUES ($1, 'email', 'theirs@other.example', 'manual') RETURNING id`,
        [otherOrgId],
      );
      const list = await call('GET', '/api/suppressions?q=theirs');
      expect(list.body.items).toEqual([]);
      expect((await call('DELETE', `/api/suppressions/${id}`)).status).toBe(404);
      expect(await t.db.query('SELECT 1 FROM suppressions WHERE id = $1', [id])).toHaveLength(1);
      // The same address in this organization is a separate entry.
      const mine = await call('POST', '/api/suppressions', { channel: 'email', address: 'theirs@other.example' });
      expect(mine.body.id).not.toBe(id);
    });

    it('RBAC: campaigns:read lists, campaigns:send adds and removes', async () => {
      const viewer = await createSignedInUser(api(), token, Role.Viewer);
      const agent = await createSignedInUser(api(), token, Role.Agent);
      const manager = await createSignedInUser(api(), token, Role.Manager);
      const body = { channel: 'email', address: `rbac-${randomUUID().slice(0, 6)}@example.com` };
      expect((await call('GET', '/api/suppressions', undefined, viewer.token)).status).toBe(200);
      expect((await call('POST', '/api/suppressions', body, viewer.token)).status).toBe(403);
      expect((await call('POST', '/api/suppressions', body, agent.token)).status).toBe(403);
      const added = await call('POST', '/api/suppressions', body, manager.token);
      expect(added.status).toBe(201);
      expect((await call('DELETE', `/api/suppressions/${added.body.id}`, undefined, agent.token)).status).toBe(403);
      expect((await call('DELETE', `/api/suppressions/${added.body.id}`, undefined, manager.token)).status).toBe(204);
      expect((await api().request('GET', '/api/suppressions')).status).toBe(401);
    });
  });

  it('eligibilitySql: consent, unsubscribe, suppression, deleted and merged leads, per channel', async () => {
    const tag = randomUUID().slice(0, 6);
    const mk = (name: string, extra: Record<string, unknown>) =>
      createLead({
        firstName: `${tag}-${name}`,
        email: `${tag}-${name}@Example.com`,
        phone: '+4915111111111',
        ...extra,
      });
    const ok = await mk('ok', { consentEmail: true, consentWhatsapp: true });
    const noConsent = await mk('noconsent', { consentEmail: false, consentWhatsapp: false });
    const suppressed = await mk('suppressed', { consentEmail: true, consentWhatsapp: true, phone: '+4915122222222' });
    const unsubscribed = await mk('unsub', { consentEmail: true, consentWhatsapp: true });
    const deleted = await mk('deleted', { consentEmail: true, consentWhatsapp: true });
    const noPhone = await mk('nophone', { consentEmail: true, consentWhatsapp: true, phone: null });
    const merged = await mk('merged', { consentEmail: true, consentWhatsapp: true });
    await t.db.query('UPDATE leads SET merged_into_id = $1 WHERE id = $2', [ok.id, merged.id]);
    const service = t.app.get(SuppressionsService, { strict: false });
    await service.suppress(orgId, 'email', `${tag}-SUPPRESSED@example.com `, 'hard_bounce');
    await service.suppress(orgId, 'whatsapp', '+49 151 22222222', 'manual');
    // The same address suppressed in another organization does not count here.
    await service.suppress(otherOrgId, 'email', `${tag}-ok@example.com`, 'manual');
    await t.db.query('UPDATE leads SET unsubscribed_at = now() WHERE id = $1', [unsubscribed.id]);
    expect((await call('DELETE', `/api/leads/${deleted.id}`)).status).toBe(204);

    const eligible = async (channel: 'email' | 'whatsapp') => {
      const { where } = service.eligibilitySql(channel);
      const rows = await t.db.query<{ id: string }>(
        `SELECT l.id FROM leads l WHERE l.organization_id = $1 AND l.first_name LIKE $2 AND ${where}`,
        [orgId, `${tag}-%`],
      );
      return rows.map((r) => r.id).sort();
    };
    expect(await eligible('email')).toEqual([ok.id, noPhone.id].sort());
    // WhatsApp does not care about the email unsubscribe: it has its own consent.
    expect(await eligible('whatsapp')).toEqual([ok.id, unsubscribed.id].sort());
    for (const excluded of [noConsent.id, suppressed.id, deleted.id, merged.id]) {
      expect(await eligible('email')).not.toContain(excluded);
      expect(await eligible('whatsapp')).not.toContain(excluded);
    }
  });

  describe('email events', () => {
    async function recipient(tag: string, org = orgId) {
      const email = `${tag}-${randomUUID().slice(0, 8)}@example.com`;
      const lead =
        org === orgId
          ? await createLead({ firstName: tag, email, consentEmail: true })
          : (
              await t.db.query<{ id: string }>(
                `INSERT INTO leads (organization_id, email, consent_email) VALUES ($1, $2, true) RETURNING id`,
                [org, email],
              )
            )[0];
      return seedRecipient(t, { organizationId: org, leadId: lead.id, address: email });
    }
    const suppressionOf = (address: string) =>
      t.db.query<{ reason: string; detail: string | null }>(
        `SELECT reason, detail FROM suppressions WHERE organization_id = $1 AND channel = 'email' AND address = $2`,
        [orgId, address],
      );
    const activities = async (leadId: string, type: string) =>
      ((await call('GET', `/api/leads/${leadId}/activities`)).body.items as { type: string }[]).filter(
        (a) => a.type === type,
      );

    it('a hard bounce by Message-ID suppresses the address once; replays change nothing', async () => {
      const r = await recipient('hard');
      const event = { messageId: `<${r.id}@localhost>`, type: 'hard_bounce', reason: '550 5.1.1 user unknown' };
      const first = await call('POST', '/api/email-events', event);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ recipientId: r.id, type: 'hard_bounce', suppressed: true });
      expect(await suppressionOf(r.address)).toEqual([{ reason: 'hard_bounce', detail: '550 5.1.1 user unknown' }]);
      expect(await ledgerState(t, r.id)).toMatchObject({ status: 'bounced', campaign: { bounced: 1, sent: 0 } });
      expect(await activities(r.leadId, 'bounced')).toHaveLength(1);

      const replay = await call('POST', '/api/email-events', event);
      expect(replay.body).toEqual({ recipientId: r.id, type: 'hard_bounce', suppressed: false });
      expect(await ledgerState(t, r.id)).toMatchObject({ status: 'bounced', campaign: { bounced: 1 } });
      expect(await activities(r.leadId, 'bounced')).toHaveLength(1);
      expect(await suppressionOf(r.address)).toHaveLength(1);
      const audit = await call('GET', '/api/audit?action=suppression.created');
      expect(
        (audit.body.items as { changes: { address?: string } }[]).filter((e) => e.changes.address === r.address),
      ).toHaveLength(1);
    });

    it('a soft bounce is recorded, not suppressed; a complaint suppresses and unsubscribes', async () => {
      const soft = await recipient('soft');
      const res = await call('POST', '/api/email-events', { recipientId: soft.id, type: 'soft_bounce' });
      expect(res.body).toEqual({ recipientId: soft.id, type: 'soft_bounce', suppressed: false });
      expect(await suppressionOf(soft.address)).toEqual([]);
      expect(await ledgerState(t, soft.id)).toMatchObject({ status: 'sent', error: 'soft bounce: soft bounce' });

      const spam = await recipient('complaint');
      const complaint = await call('POST', '/api/email-events', {
        messageId: `${spam.id}@mail.example`,
        type: 'complaint',
      });
      expect(complaint.body.suppressed).toBe(true);
      expect((await suppressionOf(spam.address))[0].reason).toBe('complaint');
      const lead = (await call('GET', `/api/leads/${spam.leadId}`)).body;
      expect(lead.unsubscribedAt).not.toBeNull();
      expect(await activities(spam.leadId, 'unsubscribed')).toHaveLength(1);

      const delivered = await call('POST', '/api/email-events', { recipientId: spam.id, type: 'delivered' });
      expect(delivered.body).toEqual({ recipientId: spam.id, type: 'delivered', suppressed: false });
      expect(await ledgerState(t, spam.id)).toMatchObject({ status: 'delivered', campaign: { delivered: 1 } });
    });

    it('unknown recipients and other organizations answer 404; bad input 400', async () => {
      const theirs = await recipient('theirs', otherOrgId);
      for (const body of [
        { recipientId: theirs.id, type: 'hard_bounce' },
        { messageId: `<${theirs.id}@localhost>`, type: 'hard_bounce' },
        { recipientId: randomUUID(), type: 'hard_bounce' },
        { messageId: '<not-ours@elsewhere.example>', type: 'hard_bounce' },
      ]) {
        expect((await call('POST', '/api/email-events', body)).status).toBe(404);
      }
      expect(await t.db.query('SELECT 1 FROM suppressions WHERE address = $1', [theirs.address])).toEqual([]);
      expect(problemFields(await call('POST', '/api/email-events', { type: 'hard_bounce' }))).toEqual(['messageId']);
      expect(
        problemFields(await call('POST', '/api/email-events', { recipientId: randomUUID(), type: 'bounce' })),
      ).toEqual(['type']);
    });

    it('an API key with campaigns:send may report; a read-only key may not', async () => {
      const r = await recipient('key');
      const sender = await createApiKey(api(), token, { scope: 'custom', permissions: ['campaigns:send'] });
      const reader = await createApiKey(api(), token, { scope: 'read-only' });
      const body = { recipientId: r.id, type: 'hard_bounce' };
      expect((await api().request('POST', '/api/email-events', { apiKey: reader.secret, body })).status).toBe(403);
      const ok = await api().request('POST', '/api/email-events', { apiKey: sender.secret, body });
      expect(ok.status).toBe(200);
      expect(ok.body.suppressed).toBe(true);
    });
  });
});
