// Analytics at scale (issue 10), printed as JSON. Needs PostgreSQL (DATABASE_URL, or the local
// default). A fresh database gets the migrations and an owner (the API starts on it), then
// generate_series SQL seeds N leads over 400 days, C campaigns with L ledger rows in all, and
// T lead timeline rows. The API folds its rollups by itself (inline jobs, every 15 s). Measured:
//  - the first (full) fold of the seeded data, in seconds,
//  - GET /api/analytics/dashboard, sequential uncached requests: p50/p95 per scenario,
//  - in the same run, the bare SQL that computes the same lead and campaign figures straight
//    from the source tables (what a dashboard without rollups would run), and the rollup SQL alone,
//  - freshness: a lead created through the API until the dashboard counts it.
// Usage: npm run build && node bench/analytics.mjs [--leads 1000000] [--ledger 5000000]
//        [--timeline 5000000] [--campaigns 50] [--requests 40]
import pg from 'pg';
import { createDatabase, numberArg, percentile, print, requireBuild, sleep, startApi, tempDir } from './lib.mjs';

const leads = numberArg('leads', 1_000_000);
const ledger = numberArg('ledger', 5_000_000);
const timeline = numberArg('timeline', 5_000_000);
const campaigns = numberArg('campaigns', 50);
const requests = numberArg('requests', 40);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const email = 'bench-owner@example.com';
const password = 'bench-password-0123';
const TZ = 'Europe/Paris';
const OWNERS = Array.from({ length: 8 }, (_, i) => `00000000-0000-4000-8000-00000000000${i + 1}`);

requireBuild();
const db = await createDatabase(adminUrl);
const data = tempDir('meridian-bench-analytics-');
const result = { settings: { leads, ledger, timeline, campaigns, requests, timeZone: TZ } };
let api;
const client = new pg.Client({ connectionString: db.url });

const seconds = (t0) => +((performance.now() - t0) / 1000).toFixed(2);
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: percentile(sorted, 100), n: sorted.length };
};

