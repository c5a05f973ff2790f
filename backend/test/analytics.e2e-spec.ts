import { AnalyticsRollupService } from '../src/modules/analytics/analytics-rollup.service';
import { ApiClient, createApiKey, Json, PROBLEM_JSON, problemFields } from './support/auth-helpers';
import { OWNER_EMAIL, startTestApp, TestApp } from './support/test-app';

/**
 * Known rows straight into the tables the analytics module reads (leads,
 * lead_activities, campaigns, campaign_recipients), folded, then read back
 * through the API: every figure is exact. The organization is in
 * America/New_York, whose clocks moved forward on 2026-03-08 at 02:00.
 */
describe('analytics: dashboard and campaign reports', () => {
  let t: TestApp;
  let token: string;
  let orgId: string;
  let ownerId: string;
  let otherOrgId: string;
  let c1: string;
  let otherCampaign: string;
  const leadIds: Record<string, string> = {};
  const api = () => new ApiClient(t.baseUrl);
  const get = (path: string, auth = token) => api().request<Json>('GET', path, { token: auth });
  const fold = () => t.app.get(AnalyticsRollupService).foldAll();
  const WEEK = '/api/analytics/dashboard?period=custom&from=2026-03-08&to=2026-03-14';

  async function lead(
    key: string,
    o: { source: string; status: string; at: string; tags?: string[]; owner?: string; deleted?: boolean; org?: string },
  ) {
    const [row] = await t.db.query<{ id: string }>(
      `INSERT INTO leads (organization_id, first_name, email, source, status, owner_id, tags, created_at, updated_at, deleted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id`,
      [
        o.org ?? orgId,
        key,
        `${key.toLowerCase()}@analytics.test`,
        o.source,
        o.status,
        o.owner ?? null,
        o.tags ?? [],
        o.at,
        o.deleted ? o.at : null,
      ],
    );
    leadIds[key] = row.id;
    return row.id;
  }

  async function campaign(o: {
    org?: string;
    name: string;
    channel: 'email' | 'whatsapp';
    startedAt: string;
    recipients: {
      status: string;
      sentAt?: string;
      openedAt?: string;
      clickedAt?: string;
      deliveredAt?: string;
      updatedAt?: string;
      unsubscribedAt?: string;
    }[];
  }): Promise<string> {
    const rank: Record<string, number> = { sent: 2, delivered: 3, opened: 4, clicked: 5 };
    const r = o.recipients;
    const at = (min: number) => r.filter((x) => (rank[x.status] ?? -1) >= min).length;
    const [{ id }] = await t.db.query<{ id: string }>(
      `INSERT INTO campaigns (organization_id, name, channel, status, materialized, total, sent, delivered, opened, clicked,
                              bounced, failed, unsubscribed, started_at, completed_at)
       VALUES ($1, $2, $3, 'completed', true, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
      [
        o.org ?? orgId,
        o.name,
        o.channel,
        r.length,
        at(2),
        at(3),
        at(4),
        at(5),
        r.filter((x) => x.status === 'bounced').length,
        r.filter((x) => x.status === 'failed').length,
        r.filter((x) => x.unsubscribedAt).length,
        o.startedAt,
      ],
    );
    let i = 0;
    for (const x of r) {
      const leadId = await lead(`R${o.name.length}-${i++}-${Math.random().toString(36).slice(2, 6)}`, {
        source: 'campaign',
        status: 'new',
        at: '2026-01-15T12:00:00Z',
        org: o.org,
      });
      await t.db.query(
        `INSERT INTO campaign_recipients (organization_id, campaign_id, lead_id, channel, address, status, sent_at,
                                          delivered_at, opened_at, clicked_at, unsubscribed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12::timestamptz, $7::timestamptz, now()))`,
        [
          o.org ?? orgId,
          id,
          leadId,
          o.channel,
          `${leadId}@r.test`,
          x.status,
          x.sentAt ?? null,
          x.deliveredAt ?? null,
          x.openedAt ?? null,
          x.clickedAt ?? null,
          x.unsubscribedAt ?? null,
          x.updatedAt ?? null,
        ],
      );
    }
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/3' });
    token = await t.login();
    [{ organization_id: orgId, id: ownerId }] = await t.db.query<{ organization_id: string; id: string }>(
      'SELECT organization_id, id FROM users WHERE email = $1',
      [OWNER_EMAIL],
    );
    const tz = await api().request('PATCH', '/api/organization', { token, body: { timeZone: 'America/New_York' } });
    expect(tz.status).toBe(200);
    expect(tz.body.timeZone).toBe('America/New_York');

    // The week of 2026-03-08..14 (New York). Comments: local time.
    await lead('L1', { source: 'web', status: 'new', at: '2026-03-08T05:30:00Z' }); // 00:30 EST, Mar 8
    await lead('L2', { source: 'web', status: 'contacted', at: '2026-03-09T04:30:00Z' }); // 00:30 EDT, Mar 9 (23:30 Mar 8 in EST)
    await lead('L3', { source: 'import', status: 'qualified', at: '2026-03-10T15:00:00Z', tags: ['vip'] });
    await lead('L4', {
      source: 'import',
      status: 'converted',
      at: '2026-03-12T15:00:00Z',
      tags: ['vip', 'eu'],
      owner: ownerId,
    });
    await lead('L5', { source: 'referral', status: 'lost', at: '2026-03-14T03:59:00Z' }); // 23:59 EDT, Mar 13
    await lead('L6', { source: 'web', status: 'converted', at: '2026-03-15T03:30:00Z' }); // 23:30 EDT, Mar 14 (Mar 15 in UTC)
    await lead('GONE', { source: 'web', status: 'new', at: '2026-03-10T12:00:00Z', deleted: true });
    // The week before.
    await lead('P1', { source: 'web', status: 'new', at: '2026-03-08T04:30:00Z' }); // 23:30 EST, Mar 7 (Mar 8 in UTC)
    await lead('P2', { source: 'import', status: 'converted', at: '2026-03-03T12:00:00Z' });

    // Campaign of the week: 10 recipients, email.
    const sent = '2026-03-10T14:05:00Z';
    c1 = await campaign({
      name: '=HYPERLINK("http://evil")',
      channel: 'email',
      startedAt: '2026-03-10T14:00:00Z',
      recipients: [
        { status: 'clicked', sentAt: sent, openedAt: '2026-03-11T02:00:00Z', clickedAt: '2026-03-11T02:01:00Z' }, // 22:00 EDT Mar 10
        { status: 'clicked', sentAt: sent, openedAt: '2026-03-11T14:00:00Z', clickedAt: '2026-03-11T14:05:00Z' },
        { status: 'opened', sentAt: sent, openedAt: '2026-03-11T14:00:00Z', unsubscribedAt: '2026-03-11T15:00:00Z' },
        { status: 'opened', sentAt: sent, openedAt: '2026-03-12T14:00:00Z' },
        { status: 'opened', sentAt: sent, openedAt: '2026-03-12T14:00:00Z' },
        { status: 'sent', sentAt: sent },
        { status: 'sent', sentAt: sent },
        { status: 'sent', sentAt: sent },
        { status: 'bounced', sentAt: sent, updatedAt: '2026-03-10T14:10:00Z' },
        { status: 'failed', updatedAt: '2026-03-10T14:10:00Z' },
      ],
    });
    // Clicks on the timeline: 3 on pricing (2 people), 1 on a second link.
    const [first, second] = await t.db.query<{ lead_id: string }>(
      `SELECT lead_id FROM campaign_recipients WHERE campaign_id = $1 AND status = 'clicked' ORDER BY clicked_at`,
      [c1],
    );
    for (const [leadId, url, at] of [
      [first.lead_id, 'https://shop.test/pricing', '2026-03-11T02:01:00Z'],
      [first.lead_id, 'https://shop.test/pricing', '2026-03-11T02:03:00Z'],
      [second.lead_id, 'https://shop.test/pricing', '2026-03-11T14:05:00Z'],
      [second.lead_id, 'https://shop.test/=1+1', '2026-03-11T14:06:00Z'],
    ])
      await t.db.query(
        `INSERT INTO lead_activities (organization_id, lead_id, type, actor_label, data, created_at)
         VALUES ($1, $2, 'campaign_clicked', 'Campaign', jsonb_build_object('campaignId', $3::text, 'url', $4::text), $5)`,
        [orgId, leadId, c1, url, at],
      );
    // The second clicker converted after the send; a lead converted before it does not count.
    await t.db.query(
      `INSERT INTO lead_activities (organization_id, lead_id, type, actor_label, data, created_at)
       VALUES ($1, $2, 'status_changed', 'Owner', '{"from": "new", "to": "converted"}', '2026-03-12T10:00:00Z'),
              ($1, $3, 'status_changed', 'Owner', '{"from": "new", "to": "converted"}', '2026-03-09T10:00:00Z')`,
      [orgId, second.lead_id, first.lead_id],
    );
    // The week before: a WhatsApp campaign.
    await campaign({
      name: 'Previous',
      channel: 'whatsapp',
      startedAt: '2026-03-02T15:00:00Z',
      recipients: [
        { status: 'delivered', sentAt: '2026-03-02T15:01:00Z', deliveredAt: '2026-03-02T15:02:00Z' },
        { status: 'delivered', sentAt: '2026-03-02T15:01:00Z', deliveredAt: '2026-03-02T15:02:00Z' },
        {
          status: 'opened',
          sentAt: '2026-03-02T15:01:00Z',
          deliveredAt: '2026-03-02T15:02:00Z',
          openedAt: '2026-03-02T16:00:00Z',
        },
        { status: 'sent', sentAt: '2026-03-02T15:01:00Z' },
      ],
    });

    // Another organization with leads and a campaign in the same week.
    [{ id: otherOrgId }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name, time_zone) VALUES ('Other', 'America/New_York') RETURNING id`,
    );
    await lead('X1', { org: otherOrgId, source: 'web', status: 'converted', at: '2026-03-10T12:00:00Z' });
    otherCampaign = await campaign({
      org: otherOrgId,
      name: 'Theirs',
      channel: 'email',
      startedAt: '2026-03-10T12:00:00Z',
      recipients: [{ status: 'clicked', sentAt: '2026-03-10T12:01:00Z', clickedAt: '2026-03-10T12:02:00Z' }],
    });
    await fold();
  });
  afterAll(() => t?.close());

  it('counts the leads of the period by status, with the previous period, in the organization time zone', async () => {
    const res = await get(WEEK);
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.period).toEqual({
      from: '2026-03-08',
      to: '2026-03-14',
      days: 7,
      previousFrom: '2026-03-01',
      previousTo: '2026-03-07',
      timeZone: 'America/New_York',
    });
    expect(d.kpis.newLeads).toEqual({ value: 6, previous: 2, change: 2 });
    expect(d.kpis.qualified).toEqual({ value: 3, previous: 1, change: 2 });
    expect(d.kpis.converted).toEqual({ value: 2, previous: 1, change: 1 });
    expect(d.kpis.conversionRate.value).toBeCloseTo(2 / 6, 10);
    expect(d.kpis.conversionRate.previous).toBe(0.5);
    expect(d.kpis.conversionRate.change).toBeCloseTo(2 / 6 - 0.5, 10);
    expect(d.pipeline.byStatus).toEqual({ new: 1, contacted: 1, qualified: 1, converted: 2, lost: 1 });
    expect((d.pipeline.steps as Json[]).map((s: Json): unknown => [s.step, s.count, s.stepRate])).toEqual([
      ['created', 6, null],
      ['contacted', 4, 4 / 6],
      ['qualified', 3, 3 / 4],
      ['converted', 2, 2 / 3],
    ]);
    expect(d.bySource).toEqual([
      { source: 'web', leads: 3, qualified: 1, converted: 1, conversionRate: 1 / 3 },
      { source: 'import', leads: 2, qualified: 2, converted: 1, conversionRate: 0.5 },
      { source: 'referral', leads: 1, qualified: 0, converted: 0, conversionRate: 0 },
    ]);
    expect(d.asOf).toEqual(expect.any(String));
    expect(d.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it('cuts days at local midnight on both sides of the DST change', async () => {
    const { body } = await get(WEEK);
    expect((body.leadsByDay as Json[]).map((x: Json): unknown => [x.day, x.total, x.bySource])).toEqual([
      ['2026-03-08', 1, { web: 1 }],
      ['2026-03-09', 1, { web: 1 }],
      ['2026-03-10', 1, { import: 1 }],
      ['2026-03-11', 0, {}],
      ['2026-03-12', 1, { import: 1 }],
      ['2026-03-13', 1, { referral: 1 }],
      ['2026-03-14', 1, { web: 1 }],
    ]);
    const sunday = await get('/api/analytics/dashboard?period=custom&from=2026-03-08&to=2026-03-08');
    expect(sunday.body.kpis.newLeads).toEqual({ value: 1, previous: 1, change: 0 }); // L1, and P1 on Saturday
  });

  it('applies the source, owner and tag filters to the lead figures', async () => {
    const web = await get(`${WEEK}&source=web`);
    expect(web.body.kpis.newLeads.value).toBe(3);
    expect(web.body.kpis.converted.value).toBe(1);
    expect(web.body.kpis.newLeads.previous).toBe(1);
    const vip = await get(`${WEEK}&tag=vip`);
    expect(vip.body.kpis.newLeads.value).toBe(2);
    expect(vip.body.pipeline.byStatus).toEqual({ qualified: 1, converted: 1 });
    const mine = await get(`${WEEK}&ownerId=${ownerId}`);
    expect(mine.body.kpis.newLeads.value).toBe(1);
    const both = await get(`${WEEK}&tag=vip&source=import&ownerId=${ownerId}`);
    expect(both.body.kpis.converted.value).toBe(1);
    expect(both.body.filters).toEqual({ source: 'import', ownerId, tag: 'vip' });
    // Campaign figures ignore lead filters.
    expect(both.body.kpis.campaignsSent.value).toBe(1);
  });

  it('rates campaigns of the period against the previous one', async () => {
    const { body } = await get(WEEK);
    const k = body.kpis;
    expect(k.campaignsSent).toEqual({ value: 1, previous: 1, change: 0 });
    expect(k.messagesSent).toEqual({ value: 9, previous: 4, change: 5 / 4 });
    // Email: delivered = accepted and not bounced (8 of 9). WhatsApp: receipts (3 of 4).
    expect(k.deliveryRate.value).toBeCloseTo(8 / 9, 10);
    expect(k.deliveryRate.previous).toBeCloseTo(3 / 4, 10);
    expect(k.openRate.value).toBeCloseTo(5 / 8, 10);
    expect(k.openRate.previous).toBeCloseTo(1 / 3, 10);
    expect(k.clickRate.value).toBeCloseTo(2 / 8, 10);
    expect(k.unsubscribeRate.value).toBeCloseTo(1 / 8, 10);
    expect(body.topCampaigns).toHaveLength(1);
    expect(body.topCampaigns[0]).toMatchObject({ id: c1, sent: 9, delivered: 8, opened: 5, clicked: 2 });
    const days = Object.fromEntries(
      (body.engagementByDay as Json[]).map((x: Json): [string, unknown] => [String(x.day), x as unknown]),
    );
    expect(days['2026-03-10']).toMatchObject({ sent: 9, delivered: 8, opened: 1, clicked: 1, bounced: 1 });
    expect(days['2026-03-11']).toMatchObject({ opened: 2, clicked: 1, unsubscribed: 1 });
    expect(days['2026-03-12']).toMatchObject({ opened: 2, clicked: 0 });
    expect(body.engagementByDay).toHaveLength(7);
  });

  it('reports a campaign: funnel, days, links, conversions after the send', async () => {
    const res = await get(`/api/analytics/campaigns/${c1}`);
    expect(res.status).toBe(200);
    expect((res.body.funnel as Json[]).map((s: Json): unknown => [s.step, s.count])).toEqual([
      ['queued', 10],
      ['sent', 9],
      ['delivered', 8],
      ['opened', 5],
      ['clicked', 2],
      ['converted', 1],
    ]);
    expect(res.body.funnel[3].stepRate).toBeCloseTo(5 / 8, 10);
    expect(res.body).toMatchObject({ bounced: 1, failed: 1, unsubscribed: 1, timeZone: 'America/New_York' });
    expect((res.body.byDay as Json[]).map((x: Json): unknown => x.day)).toEqual([
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
    ]);
    expect(res.body.links).toEqual([
      { url: 'https://shop.test/pricing', clicks: 3, uniqueClicks: 2 },
      { url: 'https://shop.test/=1+1', clicks: 1, uniqueClicks: 1 },
    ]);
  });

  it('exports the campaign report as formula-safe CSV', async () => {
    const res = await fetch(`${t.baseUrl}/api/analytics/campaigns/${c1}/report.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain(`"campaign","'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain('"clicked","2","40.0","20.0"');
    expect(text).toContain('"https://shop.test/pricing","3","2"');
  });

  it('keeps other organizations out: their rows are not counted, their campaign is a 404', async () => {
    const { body } = await get(WEEK);
    expect(body.kpis.newLeads.value).toBe(6);
    expect((body.topCampaigns as Json[]).map((c: Json): unknown => c.id)).not.toContain(otherCampaign);
    for (const path of [
      `/api/analytics/campaigns/${otherCampaign}`,
      `/api/analytics/campaigns/${otherCampaign}/report.csv`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.contentType).toMatch(PROBLEM_JSON);
    }
  });

  it('folds changes incrementally and idempotently', async () => {
    const before = (await get(WEEK)).body;
    await fold();
    expect((await get(WEEK)).body.kpis).toEqual(before.kpis);
    const res = await api().request('PATCH', `/api/leads/${leadIds.L1}`, { token, body: { status: 'converted' } });
    expect(res.status).toBe(200);
    const result = await fold();
    expect(result.leadDays).toBe(1);
    const after = (await get(WEEK)).body;
    expect(after.kpis.converted.value).toBe(3);
    expect(after.pipeline.byStatus).toEqual({ contacted: 1, qualified: 1, converted: 3, lost: 1 });
    expect(new Date(after.asOf).getTime()).toBeGreaterThan(new Date(before.asOf).getTime());
  });

  it('recuts every day when the organization changes its time zone', async () => {
    // The console reads the zone from /me (the days of the leads filters follow it): the change shows at once.
    const zoneOfMe = async (): Promise<unknown> =>
      ((await api().request('GET', '/api/auth/me', { token })).body as { organization: { timeZone: string } })
        .organization.timeZone;
    expect(await zoneOfMe()).toBe('America/New_York');
    expect((await api().request('PATCH', '/api/organization', { token, body: { timeZone: 'UTC' } })).status).toBe(200);
    expect(await zoneOfMe()).toBe('UTC');
    await fold();
    const { body } = await get(WEEK);
    // In UTC, P1 (03-08 04:30Z) moves in and L6 (03-15 03:30Z) moves out.
    expect(body.period.timeZone).toBe('UTC');
    expect(body.kpis.newLeads.value).toBe(6);
    expect(body.leadsByDay[0]).toMatchObject({ day: '2026-03-08', total: 2 }); // L1, P1
    expect(body.leadsByDay[6]).toMatchObject({ day: '2026-03-14', total: 1 }); // L5
    await api().request('PATCH', '/api/organization', { token, body: { timeZone: 'America/New_York' } });
    await fold();
  });

  it('answers 403 without analytics:read', async () => {
    const key = await createApiKey(api(), token, { scope: 'custom', permissions: ['leads:read'] });
    const res = await api().request('GET', WEEK, { apiKey: key.secret });
    expect(res.status).toBe(403);
    expect(res.contentType).toMatch(PROBLEM_JSON);
    const report = await api().request('GET', `/api/analytics/campaigns/${c1}`, { apiKey: key.secret });
    expect(report.status).toBe(403);
  });

  it.each([
    ['period=2w', 'period'],
    ['period=custom&from=2026-03-08', 'to'],
    ['period=custom&from=2026-03-14&to=2026-03-08', 'from'],
    ['period=custom&from=2026-02-30&to=2026-03-08', 'from'],
    ['period=custom&from=2020-01-01&to=2026-03-08', 'to'],
    ['period=7d&from=2026-03-01', 'from'],
    ['from=March', 'from'],
    ['source=fax', 'source'],
    ['ownerId=me', 'ownerId'],
    ['colour=red', 'colour'],
  ])('answers 400 problem+json for %s', async (qs, field) => {
    const res = await get(`/api/analytics/dashboard?${qs}`);
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(PROBLEM_JSON);
    expect(problemFields(res)).toContain(field);
  });

  it('refuses a time zone that is not an IANA name', async () => {
    const res = await api().request('PATCH', '/api/organization', { token, body: { timeZone: 'Mars/Olympus' } });
    expect(res.status).toBe(400);
    expect(problemFields(res)).toEqual(['timeZone']);
  });

  it('answers a 404 for an unknown campaign and a 400 for a bad id', async () => {
    expect((await get('/api/analytics/campaigns/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/analytics/campaigns/nope')).status).toBe(400);
  });

  it('shows a period with nothing in it as zeros, every day present', async () => {
    const { body } = await get('/api/analytics/dashboard?period=custom&from=2025-01-01&to=2025-01-07');
    expect(body.kpis.newLeads).toEqual({ value: 0, previous: 0, change: null });
    expect(body.kpis.openRate).toEqual({ value: 0, previous: 0, change: null });
    expect(body.leadsByDay).toHaveLength(7);
    expect(body.topCampaigns).toEqual([]);
  });
});
