// Campaign sending at scale (issue 9), printed as JSON. Needs PostgreSQL (DATABASE_URL, or the
// local default) and redis-server on the PATH (a throwaway one on a spare port). In one run:
//  - an SMTP sink on loopback that accepts and discards, in this process: --sink lean
//    bench/lean-smtp-sink.mjs on net sockets, little CPU of its own) or --sink smtp-server (the npm package, default),
//  - the built API (production profile) and 1, then 2, built worker processes: deliveries/s of an
//    N-recipient email campaign each time, and each worker's peak RSS,
//  - raw BullMQ: N no-op jobs through 1, then 2, worker processes with the same concurrency, same Redis,
//  - the audience count (POST /api/audiences/count) p95 over 1M leads (scripts/seed-demo.ts), 1% of
//    them suppressed (--audience-suppressed).
// Usage: npm run build:backend && node bench/campaigns.mjs [--recipients 100000] [--audience-leads 1000000]
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { startLeanSink } from './lean-smtp-sink.mjs';
import {
  authHeaders,
  cpuSeconds,
  createDatabase,
  freePort,
  numberArg,
  percentile,
  pidsNamed,
  print,
  requireBuild,
  root,
  rssMb,
  sleep,
  startApi,
  stop,
  tempDir,
} from './lib.mjs';

const recipients = numberArg('recipients', 100_000);
const audienceLeads = numberArg('audience-leads', 1_000_000);
const countRequests = numberArg('count-requests', 40);
const slots = numberArg('slots', 4);
const batch = numberArg('batch', 200);
const smtpPool = numberArg('smtp-pool', 8);
const sinkKind = process.argv.includes('--sink') ? process.argv[process.argv.indexOf('--sink') + 1] : 'smtp-server';
if (!['lean', 'smtp-server'].includes(sinkKind)) throw new Error('--sink lean|smtp-server');
// Share of the audience leads whose address is on the suppression list (bounced, complained...).
const suppressedShare = numberArg('audience-suppressed', 0.01);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const email = 'bench-owner@example.com';
const password = 'bench-password-0123';

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => String(c).includes('Ready to accept') && resolve());
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, port, child, stop: () => stop(child) };
}

