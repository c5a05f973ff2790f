// What the campaign ledger's writes cost PostgreSQL, per recipient, printed as JSON: the three writes
// every message makes (the materializer's INSERT, the send loop's claim of 200 rows, and its record of
// the outcomes 50 at a time, with the sender's SQL shapes), run serially on one connection so the
// backend's CPU time (from /proc) is the statements' own, with no lock waits. Each layout is measured
// on the same fresh, migrated database:
//  - "migrated": the schema as the migrations leave it (provider-id index on WhatsApp rows only),
//  - "fullProviderIndex": the provider-id index on every row (the layout before 1796720000000),
//  - "claimWithoutStatus" (an experiment, not what the sender does): the claim leaves `status` alone
//    and the table has room on each page (fillfactor 60), so the claim is a HOT update that writes no
//    index entry.
// Each claim starts after the last row claimed, as the send loop's do; --no-cursor scans from the start
// every time (what the send loop did before), whose cost per row grows with the campaign.
// Usage: npm run build:backend && node bench/ledger-writes.mjs [--rows 40000] [--repeat 3] [--no-cursor]
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createDatabase, numberArg, print, requireBuild, root } from './lib.mjs';

const rows = numberArg('rows', 40_000);
const repeat = numberArg('repeat', 3);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ASYNC = `async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)`;

requireBuild();
const db = await createDatabase(adminUrl);
const migrated = spawnSync(process.execPath, [join(root, 'dist/backend/database/migrate.js')], {
  env: { PATH: process.env.PATH, DATABASE_URL: db.url },
  encoding: 'utf8',
});
if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
const cpu = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks of 10 ms
};
const timed = async (fn) => {
  const before = cpu();
  await fn();
  return cpu() - before;
};

async function layout(name) {
  await client.query(`TRUNCATE campaign_recipients, campaigns`);
  await client.query(`DROP INDEX idx_campaign_recipients_provider_id`);
  await client.query(
    name === 'fullProviderIndex'
      ? `CREATE INDEX idx_campaign_recipients_provider_id ON campaign_recipients (provider_message_id)`
      : `CREATE INDEX idx_campaign_recipients_provider_id ON campaign_recipients (provider_message_id) WHERE channel = 'whatsapp'`,
  );
  await client.query(
    name === 'claimWithoutStatus'
      ? `ALTER TABLE campaign_recipients SET (fillfactor = 60)`
      : `ALTER TABLE campaign_recipients RESET (fillfactor)`,
  );
  await client.query('VACUUM ANALYZE campaign_recipients');
}

async function run(name, cursor) {
  await layout(name);
  const org = randomUUID();
  const [{ id: campaign }] = (
    await client.query(
      `INSERT INTO campaigns (organization_id, name, channel, status, materialized) VALUES ($1, 'bench', 'email', 'sending', true) RETURNING id`,
      [org],
    )
  ).rows;
  const insert = await timed(() =>
    client.query(
      `INSERT INTO campaign_recipients (organization_id, campaign_id, lead_id, channel, address)
       SELECT $1, $2, gen_random_uuid(), 'email', 'lead-' || g || '@bench.example' FROM generate_series(1, $3) g`,
      [org, campaign, rows],
    ),
  );
  const hot = name === 'claimWithoutStatus';
  let claim = 0;
  let record = 0;
  // Like the send loop: each claim starts after the last row it claimed; from the start again once
  // nothing is left after it (released and retried rows), and the campaign is done when that finds nothing too.
  let after = null;
  for (;;) {
    const token = randomUUID();
    let claimed = [];
    claim += await timed(async () => {
      claimed = (
        await client.query(
          `WITH ${ASYNC}, picked AS (
             SELECT id FROM campaign_recipients
             WHERE campaign_id = $1 AND status = 'queued' AND ${hot ? 'claim_token IS NULL' : '(next_attempt_at IS NULL OR next_attempt_at <= now())'}
               ${cursor && after !== null ? 'AND id > $3::uuid' : ''}
             ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED)
           UPDATE campaign_recipients r SET ${hot ? '' : "status = 'sending', "}claim_token = $2,
             claimed_until = now() + interval '60 seconds', attempts = r.attempts + 1, updated_at = now()
           FROM picked, async_commit WHERE r.id = picked.id RETURNING r.id`,
          [campaign, token, ...(cursor && after !== null ? [after] : [])],
        )
      ).rows;
    });
    if (claimed.length === 0) {
      if (after === null || !cursor) break;
      after = null;
      continue;
    }
    after = claimed.reduce((max, r) => (r.id > max ? r.id : max), claimed[0].id);
    record += await timed(async () => {
      for (let i = 0; i < claimed.length; i += 50) {
        const group = claimed.slice(i, i + 50);
        await client.query(
          `WITH ${ASYNC}, o AS (SELECT * FROM unnest($3::uuid[], $4::text[]) AS o(id, pmid)),
           rel AS (
             UPDATE campaign_recipients r SET status = 'sent', provider_message_id = o.pmid, error = NULL,
               sent_at = now(), next_attempt_at = NULL, claim_token = NULL, claimed_until = NULL, updated_at = now()
             FROM o WHERE r.id = o.id AND r.claim_token = $2 AND r.status = ${hot ? "'queued'" : "'sending'"}
             RETURNING r.status AS after)
           UPDATE campaigns SET sent = sent + (SELECT count(*) FROM rel) FROM async_commit WHERE id = $1`,
          [campaign, token, group.map((r) => r.id), group.map((r) => `<${r.id}@bench.example>`)],
        );
      }
    });
  }
  const us = (seconds) => Math.round((seconds * 1e6) / rows);
  return { insert: us(insert), claim: us(claim), record: us(record), total: us(insert + claim + record) };
}

const layouts = ['migrated', 'fullProviderIndex', 'claimWithoutStatus'];
const cursorArg = !process.argv.includes('--no-cursor');
const runs = Object.fromEntries(layouts.map((l) => [l, []]));
try {
  for (let i = 0; i < repeat; i++) for (const l of layouts) runs[l].push(await run(l, cursorArg));
} finally {
  await client.end();
  await db.drop();
}
// The median run of each layout (by total), so one disturbed run does not decide.
const median = (list) => [...list].sort((a, b) => a.total - b.total)[Math.floor(list.length / 2)];
print({
  settings: { rows, repeat, claimBatch: 200, recordGroup: 50 },
  postgresCpuMicrosecondsPerRecipient: Object.fromEntries(layouts.map((l) => [l, median(runs[l])])),
  runs,
});