async function seed(orgId) {
  const t0 = performance.now();
  const batch = 100_000;
  for (let done = 0; done < leads; done += batch) {
    const n = Math.min(batch, leads - done);
    await client.query(
      `INSERT INTO leads (organization_id, first_name, email, source, status, owner_id, tags, consent_email, created_at, updated_at)
       SELECT $1, 'Lead ' || g, 'lead' || g || '@bench.example',
              (ARRAY['web','import','api','whatsapp','referral','campaign','other'])[1 + (g * 31 % 7)],
              (ARRAY['new','new','new','contacted','contacted','qualified','converted','lost'])[1 + (g * 17 % 8)],
              CASE WHEN g % 9 = 0 THEN NULL ELSE ($4::uuid[])[1 + (g % 8)] END,
              CASE WHEN g % 4 = 0 THEN ARRAY['vip'] WHEN g % 4 = 1 THEN ARRAY['emea'] ELSE '{}' END,
              true,
              now() - ((g * 7919) % (400 * 86400)) * interval '1 second',
              now() - ((g * 7919) % (400 * 86400)) * interval '1 second'
         FROM generate_series($2::bigint, $2::bigint + $3 - 1) AS g`,
      [orgId, done, n, OWNERS],
    );
  }
  result.seed = { leadsSeconds: seconds(t0) };

  const t1 = performance.now();
  await client.query(
    `CREATE TEMP TABLE lead_numbers AS SELECT row_number() OVER () AS n, id FROM leads WHERE organization_id = $1`,
    [orgId],
  );
  await client.query('CREATE INDEX ON lead_numbers (n)');
  const perCampaign = Math.min(leads, Math.floor(ledger / campaigns));
  for (let k = 0; k < campaigns; k++) {
    const channel = k % 5 === 4 ? 'whatsapp' : 'email';
    const {
      rows: [{ id }],
    } = await client.query(
      `INSERT INTO campaigns (organization_id, name, channel, status, materialized, started_at, completed_at)
       VALUES ($1, $2, $3, 'completed', true, now() - ($4 || ' days')::interval, now() - ($4 || ' days')::interval + interval '2 hours')
       RETURNING id`,
      [orgId, `Campaign ${k + 1}`, channel, String(Math.floor((k * 365) / campaigns))],
    );
    await client.query(
      `INSERT INTO campaign_recipients (organization_id, campaign_id, lead_id, channel, address, status,
                                        sent_at, delivered_at, opened_at, clicked_at, unsubscribed_at, updated_at)
       SELECT $1, $2, ln.id, $3, 'r' || g || '@bench.example', s.status,
              CASE WHEN s.status NOT IN ('failed') THEN c.started_at + (g % 7200) * interval '1 second' END,
              CASE WHEN s.status IN ('delivered','opened','clicked') AND $3 = 'whatsapp' THEN c.started_at + (g % 7200 + 5) * interval '1 second' END,
              CASE WHEN s.status IN ('opened','clicked') THEN c.started_at + (g % 259200) * interval '1 second' END,
              CASE WHEN s.status = 'clicked' THEN c.started_at + (g % 259200 + 60) * interval '1 second' END,
              CASE WHEN g % 200 = 0 AND s.status IN ('opened','clicked') THEN c.started_at + (g % 259200 + 120) * interval '1 second' END,
              c.started_at + (g % 259200 + 120) * interval '1 second'
         FROM generate_series(1, $4::int) AS g
         JOIN lead_numbers ln ON ln.n = ((g + $5::bigint * 7777) % $6) + 1
         JOIN campaigns c ON c.id = $2
         CROSS JOIN LATERAL (SELECT CASE
              WHEN g % 100 < 2 THEN 'failed' WHEN g % 100 < 5 THEN 'bounced'
              WHEN g % 100 < 50 THEN CASE WHEN $3 = 'whatsapp' THEN 'delivered' ELSE 'sent' END
              WHEN g % 100 < 85 THEN 'opened' ELSE 'clicked' END AS status) s`,
      [orgId, id, channel, perCampaign, k, leads],
    );
    // The counters, as the campaign engine keeps them (in step with the ledger).
    await client.query(
      `UPDATE campaigns c SET total = x.total, sent = x.sent, delivered = x.delivered, opened = x.opened,
              clicked = x.clicked, bounced = x.bounced, failed = x.failed, unsubscribed = x.unsubscribed
         FROM (SELECT count(*) AS total,
                      count(*) FILTER (WHERE status IN ('sent','delivered','opened','clicked')) AS sent,
                      count(*) FILTER (WHERE status IN ('delivered','opened','clicked')) AS delivered,
                      count(*) FILTER (WHERE status IN ('opened','clicked')) AS opened,
                      count(*) FILTER (WHERE status = 'clicked') AS clicked,
                      count(*) FILTER (WHERE status = 'bounced') AS bounced,
                      count(*) FILTER (WHERE status = 'failed') AS failed,
                      count(unsubscribed_at) AS unsubscribed
                 FROM campaign_recipients WHERE campaign_id = $1) x
        WHERE c.id = $1`,
      [id],
    );
  }
  result.seed.ledgerRows = perCampaign * campaigns;
  result.seed.ledgerSeconds = seconds(t1);

  // The timeline: one click per clicker (URL of 5), then status changes and notes up to T rows.
  const t2 = performance.now();
  await client.query(
    `INSERT INTO lead_activities (organization_id, lead_id, type, actor_label, data, created_at)
     SELECT r.organization_id, r.lead_id, 'campaign_clicked', 'Campaign',
            jsonb_build_object('campaignId', r.campaign_id::text, 'recipientId', r.id::text,
                               'url', 'https://shop.example/p' || (abs(hashtext(r.id::text)) % 5)),
            r.clicked_at
       FROM campaign_recipients r WHERE r.organization_id = $1 AND r.status = 'clicked'`,
    [orgId],
  );
  const {
    rows: [{ n: clicks }],
  } = await client.query(`SELECT count(*)::int AS n FROM lead_activities WHERE organization_id = $1`, [orgId]);
  for (let done = clicks; done < timeline; done += batch * 5) {
    const n = Math.min(batch * 5, timeline - done);
    await client.query(
      `INSERT INTO lead_activities (organization_id, lead_id, type, actor_label, data, created_at)
       SELECT $1, ln.id, CASE WHEN g % 3 = 0 THEN 'note' ELSE 'status_changed' END, 'Bench',
              CASE WHEN g % 3 = 0 THEN '{"text": "Called"}'::jsonb ELSE '{"from": "new", "to": "contacted"}'::jsonb END,
              now() - ((g * 104729) % (400 * 86400)) * interval '1 second'
         FROM generate_series($2::bigint, $2::bigint + $3 - 1) AS g
         JOIN lead_numbers ln ON ln.n = (g % $4) + 1`,
      [orgId, done, n, leads],
    );
  }
  result.seed.timelineRows = timeline;
  result.seed.timelineSeconds = seconds(t2);
  await client.query('ANALYZE');
  result.seed.totalSeconds = seconds(t0);
  // Last: the change of time zone makes the next fold a full rebuild of everything seeded.
  await client.query(`UPDATE organizations SET time_zone = $2 WHERE id = $1`, [orgId, TZ]);
}

