import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createSignedInUser, expectProblem, problemFields, Role } from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { eventually } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';
import { CampaignsApi, ledgerCounts, seedLeads, startWorker, statsWithoutExtras } from './support';

/**
 * Campaigns in the production profile: the API (BullMQ producer) and a
 * worker (WorkerModule, the processors) on Redis, a real SMTP server as the
 * provider. One attempt per recipient (CAMPAIGN_MAX_ATTEMPTS=1), so a
 * deferred message fails at once and "retry failed" has rows to work on.
 */
const ENGINE_ENV = {
  CAMPAIGN_EMAIL_RATE_PER_SECOND: '400',
  CAMPAIGN_MAX_ATTEMPTS: '1',
  CAMPAIGN_SEND_SLOTS: '2',
  CAMPAIGN_BATCH_SIZE: '20',
  CAMPAIGN_LEASE_SECONDS: '5',
};

describe('campaigns: API, status machine, audience, sending through SMTP', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let sink: SmtpSink;
  let c: CampaignsApi;
  let orgId: string;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    const env = { REDIS_URL: testRedisUrl(), SMTP_URL: sink.url, ...ENGINE_ENV };
    t = await startTestApp(env);
    worker = await startWorker(t, env);
    c = new CampaignsApi(t, await t.login());
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.stop();
  });

  beforeEach(() => sink.reset());

  describe('CRUD and transitions', () => {
    it('creates a draft, reads, lists, edits, duplicates and deletes it, with an audit entry for each change', async () => {
      const created = await c.createEmailCampaign({ name: 'CRUD one', timeZone: 'Europe/Berlin' });
      expect(created).toMatchObject({
        name: 'CRUD one',
        channel: 'email',
        status: 'draft',
        timeZone: 'Europe/Berlin',
        audience: { segmentId: null, segmentName: null, filter: null },
        whatsapp: null,
        stats: { total: 0, remaining: 0, sent: 0, excluded: { noAddress: 0, noConsent: 0, suppressed: 0 } },
      });
      expect(created.email.subject).toBe('Hello {{ firstName | default: "there" }}');

      const patched = await c.call('PATCH', `/api/campaigns/${created.id}`, {
        name: 'CRUD one (edited)',
        audience: { filter: { tag: ['crud'] } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'CRUD one (edited)', audience: { filter: { tag: ['crud'] } } });

      const list = await c.call('GET', '/api/campaigns?status=draft&q=edited&limit=1');
      expect((list.body.items as { id: string }[]).map((x) => x.id)).toEqual([created.id]);

      const copy = await c.call('POST', `/api/campaigns/${created.id}/duplicate`);
      expect(copy.status).toBe(201);
      expect(copy.body).toMatchObject({ name: 'Copy of CRUD one (edited)', status: 'draft' });
      expect(copy.body.id).not.toBe(created.id);

      expect((await c.call('DELETE', `/api/campaigns/${copy.body.id}`)).status).toBe(204);
      expect((await c.call('GET', `/api/campaigns/${copy.body.id}`)).status).toBe(404);

      const audit = await c.call('GET', `/api/audit?entityId=${created.id}`);
      expect((audit.body.items as { action: string }[]).map((e) => e.action).sort()).toEqual([
        'campaign.created',
        'campaign.updated',
      ]);
    });

    it('pages the list newest first with keyset cursors', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await c.createEmailCampaign({ name: `Paged ${i}` })).id);
      const first = await c.call('GET', '/api/campaigns?q=Paged&limit=2');
      const second = await c.call('GET', `/api/campaigns?q=Paged&limit=2&cursor=${first.body.nextCursor}`);
      expect([...first.body.items, ...second.body.items].map((x: { id: string }) => x.id)).toEqual(ids.reverse());
      expect(second.body.nextCursor).toBeNull();
    });

    it('schedules, unschedules, and answers 409 campaign_state naming the status for a transition not allowed', async () => {
      await seedLeads(t, orgId, 2, 'sched');
      const draft = await c.createEmailCampaign({ name: 'Later', audience: { filter: { tag: ['sched'] } } });
      const sendAt = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
      const scheduled = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, {
        sendAt,
        timeZone: 'America/New_York',
      });
      expect(scheduled.status).toBe(200);
      expect(scheduled.body).toMatchObject({ status: 'scheduled', sendAt, timeZone: 'America/New_York' });

      const edit = await c.call('PATCH', `/api/campaigns/${draft.id}`, { name: 'No' });
      expectProblem(edit, 409, 'campaign_state');
      expect(edit.body.detail).toContain('scheduled');
      expect(edit.body.campaignStatus).toBe('scheduled');
      expectProblem(await c.call('DELETE', `/api/campaigns/${draft.id}`), 409, 'campaign_state');
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/pause`), 409, 'campaign_state');
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/resume`), 409, 'campaign_state');
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/retry-failed`), 409, 'campaign_state');
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/schedule`, {}), 409, 'campaign_state');

      const back = await c.call('POST', `/api/campaigns/${draft.id}/unschedule`);
      expect(back.body).toMatchObject({ status: 'draft', sendAt: null });
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/unschedule`), 409, 'campaign_state');

      const rescheduled = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, { sendAt });
      expect(rescheduled.body.status).toBe('scheduled');
      const cancelled = await c.call('POST', `/api/campaigns/${draft.id}/cancel`);
      expect(cancelled.body.status).toBe('cancelled');
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/cancel`), 409, 'campaign_state');

      const audit = await c.call('GET', `/api/audit?entityId=${draft.id}&limit=50`);
      expect((audit.body.items as { action: string }[]).map((e) => e.action).reverse()).toEqual([
        'campaign.created',
        'campaign.scheduled',
        'campaign.unscheduled',
        'campaign.scheduled',
        'campaign.cancelled',
      ]);
    });

    it('starts a scheduled campaign when it is due (the reconciler), and sends it', async () => {
      await seedLeads(t, orgId, 3, 'due');
      const draft = await c.createEmailCampaign({ name: 'Due soon', audience: { filter: { tag: ['due'] } } });
      const res = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, {
        sendAt: new Date(Date.now() + 1_500).toISOString(),
      });
      expect(res.body.status).toBe('scheduled');
      const done = await c.waitFor(draft.id, 'completed');
      expect(done.stats).toMatchObject({ total: 3, sent: 3, remaining: 0 });
      expect(done.startedAt).not.toBeNull();
    });
  });

  describe('schedule validation', () => {
    it('names every bad input as a field error: invalid template, unknown variable, empty audience, past sendAt, bad time zone', async () => {
      const draft = await c.createEmailCampaign({
        name: 'Broken',
        email: { subject: 'Hi {{ frstName }}', html: '<p>{% if %}</p>' },
        audience: { filter: { tag: ['nobody-has-this-tag'] } },
      });
      const res = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, {
        sendAt: new Date(Date.now() - 60_000).toISOString(),
        timeZone: 'Mars/Olympus_Mons',
      });
      expectProblem(res, 400, 'validation_failed');
      expect(problemFields(res)).toEqual(['audience', 'email.html', 'email.subject', 'sendAt', 'timeZone']);
      const reasons = Object.fromEntries(
        ((res.body.errors ?? []) as { field: string; reason: string }[]).map((e) => [e.field, e.reason]),
      );
      expect(reasons['email.subject']).toMatch(/frstName/);
      expect(reasons['email.subject']).toMatch(/firstName/); // the suggestion
      expect(reasons.sendAt).toMatch(/future/);
      expect(reasons.timeZone).toMatch(/IANA/);
      expect(reasons.audience).toMatch(/no lead/);
      expect((await c.campaign(draft.id)).status).toBe('draft');
    });

    it('refuses an audience whose leads may not get email (no consent), and a campaign without audience or content', async () => {
      await seedLeads(t, orgId, 2, 'noconsent', { consentEmail: false });
      const draft = await c.createEmailCampaign({ name: 'No consent', audience: { filter: { tag: ['noconsent'] } } });
      const res = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, {});
      expectProblem(res, 400, 'validation_failed');
      expect(problemFields(res)).toEqual(['audience']);
      expect(res.body.errors?.[0].reason).toMatch(/no consent 2/);

      const empty = await c.call('POST', '/api/campaigns', { name: 'Empty', channel: 'email' });
      const res2 = await c.call('POST', `/api/campaigns/${empty.body.id}/schedule`, {});
      expect(problemFields(res2)).toEqual(['audience', 'email']);
    });

    it('validates bodies: channel, time zone at create, segment of another kind, malformed sendAt', async () => {
      const bad = await c.call('POST', '/api/campaigns', { name: '', channel: 'fax', timeZone: 'Nowhere/City' });
      expectProblem(bad, 400, 'validation_failed');
      expect(problemFields(bad)).toEqual(expect.arrayContaining(['channel', 'name']));
      const tz = await c.call('POST', '/api/campaigns', { name: 'tz', channel: 'email', timeZone: 'Nowhere/City' });
      expect(problemFields(tz)).toEqual(['timeZone']);
      const seg = await c.call('POST', '/api/campaigns', {
        name: 'seg',
        channel: 'email',
        audience: { segmentId: randomUUID() },
      });
      expect(problemFields(seg)).toEqual(['audience.segmentId']);
      const draft = await c.createEmailCampaign({ name: 'when' });
      const when = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, { sendAt: 'tomorrow' });
      expect(problemFields(when)).toEqual(expect.arrayContaining(['sendAt']));
    });
  });

  describe('audiences and segments', () => {
    it('counts matching and eligible leads: consent, unsubscribed, suppressed, deleted, merged, no address', async () => {
      const tag = 'elig';
      await seedLeads(t, orgId, 5, tag); // eligible
      await seedLeads(t, orgId, 2, tag, { consentEmail: false, emailPrefix: `${tag}-nc` });
      const [unsubscribed] = await seedLeads(t, orgId, 1, `${tag}-u`);
      const [suppressed] = await seedLeads(t, orgId, 1, `${tag}-s`);
      const [deleted] = await seedLeads(t, orgId, 1, `${tag}-d`);
      await t.db.query(`UPDATE leads SET tags = ARRAY[$2], unsubscribed_at = now() WHERE id = $1`, [unsubscribed, tag]);
      await t.db.query(`UPDATE leads SET tags = ARRAY[$2] WHERE id = $1`, [suppressed, tag]);
      await t.db.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason)
         SELECT organization_id, 'email', lower(email), 'manual' FROM leads WHERE id = $1`,
        [suppressed],
      );
      await t.db.query(`UPDATE leads SET tags = ARRAY[$2], deleted_at = now() WHERE id = $1`, [deleted, tag]);
      await t.db.query(
        `INSERT INTO leads (organization_id, first_name, tags, consent_email) VALUES ($1, 'No address', ARRAY[$2], true)`,
        [orgId, tag],
      );

      const res = await c.call('POST', '/api/audiences/count', { channel: 'email', filter: { tag: [tag] } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ matching: 10, eligible: 5, excluded: { noAddress: 1, noConsent: 3, suppressed: 1 } });

      const wa = await c.call('POST', '/api/audiences/count', { channel: 'whatsapp', filter: { tag: [tag] } });
      expect(wa.body).toMatchObject({ matching: 10, eligible: 0, excluded: { noAddress: 10 } });

      // The same through a segment, and the campaign's breakdown at materialization agrees.
      const segment = await c.call('POST', '/api/segments', { name: 'Eligibility', filter: { tag: [tag] } });
      expect(segment.status).toBe(201);
      const bySegment = await c.call('POST', '/api/audiences/count', {
        channel: 'email',
        segmentId: segment.body.id,
      });
      expect(bySegment.body).toEqual(res.body);
      const campaign = await c.createEmailCampaign({ name: 'Eligible only', audience: { segmentId: segment.body.id } });
      expect(campaign.audience).toMatchObject({ segmentId: segment.body.id, segmentName: 'Eligibility' });
      await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
      const done = await c.waitFor(campaign.id, 'completed');
      expect(done.stats).toMatchObject({
        total: 5,
        sent: 5,
        excluded: { noAddress: 1, noConsent: 3, suppressed: 1 },
      });
      expect(new Set(sink.messages.flatMap((m) => m.envelopeTo)).size).toBe(5);
    });

    it('counts each excluded lead under one reason only, in order: no address, no consent, suppressed', async () => {
      const tag = 'overlap';
      // 3 eligible; 2 without consent whose addresses are also suppressed (count as no consent);
      // 2 suppressed, one written in another case; 1 suppressed only on WhatsApp (eligible for email);
      // 1 without an address; 1 suppressed on another organization's list (eligible here).
      await seedLeads(t, orgId, 3, tag);
      const noConsent = await seedLeads(t, orgId, 2, tag, { consentEmail: false, emailPrefix: `${tag}-nc` });
      const suppressed = await seedLeads(t, orgId, 2, tag, { emailPrefix: `${tag}-s` });
      const [waOnly] = await seedLeads(t, orgId, 1, tag, { emailPrefix: `${tag}-wa`, phone: true });
      const [otherOrgs] = await seedLeads(t, orgId, 1, tag, { emailPrefix: `${tag}-oo` });
      await t.db.query(`UPDATE leads SET email = upper(email) WHERE id = $1`, [suppressed[1]]);
      // Emails are stored trimmed (the API trims them), so lower(email) is the mailbox the suppressions hold.
      await expect(t.db.query(`UPDATE leads SET email = ' ' || email WHERE id = $1`, [suppressed[0]])).rejects.toThrow(
        /chk_leads_email_trimmed/,
      );
      await t.db.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason)
         SELECT organization_id, 'email', lower(btrim(email)), 'hard_bounce' FROM leads WHERE id = ANY($1::uuid[])`,
        [[...noConsent, ...suppressed]],
      );
      await t.db.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason)
         SELECT organization_id, 'whatsapp', phone, 'manual' FROM leads WHERE id = $1`,
        [waOnly],
      );
      const [other] = await t.db.query<{ id: string }>(
        `INSERT INTO organizations (name) VALUES ('Other overlap') RETURNING id`,
      );
      await t.db.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason)
         SELECT $2, 'email', lower(email), 'manual' FROM leads WHERE id = $1`,
        [otherOrgs, other.id],
      );
      await t.db.query(
        `INSERT INTO leads (organization_id, first_name, tags, consent_email) VALUES ($1, 'No address', ARRAY[$2], true)`,
        [orgId, tag],
      );
      const res = await c.call('POST', '/api/audiences/count', { channel: 'email', filter: { tag: [tag] } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ matching: 10, eligible: 5, excluded: { noAddress: 1, noConsent: 2, suppressed: 2 } });
      const wa = await c.call('POST', '/api/audiences/count', { channel: 'whatsapp', filter: { tag: [tag] } });
      expect(wa.body).toEqual({ matching: 10, eligible: 0, excluded: { noAddress: 9, noConsent: 1, suppressed: 0 } });
      // A long suppression list (added in one statement: the projection's trigger marks the leads at once)
      // gives the same answer. A new filter, so no reuse of the last count.
      await t.db.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason)
         SELECT $1, 'email', 'nobody-' || g || '@long-list.example', 'manual' FROM generate_series(1, $2::int) g`,
        [orgId, 20_000],
      );
      const long = await c.call('POST', '/api/audiences/count', {
        channel: 'email',
        filter: { tag: [tag], scoreMin: 0 },
      });
      expect(long.body).toEqual({ matching: 10, eligible: 5, excluded: { noAddress: 1, noConsent: 2, suppressed: 2 } });
      await t.db.query(`DELETE FROM suppressions WHERE address LIKE 'nobody-%@long-list.example'`);
    });

    it('validates filters (custom fields of the organization, no recycle bin) and refuses to delete a segment in use', async () => {
      const bad = await c.call('POST', '/api/audiences/count', { channel: 'email', filter: { custom: ['nope:eq:1'] } });
      expectProblem(bad, 400, 'validation_failed');
      expect(problemFields(bad)).toEqual(['filter.custom']);
      const binned = await c.call('POST', '/api/segments', { name: 'Bin', filter: { deleted: true } });
      expect(problemFields(binned)).toEqual(['filter.deleted']);

      await seedLeads(t, orgId, 1, 'inuse');
      const segment = await c.call('POST', '/api/segments', { name: 'In use', filter: { tag: ['inuse'] } });
      const renamed = await c.call('PATCH', `/api/segments/${segment.body.id}`, { name: 'In use!' });
      expect(renamed.body.name).toBe('In use!');
      const campaign = await c.createEmailCampaign({ name: 'Uses it', audience: { segmentId: segment.body.id } });
      await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {
        sendAt: new Date(Date.now() + 3600_000).toISOString(),
      });
      expectProblem(await c.call('DELETE', `/api/segments/${segment.body.id}`), 409, 'segment_in_use');
      await c.call('POST', `/api/campaigns/${campaign.id}/unschedule`);
      expect((await c.call('DELETE', `/api/segments/${segment.body.id}`)).status).toBe(204);

      const list = await c.call('GET', '/api/segments?limit=200');
      expect((list.body.items as { id: string }[]).map((x) => x.id)).not.toContain(segment.body.id);
      const audit = await c.call('GET', `/api/audit?entityId=${segment.body.id}`);
      expect((audit.body.items as { action: string }[]).map((e) => e.action).reverse()).toEqual([
        'segment.created',
        'segment.updated',
        'segment.deleted',
      ]);
    });
  });

  describe('previews and test sends', () => {
    it('renders with a chosen lead, or sample data; template errors are field errors', async () => {
      const [leadId] = await seedLeads(t, orgId, 1, 'preview');
      const email = { subject: 'Hi {{ firstName }} of {{ organization.name }}', html: '<p>{{ fullName }}</p>' };
      const withLead = await c.call('POST', '/api/campaign-previews', { channel: 'email', email, leadId });
      expect(withLead.status).toBe(200);
      expect(withLead.body.email.subject).toMatch(/^Hi Lead1 of /);
      expect(withLead.body.lead).toEqual({ id: leadId, name: 'Lead1 preview' });
      const sample = await c.call('POST', '/api/campaign-previews', { channel: 'email', email });
      expect(sample.body.lead).toBeNull();
      expect(sample.body.email.subject).toMatch(/^Hi Ana /);
      const broken = await c.call('POST', '/api/campaign-previews', {
        channel: 'email',
        email: { subject: '{{ nope }}', html: '<p>x</p>' },
      });
      expect(problemFields(broken)).toEqual(['email.subject']);
      expect(
        (await c.call('POST', '/api/campaign-previews', { channel: 'email', email, leadId: randomUUID() })).status,
      ).toBe(404);
    });

    it('test-sends one message with a [Test] subject outside the ledger, audited, at most 10 a minute', async () => {
      const campaign = await c.createEmailCampaign({ name: 'Test me' });
      const res = await c.call('POST', `/api/campaigns/${campaign.id}/test-send`, { to: 'Me@Example.com' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ driver: 'smtp', to: 'me@example.com' });
      await eventually(() => Promise.resolve(sink.messages.length === 1 ? true : undefined));
      expect(sink.messages[0].subject).toBe('[Test] Hello Ana');
      expect(sink.messages[0].envelopeTo).toEqual(['me@example.com']);
      expect(await ledgerCounts(t, campaign.id)).toMatchObject({ total: 0 });
      expect(
        problemFields(await c.call('POST', `/api/campaigns/${campaign.id}/test-send`, { to: 'not-an-email' })),
      ).toEqual(['to']);
      let status = 200;
      for (let i = 0; i < 10 && status === 200; i++)
        status = (await c.call('POST', `/api/campaigns/${campaign.id}/test-send`, { to: 'me@example.com' })).status;
      expect(status).toBe(429);
      const audit = await c.call('GET', `/api/audit?entityId=${campaign.id}&action=campaign.test_sent`);
      expect(audit.body.items.length).toBeGreaterThanOrEqual(1);
    });
  });

  describe('sending', () => {
    it('sends to every eligible lead exactly once through SMTP, counters equal to the ledger, recipients paged by status', async () => {
      await seedLeads(t, orgId, 60, 'full');
      const campaign = await c.createEmailCampaign({ name: 'Full send', audience: { filter: { tag: ['full'] } } });
      const started = await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
      expect(started.body.status).toBe('sending');
      const done = await c.waitFor(campaign.id, 'completed');
      expect(done.stats).toMatchObject({ total: 60, sent: 60, remaining: 0, failed: 0 });
      expect(statsWithoutExtras(done.stats)).toEqual(await ledgerCounts(t, campaign.id));

      const recipients = await c.recipients(campaign.id);
      expect(recipients).toHaveLength(60);
      expect(recipients.every((r) => r.status === 'sent' && r.attempts === 1 && r.sentAt)).toBe(true);
      expect(recipients[0].leadName).toMatch(/^Lead\d+ full$/);
      const byAddress = new Map<string, string[]>();
      for (const m of sink.messages)
        for (const to of m.envelopeTo) byAddress.set(to, [...(byAddress.get(to) ?? []), m.messageId ?? '']);
      expect(byAddress.size).toBe(60);
      for (const r of recipients) {
        // Message-ID is the recipient id (same on every re-send); the host part is the templates module's.
        expect(byAddress.get(r.address)).toEqual([expect.stringMatching(new RegExp(`^<${r.id}@`))]);
        expect(r.providerMessageId).toBeTruthy();
      }
      const m = sink.messages[0];
      expect(m.headers['list-unsubscribe']).toMatch(/\/u\//);
      expect(m.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

      const page = await c.call('GET', `/api/campaigns/${campaign.id}/recipients?status=sent&limit=25`);
      expect(page.body.items).toHaveLength(25);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      expect((await c.call('GET', `/api/campaigns/${campaign.id}/recipients?status=failed`)).body.items).toEqual([]);
    });

    it('skips a lead who unsubscribed after the audience was built (eligibility re-checked at claim)', async () => {
      const ids = await seedLeads(t, orgId, 4, 'late');
      const campaign = await c.createEmailCampaign({
        name: 'Late unsubscribe',
        audience: { filter: { tag: ['late'] } },
      });
      // The audience as materialized when the lead was still subscribed; the reconciler starts the send loops.
      await t.db.query(
        `INSERT INTO campaign_recipients (organization_id, campaign_id, lead_id, channel, address)
         SELECT organization_id, $1, id, 'email', lower(email) FROM leads WHERE id = ANY($2::uuid[])`,
        [campaign.id, ids],
      );
      await t.db.query(`UPDATE leads SET unsubscribed_at = now() WHERE id = $1`, [ids[0]]);
      await t.db.query(`UPDATE leads SET deleted_at = now() WHERE id = $1`, [ids[1]]);
      await t.db.query(
        `UPDATE campaigns SET status = 'sending', materialized = true, total = 4, started_at = now() WHERE id = $1`,
        [campaign.id],
      );
      const done = await c.waitFor(campaign.id, 'completed');
      expect(done.stats).toMatchObject({ total: 4, sent: 2, skipped: 2, remaining: 0 });
      const rows = await c.recipients(campaign.id);
      const byLead = new Map(rows.map((r) => [r.leadId, r]));
      expect(byLead.get(ids[0])).toMatchObject({ status: 'skipped', error: expect.stringMatching(/unsubscribed/) });
      expect(byLead.get(ids[1])).toMatchObject({ status: 'skipped', error: expect.stringMatching(/deleted/) });
      expect(sink.messages).toHaveLength(2);
    });

    it('pause stops within a group and resume finishes; cancel turns the queued rest into cancelled', async () => {
      await seedLeads(t, orgId, 1500, 'pause');
      const campaign = await c.createEmailCampaign({ name: 'Pause me', audience: { filter: { tag: ['pause'] } } });
      await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
      await eventually(async () => ((await c.campaign(campaign.id)).stats.sent >= 50 ? true : undefined));
      const paused = await c.call('POST', `/api/campaigns/${campaign.id}/pause`);
      expect(paused.body.status).toBe('paused');
      // Once nothing is in flight, nothing more goes out: the sink and the ledger agree and stay put.
      await eventually(async () =>
        (await ledgerCounts(t, campaign.id)).remaining > 0 &&
        (
          await t.db.query(`SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sending'`, [
            campaign.id,
          ])
        ).length === 0
          ? true
          : undefined,
      );
      const atPause = await ledgerCounts(t, campaign.id);
      expect(atPause.sent).toBeLessThan(1500);
      expect(sink.accepted).toBe(atPause.sent);
      expect(statsWithoutExtras((await c.campaign(campaign.id)).stats)).toEqual(atPause);

      await c.call('POST', `/api/campaigns/${campaign.id}/resume`);
      await eventually(async () =>
        (await c.campaign(campaign.id)).stats.sent >= atPause.sent + 50 ? true : undefined,
      );
      const cancelled = await c.call('POST', `/api/campaigns/${campaign.id}/cancel`);
      expect(cancelled.body.status).toBe('cancelled');
      await eventually(async () =>
        (
          await t.db.query(
            `SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND status IN ('sending', 'queued')`,
            [campaign.id],
          )
        ).length === 0
          ? true
          : undefined,
      );
      const end = await ledgerCounts(t, campaign.id);
      expect(end.cancelled).toBeGreaterThan(0);
      expect(end.sent + end.cancelled).toBe(1500);
      expect(sink.accepted).toBe(end.sent);
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(end.sent);
      expect(statsWithoutExtras((await c.campaign(campaign.id)).stats)).toEqual(end);
      expectProblem(await c.call('POST', `/api/campaigns/${campaign.id}/resume`), 409, 'campaign_state');
    });

    it('bounces recipients the server rejects (and suppresses their addresses)', async () => {
      await seedLeads(t, orgId, 6, 'bounce');
      sink.rejectRecipients('bounce-1@sink.test', 'bounce-2@sink.test');
      const campaign = await c.createEmailCampaign({ name: 'Bounces', audience: { filter: { tag: ['bounce'] } } });
      await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
      const done = await c.waitFor(campaign.id, 'completed');
      expect(done.stats).toMatchObject({ total: 6, sent: 4, bounced: 2, failed: 0, remaining: 0 });
      expect(statsWithoutExtras(done.stats)).toEqual(await ledgerCounts(t, campaign.id));
      const bounced = await c.recipients(campaign.id, 'status=bounced');
      expect(bounced.map((r) => r.address as string).sort()).toEqual(['bounce-1@sink.test', 'bounce-2@sink.test']);
      expect(bounced.every((r) => /User unknown/.test(r.error))).toBe(true);
      const suppressed = await eventually(async () => {
        const rows = await t.db.query(
          `SELECT address, reason FROM suppressions WHERE address LIKE 'bounce-%' ORDER BY address`,
        );
        return rows.length === 2 ? rows : undefined;
      });
      expect(suppressed).toEqual([
        { address: 'bounce-1@sink.test', reason: 'hard_bounce' },
        { address: 'bounce-2@sink.test', reason: 'hard_bounce' },
      ]);
      // Suppressed now: the next audience leaves them out.
      const count = await c.call('POST', '/api/audiences/count', { channel: 'email', filter: { tag: ['bounce'] } });
      expect(count.body).toMatchObject({ eligible: 4, excluded: { suppressed: 2 } });
    });

    it('fails recipients the server defers (one attempt allowed); retry-failed re-sends only the failed rows', async () => {
      await seedLeads(t, orgId, 20, 'retry');
      sink.deferNext(4, 451, 'plain');
      const campaign = await c.createEmailCampaign({ name: 'Retry', audience: { filter: { tag: ['retry'] } } });
      await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
      const done = await c.waitFor(campaign.id, 'completed');
      expect(done.stats).toMatchObject({ total: 20, sent: 16, failed: 4, remaining: 0 });
      expect(statsWithoutExtras(done.stats)).toEqual(await ledgerCounts(t, campaign.id));
      const failed = await c.recipients(campaign.id, 'status=failed');
      expect(failed).toHaveLength(4);
      expect(failed.every((r) => /Temporary local problem/.test(r.error))).toBe(true);
      expect(new Set(sink.messages.flatMap((m) => m.envelopeTo)).size).toBe(16);

      const retried = await c.call('POST', `/api/campaigns/${campaign.id}/retry-failed`);
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('sending');
      const again = await c.waitFor(campaign.id, 'completed');
      expect(again.stats).toMatchObject({ total: 20, sent: 20, failed: 0 });
      expect(statsWithoutExtras(again.stats)).toEqual(await ledgerCounts(t, campaign.id));
      // The 16 sent earlier got nothing new; the 4 failed got exactly one each.
      const perAddress = new Map<string, number>();
      for (const m of sink.messages) for (const to of m.envelopeTo) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
      expect(perAddress.size).toBe(20);
      expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
      expectProblem(await c.call('POST', `/api/campaigns/${campaign.id}/retry-failed`), 409, 'campaign_state');
      const audit = await c.call('GET', `/api/audit?entityId=${campaign.id}&action=campaign.retried`);
      expect(audit.body.items[0].changes).toMatchObject({ recipientsRetried: 4 });
    });

    it('a throttled provider lowers the rate, every message still goes out once, and the rate recovers', async () => {
      const rate = async () => {
        const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
        const m = new RegExp(`meridian_campaign_send_rate\\{organization="${orgId}",channel="email"\\} ([\\d.]+)`).exec(
          text,
        );
        return m ? Number(m[1]) : null;
      };
      await seedLeads(t, orgId, 40, 'throttle');
      sink.deferNext(1, 451, 'rate');
      const campaign = await c.createEmailCampaign({ name: 'Throttled', audience: { filter: { tag: ['throttle'] } } });
      await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
      const lowered = await eventually(async () => {
        const r = await rate();
        return r !== null && r < 400 ? r : undefined;
      });
      expect(lowered).toBeLessThanOrEqual(200); // halved
      const done = await c.waitFor(campaign.id, 'completed');
      expect(done.stats).toMatchObject({ total: 40, sent: 40, failed: 0 });
      const throttled = await c.recipients(campaign.id);
      // A throttled answer does not use up the (single) attempt.
      expect(throttled.every((r) => r.attempts === 1)).toBe(true);
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(40);

      // Sending on, the rate climbs back to the configured one.
      await seedLeads(t, orgId, 4000, 'recover');
      const next = await c.createEmailCampaign({ name: 'Recovering', audience: { filter: { tag: ['recover'] } } });
      await c.call('POST', `/api/campaigns/${next.id}/schedule`, {});
      await eventually(async () => ((await rate()) === 400 ? true : undefined), 45_000);
      await c.waitFor(next.id, 'completed');
    });
  });

  describe('tenant isolation and permissions', () => {
    it("answers 404 for another organization's campaigns and segments, and changes nothing there", async () => {
      const [org] = await t.db.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Org B') RETURNING id`);
      const [campaign] = await t.db.query<{ id: string }>(
        `INSERT INTO campaigns (organization_id, name, channel) VALUES ($1, 'B campaign', 'email') RETURNING id`,
        [org.id],
      );
      const [segment] = await t.db.query<{ id: string }>(
        `INSERT INTO segments (organization_id, name) VALUES ($1, 'B segment') RETURNING id`,
        [org.id],
      );
      const id = campaign.id;
      for (const [method, path, body] of [
        ['GET', `/api/campaigns/${id}`],
        ['PATCH', `/api/campaigns/${id}`, { name: 'x' }],
        ['DELETE', `/api/campaigns/${id}`],
        ['POST', `/api/campaigns/${id}/duplicate`],
        ['POST', `/api/campaigns/${id}/schedule`, {}],
        ['POST', `/api/campaigns/${id}/cancel`],
        ['POST', `/api/campaigns/${id}/test-send`, { to: 'a@b.example' }],
        ['GET', `/api/campaigns/${id}/recipients`],
        ['GET', `/api/segments/${segment.id}`],
        ['PATCH', `/api/segments/${segment.id}`, { name: 'x' }],
        ['DELETE', `/api/segments/${segment.id}`],
      ] as [string, string, unknown?][]) {
        expectProblem(await c.call(method, path, body), 404);
      }
      const seg = await c.call('POST', '/api/audiences/count', { channel: 'email', segmentId: segment.id });
      expect(problemFields(seg)).toEqual(['segmentId']);
      const list = await c.call('GET', '/api/campaigns?limit=200');
      expect((list.body.items as { id: string }[]).map((x) => x.id)).not.toContain(id);
      const [after] = await t.db.query(`SELECT name, status FROM campaigns WHERE id = $1`, [id]);
      expect(after).toEqual({ name: 'B campaign', status: 'draft' });
    });

    it('viewers read, agents cannot edit, managers send', async () => {
      const viewer = await createSignedInUser(c.api, c.token, Role.Viewer);
      const agent = await createSignedInUser(c.api, c.token, Role.Agent);
      const manager = await createSignedInUser(c.api, c.token, Role.Manager);
      const draft = await c.createEmailCampaign({ name: 'RBAC' });
      expect((await c.call('GET', `/api/campaigns/${draft.id}`, undefined, viewer.token)).status).toBe(200);
      expectProblem(await c.call('PATCH', `/api/campaigns/${draft.id}`, { name: 'x' }, viewer.token), 403);
      expectProblem(await c.call('POST', '/api/segments', { name: 'x', filter: {} }, agent.token), 403);
      expectProblem(await c.call('POST', `/api/campaigns/${draft.id}/cancel`, undefined, agent.token), 403);
      const sendAt = new Date(Date.now() + 3600_000).toISOString();
      await seedLeads(t, orgId, 1, 'rbac');
      await c.call('PATCH', `/api/campaigns/${draft.id}`, { audience: { filter: { tag: ['rbac'] } } });
      const res = await c.call('POST', `/api/campaigns/${draft.id}/schedule`, { sendAt }, manager.token);
      expect(res.status).toBe(200);
    });
  });
});
