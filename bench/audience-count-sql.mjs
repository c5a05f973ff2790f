// The audience count's SQL side by side on one database, printed as JSON:
//  - leadsScan: what the count ran before the LeadAudience migration: one scan of `leads` testing plain
//    columns, and each suppressed address looked up among the matching leads through the index on lower(email);
//  - projection: what LeadAudienceService.count runs now: one scan of `lead_audience` (about 115 bytes a lead,
//    tested columns first, "suppressed" kept as a flag by triggers).
// Alternated query by query on the same filters, so a noisy machine affects both alike; both must give the
// same numbers. Wall times (PostgreSQL's parallel workers allowed, as in production), and with --serial
// the CPU time of the one backend with parallel workers off (steadier on a busy machine).
// Needs a migrated database with many leads, for example:
//   DATABASE_URL=postgres://.../db npm run seed:demo -- --leads 1000000
//   DATABASE_URL=postgres://.../db node bench/audience-count-sql.mjs [--queries 24] [--serial]
import pg from 'pg';
import { cpuSeconds, numberArg, print } from './lib.mjs';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const serial = process.argv.includes('--serial');
const a = new pg.Client({ connectionString: url });
await a.connect();
const [{ id: org }] = (await a.query('SELECT id FROM organizations LIMIT 1')).rows;
const [{ pid }] = (await a.query('SELECT pg_backend_pid() AS pid')).rows;
await a.query('SET jit = off');
if (serial) await a.query('SET max_parallel_workers_per_gather = 0');

const T0 = Date.now();
// Each shape on both tables: [leads l, lead_audience a].
const shapes = [
  (i) => [`l.score >= ${i % 100}`, `a.score >= ${i % 100}`],
  (i) => [
    `l.tags && ARRAY['vip'] AND l.score <= ${100 - (i % 100)}`,
    `a.tags && ARRAY['vip'] AND a.score <= ${100 - (i % 100)}`,
  ],
  (i) => [
    `l.status IN ('qualified','contacted') AND l.score >= ${i % 100}`,
    `a.status IN ('qualified','contacted') AND a.score >= ${i % 100}`,
  ],
  (i) => {
    const since = new Date(T0 - (i + 1) * 86_400_000).toISOString();
    return [
      `l.source IN ('web','import') AND l.created_at >= '${since}'`,
      `a.source IN ('web','import') AND a.created_at >= '${since}'`,
    ];
  },
];
const HAS = 'l.email IS NOT NULL AND l.deleted_at IS NULL AND l.merged_into_id IS NULL';
const CONS = 'l.consent_email AND l.unsubscribed_at IS NULL';
const live = (f) => `l.organization_id = $1 AND l.merged_into_id IS NULL AND l.deleted_at IS NULL AND ${f}`;

const leadsScan = async (f) => {
  const r = (
    await a.query(
      `SELECT count(*)::int m, count(*) FILTER (WHERE NOT (${HAS}))::int na, count(*) FILTER (WHERE (${HAS}) AND NOT (${CONS}))::int nc,
    (SELECT count(*)::int FROM (SELECT s.address FROM suppressions s WHERE s.organization_id = $1 AND s.channel = 'email') sup
       CROSS JOIN LATERAL (SELECT 1 FROM (SELECT * FROM leads l WHERE l.organization_id = $1 AND lower(l.email) = sup.address AND ${HAS} OFFSET 0) l
         WHERE ${live(f)} AND (${CONS})) hit) sup
    FROM leads l WHERE ${live(f)}`,
      [org],
    )
  ).rows[0];
  return [r.m, r.na, r.nc, r.sup];
};
const projection = async (f) => {
  const r = (
    await a.query(
      `SELECT count(*)::int m, count(*) FILTER (WHERE NOT a.has_email)::int na,
    count(*) FILTER (WHERE a.has_email AND NOT (a.consent_email AND a.subscribed))::int nc,
    count(*) FILTER (WHERE a.has_email AND a.consent_email AND a.subscribed AND a.email_suppressed)::int sup
    FROM lead_audience a WHERE a.organization_id = $1 AND ${f}`,
      [org],
    )
  ).rows[0];
  return [r.m, r.na, r.nc, r.sup];
};

const n = numberArg('queries', 24);
const runs = { leadsScan: [leadsScan, 0], projection: [projection, 1] };
const wall = { leadsScan: [], projection: [] };
const cpu = { leadsScan: 0, projection: 0 };
const byShape = { leadsScan: shapes.map(() => []), projection: shapes.map(() => []) };
for (let i = 0; i < n; i++) {
  const sql = shapes[i % shapes.length](i);
  const order = i % 2 === 0 ? ['leadsScan', 'projection'] : ['projection', 'leadsScan'];
  const res = {};
  for (const k of order) {
    const [run, side] = runs[k];
    const c0 = cpuSeconds(pid);
    const s = performance.now();
    res[k] = await run(sql[side]);
    const ms = performance.now() - s;
    cpu[k] += cpuSeconds(pid) - c0;
    wall[k].push(ms);
    byShape[k][i % shapes.length].push(ms);
  }
  if (JSON.stringify(res.leadsScan) !== JSON.stringify(res.projection))
    throw new Error(`mismatch ${sql[0]}: leads ${res.leadsScan} vs projection ${res.projection}`);
}
const pct = (s, p) =>
  Math.round([...s].sort((x, y) => x - y)[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
const [{ leads, suppressed, leadsMb, projectionMb }] = (
  await a.query(
    `SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM suppressions) AS suppressed,
       pg_relation_size('leads') / 1048576 AS "leadsMb", pg_relation_size('lead_audience') / 1048576 AS "projectionMb"`,
  )
).rows;
const summary = (k) => ({
  p50Ms: pct(wall[k], 50),
  p95Ms: pct(wall[k], 95),
  // score range; tag + score; status + score; source + created since
  p50MsByShape: byShape[k].map((t) => pct(t, 50)),
  backendCpuMsPerQuery: Math.round((cpu[k] * 1000) / n),
});
print({
  leads,
  suppressed,
  tableMb: { leads: Number(leadsMb), leadAudience: Number(projectionMb) },
  queries: n,
  parallelWorkers: !serial,
  leadsScan: summary('leadsScan'),
  projection: summary('projection'),
  sameCounts: true,
});
await a.end();
