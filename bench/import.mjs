// Lead import at scale (issue 4), printed as JSON. Needs PostgreSQL (DATABASE_URL, or the local
// default) and redis-server on the PATH (a throwaway one is started, so no other worker takes
// the job). A fresh database gets the migrations and an owner; then
//  - an N-row CSV is generated, uploaded (POST /api/lead-imports) and imported by the real
//    BullMQ worker process (policy skip): rows/s from start to the task's success, the
//    worker's peak RSS (memory must stay flat whatever N);
//  - the same rows go into the same table (another organization) by a raw multi-row INSERT
//    (pg, batches of 1000) in the same run: rows/s and the ratio.
// Usage: npm run build:backend && node bench/import.mjs [--rows 1000000]
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  authHeaders,
  createDatabase,
  freePort,
  numberArg,
  print,
  requireBuild,
  root,
  rssMb,
  sleep,
  startApi,
  stop,
  tempDir,
} from './lib.mjs';

const rows = numberArg('rows', 1_000_000);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const email = 'bench-owner@example.com';
const password = 'bench-password-0123';
const COLUMNS = ['Email', 'First name', 'Last name', 'Phone', 'Company', 'Job title', 'Tags'];
const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Inès', 'Jonas'];
const LAST = ['Lima', 'Müller', 'Okafor', 'Smith', 'García', 'Nguyen', 'Rossi', 'Kowalski', 'Dubois', 'Sato'];

/** Row i of the file, as values (the raw INSERT uses the same values, already normalised). */
function row(i) {
  return {
    email: `lead-${i}@bench.example`,
    firstName: FIRST[i % 10],
    lastName: LAST[Math.floor(i / 10) % 10],
    phone: `+44207${String(i % 10_000_000).padStart(7, '0')}`,
    company: `Company ${i % 5000}`,
    title: i % 3 === 0 ? 'Head of Marketing' : 'Engineer',
    tags: i % 2 === 0 ? 'bench,even' : 'bench',
  };
}

const quote = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeCsv(path) {
  const out = createWriteStream(path);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r)));
  await write(`${COLUMNS.join(',')}\n`);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    buf += `${[r.email, r.firstName, r.lastName, r.phone, r.company, r.title, r.tags].map(quote).join(',')}\n`;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise((resolve) => out.end(resolve));
}

function startRedis(port) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => String(c).includes('Ready to accept connections') && resolve(child));
    child.once('error', reject);
  });
}

/** The same rows, straight into the leads table: multi-row INSERTs of 1000 rows. */
async function rawInsert(url, organizationId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  for (let from = 0; from < rows; from += 1000) {
    const values = [];
    const params = [];
    for (let i = from; i < Math.min(rows, from + 1000); i++) {
      const r = row(i);
      const n = params.length;
      values.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, 'import')`);
      params.push(organizationId, r.firstName, r.lastName, r.email, r.phone, r.company, r.title, r.tags.split(','));
    }
    await client.query(
      `INSERT INTO leads (organization_id, first_name, last_name, email, phone, company, title, tags, source)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return seconds;
}

requireBuild();
const db = await createDatabase(adminUrl);
const data = tempDir('meridian-bench-import-');
const result = { settings: { rows, batch: 1000, duplicatePolicy: 'skip' } };
let api;
let worker;
let redis;
try {
  redis = await startRedis(await freePort());
  const redisUrl = `redis://127.0.0.1:${redis.spawnargs[2]}`;
  const env = {
    DATA_DIR: data.dir,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    DB_MIGRATE_ON_START: 'true',
  };
  api = await startApi(env);
  worker = spawn(process.execPath, [join(root, 'dist/backend/worker.js')], {
    env: { PATH: process.env.PATH, ...env, WORKER_METRICS_PORT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const csvPath = join(data.dir, 'bench.csv');
  let t0 = performance.now();
  await writeCsv(csvPath);
  result.csv = { bytes: statSync(csvPath).size, generateSeconds: +((performance.now() - t0) / 1000).toFixed(1) };

  const headers = await authHeaders(api.url, email, password);
  t0 = performance.now();
  const uploaded = await fetch(`${api.url}/api/lead-imports?filename=bench.csv`, {
    method: 'POST',
    headers: { authorization: headers.authorization, 'content-type': 'text/csv' },
    body: createReadStream(csvPath),
    duplex: 'half',
  });
  const preview = await uploaded.json();
  if (uploaded.status !== 201) throw new Error(`upload answered ${uploaded.status}: ${JSON.stringify(preview)}`);
  result.upload = {
    seconds: +((performance.now() - t0) / 1000).toFixed(2),
    estimatedRows: preview.estimatedRows,
    encoding: preview.encoding,
    delimiter: preview.delimiter,
  };

  t0 = performance.now();
  const started = await fetch(`${api.url}/api/lead-imports/${preview.id}/start`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ mapping: preview.suggestedMapping, duplicatePolicy: 'skip' }),
  });
  const task0 = await started.json();
  if (started.status !== 202) throw new Error(`start answered ${started.status}: ${JSON.stringify(task0)}`);
  let task;
  let peakRss = 0;
  for (;;) {
    peakRss = Math.max(peakRss, rssMb(worker.pid));
    task = await (await fetch(`${api.url}/api/tasks/${task0.id}`, { headers })).json();
    if (['succeeded', 'failed', 'cancelled'].includes(task.status)) break;
    if (worker.exitCode !== null) throw new Error(`worker exited (${worker.exitCode})`);
    await sleep(250);
  }
  const importSeconds = (performance.now() - t0) / 1000;
  if (task.status !== 'succeeded') throw new Error(`import ${task.status}: ${task.error}`);
  result.import = {
    seconds: +importSeconds.toFixed(2),
    rowsPerSec: Math.round(rows / importSeconds),
    counts: task.counts,
    workerPeakRssMb: peakRss,
    includes:
      'row count pass, CSV parse, per-row validation (lead API rules), INSERT … ON CONFLICT, imported timeline entries, checkpoints',
  };

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const [{ id: otherOrg }] = (await client.query(`INSERT INTO organizations (name) VALUES ('Raw') RETURNING id`)).rows;
  await client.end();
  const rawSeconds = await rawInsert(db.url, otherOrg);
  result.rawInsert = {
    seconds: +rawSeconds.toFixed(2),
    rowsPerSec: Math.round(rows / rawSeconds),
    includes: 'pre-normalised values, multi-row INSERT of 1000 rows per statement, leads table only',
  };
  result.ratio = +(result.import.rowsPerSec / result.rawInsert.rowsPerSec).toFixed(3);
} finally {
  if (worker) await stop(worker);
  if (api) await api.stop();
  if (redis) redis.kill('SIGKILL');
  await db.drop();
  data.remove();
}
print(result);
