// The audience count's SQL side by side on one database, printed as JSON: the two scans it used to run
// (in parallel, on two connections, as the service did), the one scan with the suppressions LEFT JOINed,
// the one scan with the suppressed test as a hashed IN, and the plain scan with suppressed addresses looked up
// by index (what LeadAudienceService.count runs now, up to 20,000 suppressed addresses).
// Alternated query by query on the same filters, so a noisy machine affects all three alike; every
// variant must give the same numbers. Needs a database with many leads, for example:
//   DATABASE_URL=postgres://.../db npm run seed:demo -- --leads 1000000
//   DATABASE_URL=postgres://.../db node bench/audience-count-sql.mjs [--queries 24]
import pg from 'pg';
import { numberArg, print } from './lib.mjs';
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const a = new pg.Client({ connectionString: url });
const b = new pg.Client({ connectionString: url });
await a.connect();
await b.connect();
const [{ id: org }] = (await a.query('SELECT id FROM organizations LIMIT 1')).rows;
const HAS = 'l.email IS NOT NULL AND l.deleted_at IS NULL AND l.merged_into_id IS NULL';
const CONS = 'l.consent_email AND l.unsubscribed_at IS NULL';
const NOTSUP =
  "NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.organization_id = l.organization_id AND s.channel = 'email' AND s.address = lower(btrim(l.email)))";
const T0 = Date.now();
const shapes = [
  (i) => `l.score >= ${i % 100}`,
  (i) => `l.tags && ARRAY['vip'] AND l.score <= ${100 - (i % 100)}`,
  (i) => `l.status IN ('qualified','contacted') AND l.score >= ${i % 100}`,
  (i) => `l.source IN ('web','import') AND l.created_at >= '${new Date(T0 - (i + 1) * 86_400_000).toISOString()}'`,
];
const where = (f) => `l.organization_id = '${org}' AND l.merged_into_id IS NULL AND l.deleted_at IS NULL AND ${f}`;
const oldQ = async (f) => {
  const [x, y] = await Promise.all([
    a.query(
      `SELECT count(*)::int m, count(*) FILTER (WHERE NOT (${HAS}))::int na, count(*) FILTER (WHERE (${HAS}) AND NOT (${CONS}))::int nc FROM leads l WHERE ${where(f)}`,
    ),
    b.query(`SELECT count(*)::int e FROM leads l WHERE ${where(f)} AND (${HAS}) AND (${CONS}) AND ${NOTSUP}`),
  ]);
  const r = x.rows[0];
  return [r.m, r.na, r.nc, r.m - r.na - r.nc - y.rows[0].e];
};
const newQ = async (f) => {
  const r = (
    await a.query(`SELECT count(*)::int m, count(*) FILTER (WHERE NOT (${HAS}))::int na, count(*) FILTER (WHERE (${HAS}) AND NOT (${CONS}))::int nc,
    count(*) FILTER (WHERE (${HAS}) AND (${CONS}) AND s.id IS NOT NULL)::int sup
    FROM leads l LEFT JOIN suppressions s ON s.organization_id = l.organization_id AND s.channel = 'email' AND s.address = lower(btrim(l.email)) WHERE ${where(f)}`)
  ).rows[0];
  return [r.m, r.na, r.nc, r.sup];
};
const inQ = async (f) => {
  const r = (
    await a.query(
      `SELECT count(*)::int m, count(*) FILTER (WHERE NOT (${HAS}))::int na, count(*) FILTER (WHERE (${HAS}) AND NOT (${CONS}))::int nc,
    count(*) FILTER (WHERE (${HAS}) AND (${CONS}) AND lower(btrim(l.email)) IN (SELECT s.address FROM suppressions s WHERE s.organization_id = $1 AND s.channel = 'email'))::int sup
    FROM leads l WHERE ${where(f)}`,
      [org],
    )
  ).rows[0];
  return [r.m, r.na, r.nc, r.sup];
};
// What LeadAudienceService.count runs now (emails are stored trimmed, chk_leads_email_trimmed): a scan
// testing plain columns only, and each suppressed address looked up through the unique index on lower(email).
const lookupQ = async (f) => {
  const r = (
    await a.query(
      `SELECT count(*)::int m, count(*) FILTER (WHERE NOT (${HAS}))::int na, count(*) FILTER (WHERE (${HAS}) AND NOT (${CONS}))::int nc,
    (SELECT count(*)::int FROM (SELECT s.address FROM suppressions s WHERE s.organization_id = $1 AND s.channel = 'email') sup
       CROSS JOIN LATERAL (SELECT 1 FROM (SELECT * FROM leads l WHERE l.organization_id = $1 AND lower(l.email) = sup.address AND ${HAS} OFFSET 0) l
         WHERE ${where(f)} AND (${CONS})) hit) sup
    FROM leads l WHERE ${where(f)}`,
      [org],
    )
  ).rows[0];
  return [r.m, r.na, r.nc, r.sup];
};
const n = numberArg('queries', 24);
const t = { old: [], new: [], in: [], lookup: [] };
const run = { old: oldQ, new: newQ, in: inQ, lookup: lookupQ };
for (let i = 0; i < n; i++) {
  const f = shapes[i % 4](i);
  const order = [
    ['old', 'new', 'in', 'lookup'],
    ['new', 'in', 'lookup', 'old'],
    ['in', 'lookup', 'old', 'new'],
    ['lookup', 'old', 'new', 'in'],
  ][i % 4];
  const res = {};
  for (const k of order) {
    const s = performance.now();
    res[k] = await run[k](f);
    t[k].push(performance.now() - s);
  }
  for (const k of ['old', 'in', 'lookup'])
    if (JSON.stringify(res[k]) !== JSON.stringify(res.new))
      throw new Error(`mismatch ${f}: ${k} ${res[k]} vs ${res.new}`);
}
const pct = (s, p) => Math.round(s.sort((x, y) => x - y)[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
const [{ leads, suppressed }] = (
  await a.query(
    `SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM suppressions) AS suppressed`,
  )
).rows;
print({
  leads,
  suppressed,
  queries: n,
  oldTwoScans: { p50: pct(t.old, 50), p95: pct(t.old, 95) },
  oneScanLeftJoin: { p50: pct(t.new, 50), p95: pct(t.new, 95) },
  oneScanHashedIn: { p50: pct(t.in, 50), p95: pct(t.in, 95) },
  plainScanIndexLookups: { p50: pct(t.lookup, 50), p95: pct(t.lookup, 95) },
  sameCounts: true,
});
await a.end();
await b.end();