/** The same figures as the dashboard's, straight from the source tables (no rollups). */
const BARE_SQL = {
  leadCounts: `SELECT l.created_at >= ($3::date::timestamp AT TIME ZONE $5) AS current, l.source, l.status, count(*)
                 FROM leads l
                WHERE l.organization_id = $1 AND l.deleted_at IS NULL
                  AND l.created_at >= ($2::date::timestamp AT TIME ZONE $5)
                  AND l.created_at < (($4::date + 1)::timestamp AT TIME ZONE $5)
                GROUP BY 1, 2, 3`,
  leadsByDay: `SELECT (l.created_at AT TIME ZONE $5)::date AS day, l.source, count(*)
                 FROM leads l
                WHERE l.organization_id = $1 AND l.deleted_at IS NULL
                  AND l.created_at >= ($3::date::timestamp AT TIME ZONE $5)
                  AND l.created_at < (($4::date + 1)::timestamp AT TIME ZONE $5) AND $2::date IS NOT NULL
                GROUP BY 1, 2`,
  engagementByDay: `SELECT (r.sent_at AT TIME ZONE $5)::date, count(*) FILTER (WHERE r.status IN ('sent','delivered','opened','clicked')),
                           count(*) FILTER (WHERE r.status IN ('opened','clicked')), count(*) FILTER (WHERE r.status = 'clicked')
                      FROM campaign_recipients r
                     WHERE r.organization_id = $1 AND r.sent_at >= ($3::date::timestamp AT TIME ZONE $5)
                       AND r.sent_at < (($4::date + 1)::timestamp AT TIME ZONE $5) AND $2::date IS NOT NULL
                     GROUP BY 1`,
};
const ROLLUP_SQL = `SELECT day >= $3::date AS current, source, status, sum(leads)
                      FROM analytics_lead_daily WHERE organization_id = $1 AND day BETWEEN $2 AND $4 AND $5::text IS NOT NULL
                     GROUP BY 1, 2, 3`;

