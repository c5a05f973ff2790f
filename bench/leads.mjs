// Leads at scale (issue 4), printed as JSON. Needs PostgreSQL (DATABASE_URL, or the local
// default): a fresh database gets the migrations, an owner and N generated leads, then
//  - GET /api/leads first page, a deep page (by cursor, ~90% down) and a filtered search:
//    requests/s and latency at 32 connections,
//  - the same SQL served by bare Fastify + pg in the same run (the ratio).
// Usage: npm run build && node bench/leads.mjs [--leads 1000000] [--duration 8] [--connections 32]
//        [--rounds 1]  measure each scenario this many times, Meridian and the baseline taking
//                      turns (both servers up), and report the median ratio: steadier when the
//                      machine's load drifts during the run
//        [--db NAME]   keep the bench database NAME: seeded on the first run, reused (not re-seeded,
//                      not dropped) when it already holds the leads; drop it yourself when done.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import {
  createDatabase,
  freePort,
  load,
  numberArg,
  print,
  requireBuild,
  root,
  sleep,
  startApi,
  stop,
  tempDir,
} from './lib.mjs';

const leads = numberArg('leads', 1_000_000);
const duration = numberArg('duration', 8);
const connections = numberArg('connections', 32);
const rounds = numberArg('rounds', 1);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const email = 'bench-owner@example.com';
const password = 'bench-password-0123';

requireBuild();
const dbArg = process.argv.indexOf('--db');
const db = dbArg > 0 ? await namedDatabase(adminUrl, process.argv[dbArg + 1]) : await createDatabase(adminUrl);
const data = tempDir('meridian-bench-leads-');
const result = { settings: { leads, duration, connections, rounds } };
let bare;
let api;
try {
  const env = {
    DATA_DIR: data.dir,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    DATABASE_URL: db.url,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    DB_MIGRATE_ON_START: 'true',
  };
  api = await startApi(env);
  if ((await countLeads(db.url)) >= leads) {
    result.seedSeconds = 'reused';
  } else {
    const seeded = performance.now();
    const seed = spawnSync(
      'npx',
      ['ts-node', '-T', '-P', 'tsconfig.json', 'scripts/seed-demo.ts', '--leads', String(leads)],
      { cwd: root, env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (seed.status !== 0) throw new Error('seeding failed');
    result.seedSeconds = +((performance.now() - seeded) / 1000).toFixed(1);
  }

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const [{ id: orgId }] = (await client.query('SELECT id FROM organizations LIMIT 1')).rows;
  const deep = (
    await client.query(
      `SELECT created_at, id FROM leads WHERE organization_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
      [orgId, Math.floor(leads * 0.9)],
    )
  ).rows[0];
  await client.end();
  const cursor = Buffer.from(JSON.stringify([deep.created_at.toISOString(), deep.id])).toString('base64url');

  const login = await (
    await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  ).json();
  const headers = { authorization: `Bearer ${login.accessToken}` };
  const scenarios = {
    firstPage: '?limit=50',
    deepPage: `?limit=50&cursor=${cursor}`,
    filteredSearch: '?limit=50&q=ana%20lim&status=qualified',
  };
  const port = await freePort();
  bare = spawn(process.execPath, [join(root, 'bench/bare-leads.mjs')], {
    env: { PATH: process.env.PATH, PORT: String(port), DATABASE_URL: db.url, ORG_ID: orgId },
    stdio: 'ignore',
  });
  await sleep(1_000);
  const runs = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, qs] of Object.entries(scenarios)) {
      const measure = {
        meridian: () => load(`${api.url}/api/leads${qs}`, { connections, duration, headers }),
        bareFastifyPg: () => load(`http://127.0.0.1:${port}/leads${qs}`, { connections, duration }),
      };
      // Taking turns, the one that goes first alternating: drift in the machine's load hits both.
      const order = round % 2 === 0 ? ['meridian', 'bareFastifyPg'] : ['bareFastifyPg', 'meridian'];
      const run = {};
      for (const side of order) run[side] = await measure[side]();
      runs[name].push({ ...run, ratio: +(run.meridian.requestsPerSec / run.bareFastifyPg.requestsPerSec).toFixed(3) });
    }
  }
  await api.stop();
  api = undefined;
  await stop(bare);
  bare = undefined;

  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : +((s[s.length / 2 - 1] + s[s.length / 2]) / 2).toFixed(3);
  };
  result.scenarios = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      rounds === 1
        ? list[0]
        : { ratio: median(list.map((r) => r.ratio)), ratios: list.map((r) => r.ratio), rounds: list },
    ]),
  );
} finally {
  if (api) await api.stop();
  if (bare) await stop(bare);
  data.remove();
  await db.drop();
}
print(result);

/** The database NAME on the server of `adminUrl`, created when missing; never dropped. */
async function namedDatabase(adminUrl, name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name ?? '')) throw new Error('--db takes a lowercase database name');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => {} };
}

async function countLeads(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM leads')).rows[0].n);
  } finally {
    await client.end();
  }
}