async function startSink() {
  let accepted = 0;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        accepted++;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    accepted: () => accepted,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

function spawnNode(file, env) {
  // BENCH_CPU_PROF=<dir>: a CPU profile of each worker, written when it stops.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, file], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  return { child, stderr: () => stderr };
}

/**
 * RSS of some processes, sampled every 250 ms until stopped: the peak of each, and each one's RSS at
 * every quarter of the run (flat memory shows as four close numbers).
 */
function sampleRss(children) {
  const samples = new Map(children.map((c) => [c.pid, []]));
  const timer = setInterval(() => {
    for (const c of children) {
      try {
        samples.get(c.pid).push(rssMb(c.pid));
      } catch {
        /* exited */
      }
    }
  }, 250);
  return () => {
    clearInterval(timer);
    const all = [...samples.values()];
    return {
      peak: all.map((s) => Math.max(0, ...s)),
      quarters: all.map((s) => [1, 2, 3, 4].map((q) => s[Math.max(0, Math.ceil((q / 4) * s.length) - 1)] ?? 0)),
    };
  };
}

/**
 * CPU seconds used by each part while a campaign sends: the worker processes, PostgreSQL (every backend
 * alive at the end, which includes the workers' pooled connections), Redis, the API, and this process
 * (mostly the SMTP sink). Divided by the messages, it shows what one delivery costs and where.
 */
function cpuMeter(parts) {
  // Per pid, so that a backend that starts or ends during the run counts only for its own time.
  const read = () => {
    const out = {};
    for (const [name, pids] of Object.entries(parts())) {
      out[name] = new Map();
      for (const pid of pids) {
        try {
          out[name].set(pid, cpuSeconds(pid));
        } catch {
          /* exited */
        }
      }
    }
    const self = process.cpuUsage();
    out.sinkAndBench = new Map([[process.pid, (self.user + self.system) / 1e6]]);
    return out;
  };
  const before = read();
  return (messages) => {
    const after = read();
    const seconds = {};
    const perMessageUs = {};
    let total = 0;
    for (const [name, pids] of Object.entries(after)) {
      let used = 0;
      for (const [pid, s] of pids) used += s - (before[name]?.get(pid) ?? 0);
      seconds[name] = +used.toFixed(2);
      perMessageUs[name] = Math.round((used * 1e6) / Math.max(1, messages));
      total += used;
    }
    perMessageUs.total = Math.round((total * 1e6) / Math.max(1, messages));
    return { seconds, perMessageUs };
  };
}

/** N no-op jobs through `processes` BullMQ workers (concurrency `concurrency` each): jobs/s. */
async function rawBullmq(redisUrl, n, processes, concurrency) {
  const { Queue } = await import('bullmq');
  const name = `bench-noop-${processes}`;
  const u = new URL(redisUrl);
  const connection = { host: u.hostname, port: Number(u.port) };
  const queue = new Queue(name, { connection, prefix: 'bench' });
  for (let i = 0; i < n; i += 5_000)
    await queue.addBulk(
      Array.from({ length: Math.min(5_000, n - i) }, (_, k) => ({
        name: 'noop',
        data: { i: i + k },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
  const script = `
    const { Worker } = require(${JSON.stringify(join(root, 'node_modules/bullmq'))});
    const w = new Worker(${JSON.stringify(name)}, async () => undefined,
      { connection: ${JSON.stringify(connection)}, prefix: 'bench', concurrency: ${concurrency}, removeOnComplete: { count: 0 } });
    process.on('SIGTERM', () => w.close().then(() => process.exit(0)));`;
  const started = performance.now();
  const workers = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'active');
    if ((c.waiting ?? 0) + (c.active ?? 0) === 0) break;
    await sleep(100);
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => stop(w)));
  await queue.obliterate({ force: true });
  await queue.close();
  return { processes, concurrency, jobs: n, seconds: +seconds.toFixed(2), jobsPerSecond: Math.round(n / seconds) };
}

class Skip extends Error {}

requireBuild();
const db = await createDatabase(adminUrl);
const data = tempDir('meridian-bench-campaigns-');
const redis = await startRedis();
const sink = sinkKind === 'lean' ? await startLeanSink() : await startSink();
const result = { settings: { sink: sinkKind, recipients, audienceLeads, suppressedShare, slots, batch, smtpPool } };
let api;
const client = new pg.Client({ connectionString: db.url });
try {
  const engine = {
    CAMPAIGN_EMAIL_RATE_PER_SECOND: '1000000',
    CAMPAIGN_SEND_SLOTS: String(slots),
    CAMPAIGN_BATCH_SIZE: String(batch),
    SMTP_POOL_SIZE: String(smtpPool),
  };
  const env = {
    DATA_DIR: data.dir,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    SMTP_URL: sink.url,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    DB_MIGRATE_ON_START: 'true',
    SERVE_CONSOLE: 'false',
    ...engine,
  };
  api = await startApi(env);
  const headers = { ...(await authHeaders(api.url, email, password)) };
  await client.connect();
  const [{ id: orgId }] = (await client.query('SELECT id FROM organizations LIMIT 1')).rows;
  await client.query(
    `INSERT INTO leads (organization_id, first_name, last_name, email, tags, consent_email)
     SELECT $1, 'Bench', 'Lead ' || g, 'bench-' || g || '@sink.example', ARRAY['bench'], true
     FROM generate_series(1, $2::int) g`,
    [orgId, recipients],
  );
  await client.query('ANALYZE leads');

  const workerEnv = { ...env, WORKER_METRICS_PORT: '0', WORKER_CONCURRENCY: String(slots + 1), DB_POOL_SIZE: '10' };
  const api$ = (method, path, body) =>
    fetch(`${api.url}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined }).then((r) =>
      r.json(),
    );

  async function campaignRun(processes) {
    const workers = Array.from({ length: processes }, () => spawnNode(join(root, 'dist/backend/worker.js'), workerEnv));
    await sleep(3_000); // boot
    const campaign = await api$('POST', '/api/campaigns', {
      name: `Bench ${processes}`,
      channel: 'email',
      audience: { filter: { tag: ['bench'] } },
      email: {
        subject: 'Hello {{ firstName | default: "there" }}',
        html: '<p>Hi {{ firstName | default: "there" }}, read <a href="https://example.com/news">the news</a>.</p>',
      },
    });
    const before = sink.accepted();
    const peak = sampleRss(workers.map((w) => w.child));
    const cpu = cpuMeter(() => ({
      workers: workers.map((w) => w.child.pid),
      postgres: pidsNamed('postgres'),
      redis: [redis.child.pid],
      api: [api.child.pid],
    }));
    const scheduled = await api$('POST', `/api/campaigns/${campaign.id}/schedule`, {});
    if (scheduled.status !== 'sending') throw new Error(`schedule: ${JSON.stringify(scheduled)}`);
    let first = null;
    for (;;) {
      const delivered = sink.accepted() - before;
      if (delivered > 0 && first === null) first = performance.now();
      const [row] = (await client.query('SELECT status FROM campaigns WHERE id = $1', [campaign.id])).rows;
      if (row.status === 'completed') break;
      if (workers.some((w) => w.child.exitCode !== null))
        throw new Error(`a worker exited: ${workers.map((w) => w.stderr()).join('\n')}`);
      await sleep(50);
    }
    const seconds = (performance.now() - first) / 1000;
    const rss = peak();
    const cpuUse = cpu(sink.accepted() - before);
    const [stats] = (
      await client.query(
        'SELECT total, sent, failed, extract(epoch FROM completed_at - started_at) AS s FROM campaigns WHERE id = $1',
        [campaign.id],
      )
    ).rows;
    await Promise.all(workers.map((w) => stop(w.child)));
    return {
      processes,
      recipients: stats.total,
      sent: stats.sent,
      failed: stats.failed,
      smtpDeliveries: sink.accepted() - before,
      seconds: +seconds.toFixed(2),
      deliveriesPerSecond: Math.round(stats.sent / seconds),
      startToCompleteSeconds: +Number(stats.s).toFixed(2),
      workerPeakRssMb: rss.peak,
      workerRssMbByQuarter: rss.quarters,
      cpuSeconds: cpuUse.seconds,
      cpuMicrosecondsPerDelivery: cpuUse.perMessageUs,
    };
  }

  result.campaign = [await campaignRun(1), await campaignRun(2)];
  result.rawBullmq = [
    await rawBullmq(redis.url, recipients, 1, slots + 1),
    await rawBullmq(redis.url, recipients, 2, slots + 1),
  ];
  result.ratioToRawBullmq = result.campaign.map(
    (c, i) => +(c.deliveriesPerSecond / result.rawBullmq[i].jobsPerSecond).toFixed(2),
  );

  if (audienceLeads <= recipients) throw new Skip();
  // Audience count at scale: the demo seed adds leads of its own (half consented).
  const seed = spawnSync(
    'npx',
    ['ts-node', '-T', '-P', 'tsconfig.json', 'scripts/seed-demo.ts', '--leads', String(audienceLeads - recipients)],
    { cwd: root, env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (seed.status !== 0) throw new Error('seeding failed');
  await client.query(
    `INSERT INTO suppressions (organization_id, channel, address, reason)
     SELECT organization_id, 'email', lower(btrim(email)), 'hard_bounce' FROM leads
     WHERE email IS NOT NULL AND deleted_at IS NULL AND random() < $1
     ON CONFLICT DO NOTHING`,
    [suppressedShare],
  );
  // What autovacuum does after a bulk insert (hint bits, visibility map, statistics); without it the
  // first counts also pay for setting the hint bits of a million fresh rows.
  await client.query('VACUUM ANALYZE leads');
  await client.query('VACUUM ANALYZE lead_audience'); // the count's narrow copy (autovacuum vacuums insert-only tables too)
  await client.query('ANALYZE suppressions');
  const [{ shared_buffers: sharedBuffers }] = (await client.query('SHOW shared_buffers')).rows;
  const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM leads')).rows;
  const [{ s: suppressed }] = (await client.query('SELECT count(*)::int AS s FROM suppressions')).rows;
  Object.assign(headers, await authHeaders(api.url, email, password)); // the campaigns took longer than a token lives
  // Cold: every request a filter not asked before (no reuse); warm: the editor asking the same again within 5 s.
  const shapes = [
    (i) => ({ scoreMin: i % 100 }),
    (i) => ({ tag: ['vip'], scoreMax: 100 - (i % 100) }),
    (i) => ({ status: ['qualified', 'contacted'], scoreMin: i % 100 }),
    (i) => ({ source: ['web', 'import'], createdFrom: new Date(Date.now() - (i + 1) * 86_400_000).toISOString() }),
  ];
  const timeCounts = async (filterOf) => {
    const timings = [];
    const byShape = shapes.map(() => []);
    let last;
    for (let i = 0; i < countRequests; i++) {
      const started = performance.now();
      last = await api$('POST', '/api/audiences/count', { channel: 'email', filter: filterOf(i) });
      if (last.matching === undefined) throw new Error(`count answered ${JSON.stringify(last)}`);
      timings.push(performance.now() - started);
      byShape[i % shapes.length].push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    return {
      requests: countRequests,
      p50Ms: percentile(timings, 50),
      p95Ms: percentile(timings, 95),
      maxMs: percentile(timings, 100),
      // score range; tag + score; status + score; source + created since
      p50MsByShape: byShape.map((t) =>
        percentile(
          t.sort((a, b) => a - b),
          50,
        ),
      ),
      sample: last,
    };
  };
  result.audienceCount = {
    leads: n,
    suppressed,
    sharedBuffers,
    cold: await timeCounts((i) => shapes[i % shapes.length](i)),
    warm: await timeCounts((i) => shapes[i % shapes.length](0)),
  };
  result.goals = {
    deliveriesPerSecondAtLeast5000: Math.max(...result.campaign.map((c) => c.deliveriesPerSecond)) >= 5_000,
    ratioAtLeast0_6: Math.max(...result.ratioToRawBullmq) >= 0.6,
    audienceCountColdP95Under300Ms: result.audienceCount.cold.p95Ms < 300,
  };
} catch (err) {
  if (!(err instanceof Skip)) throw err;
} finally {
  await client.end().catch(() => undefined);
  if (api) await api.stop();
  await sink.stop();
  await redis.stop();
  await db.drop();
  data.remove();
}
print(result);