try {
  api = await startApi({
    DATA_DIR: data.dir,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    DATABASE_URL: db.url,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    DB_MIGRATE_ON_START: 'true',
  });
  await client.connect();
  const {
    rows: [{ id: orgId }],
  } = await client.query('SELECT id FROM organizations LIMIT 1');
  await seed(orgId);

  // The first fold after the seed is a full rebuild (the time zone changed): wait for it.
  const t3 = performance.now();
  const seededAt = new Date();
  for (;;) {
    const { rows } = await client.query(
      `SELECT folded_at, rebuilt_at FROM analytics_fold_state WHERE organization_id = $1`,
      [orgId],
    );
    const { rows: pending } = await client.query(
      `SELECT count(*)::int AS n FROM campaigns c LEFT JOIN analytics_campaign_state s ON s.campaign_id = c.id
        WHERE c.organization_id = $1 AND (s.campaign_id IS NULL OR s.signature NOT LIKE '%|' || $2)`,
      [orgId, TZ],
    );
    if (rows[0] && rows[0].rebuilt_at > seededAt && rows[0].folded_at > seededAt && pending[0].n === 0) break;
    if (performance.now() - t3 > 1_800_000) throw new Error('the first fold did not finish within 30 minutes');
    await sleep(500);
  }
  result.firstFoldSeconds = seconds(t3);
  const rollupRows = (
    await client.query(
      `SELECT (SELECT count(*) FROM analytics_lead_daily)::int AS lead_daily,
              (SELECT count(*) FROM analytics_lead_tag_daily)::int AS lead_tag_daily,
              (SELECT count(*) FROM analytics_campaign_daily)::int AS campaign_daily`,
    )
  ).rows[0];
  result.rollupRows = rollupRows;

  const login = await (
    await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  ).json();
  const headers = { authorization: `Bearer ${login.accessToken}` };
  const scenarios = {
    '30d': 'period=30d',
    '365d': 'period=365d',
    '90d tag=vip': 'period=90d&tag=vip',
    '30d source+owner': `period=30d&source=web&ownerId=${OWNERS[0]}`,
  };
  const dashboardApi = {};
  const all = [];
  let sample;
  for (const [name, qs] of Object.entries(scenarios)) {
    const times = [];
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const res = await fetch(`${api.url}/api/analytics/dashboard?${qs}`, { headers });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`dashboard answered ${res.status}: ${JSON.stringify(body)}`);
      times.push(performance.now() - t);
      sample ??= body;
    }
    all.push(...times);
    dashboardApi[name] = stats(times);
  }
  dashboardApi.all = stats(all);
  result.dashboardApiMs = dashboardApi;
  result.sampleFigures = {
    newLeads30d: sample.kpis.newLeads,
    conversionRate30d: sample.kpis.conversionRate,
    openRate30d: sample.kpis.openRate,
  };

  // The same figures from the source tables, in the same run (bare SQL on one connection).
  const { period } = await (await fetch(`${api.url}/api/analytics/dashboard?period=365d`, { headers })).json();
  const params365 = [orgId, period.previousFrom, period.from, period.to, TZ];
  const bare = {};
  for (const [name, sql] of Object.entries(BARE_SQL)) {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await client.query(sql, params365);
      times.push(performance.now() - t);
    }
    bare[`${name} 365d`] = stats(times);
  }
  const rollupTimes = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await client.query(ROLLUP_SQL, params365);
    rollupTimes.push(performance.now() - t);
  }
  bare['rollup leadCounts 365d'] = stats(rollupTimes);
  result.sqlMs = bare;

  // Freshness: a new lead, until the dashboard counts it.
  const freshness = [];
  for (let i = 0; i < 3; i++) {
    const before = (await (await fetch(`${api.url}/api/analytics/dashboard?period=7d`, { headers })).json()).kpis
      .newLeads.value;
    const created = await fetch(`${api.url}/api/leads`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: `Fresh ${i}`, email: `fresh${i}-${Date.now()}@bench.example` }),
    });
    if (created.status !== 201) throw new Error(`POST /api/leads answered ${created.status}`);
    const t = performance.now();
    let answer;
    for (;;) {
      answer = await (await fetch(`${api.url}/api/analytics/dashboard?period=7d`, { headers })).json();
      if (answer.kpis.newLeads.value > before) break;
      if (performance.now() - t > 300_000) throw new Error('the new lead did not show within 5 minutes');
      await sleep(250);
    }
    freshness.push(seconds(t));
  }
  result.freshnessSeconds = { samples: freshness, max: Math.max(...freshness), foldEverySeconds: 15 };
} finally {
  await client.end().catch(() => {});
  if (api) await api.stop();
  data.remove();
  await db.drop();
}
print(result);
