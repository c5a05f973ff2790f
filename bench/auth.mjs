// What authentication costs (issue 3), printed as JSON:
//  - requests/s of an authenticated GET /api/auth/me next to the public GET /health, same run
//  - sign-in latency (argon2id m=19 MiB, t=2, p=1), sequential logins
// Usage: npm run build && node bench/auth.mjs [--duration 10] [--connections 32] [--logins 30] [--rounds 1]
//   --rounds N: measure both N times, taking turns (the first alternating), and report the median ratio
import { cpus } from 'node:os';
import { createDatabase, load, numberArg, percentile, print, requireBuild, startApi, tempDir } from './lib.mjs';

const duration = numberArg('duration', 10);
const connections = numberArg('connections', 32);
const logins = numberArg('logins', 30);
const rounds = numberArg('rounds', 1);
const email = 'bench-owner@example.com';
const password = 'bench-password-0123';

async function login() {
  const res = await fetch(`${api.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return (await res.json()).accessToken;
}

requireBuild();
const data = tempDir('meridian-bench-auth-');
// With DATABASE_URL: a fresh database on that server (production profile); else embedded PGlite.
const db = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
const api = await startApi({
  DATA_DIR: data.dir,
  LOG_LEVEL: 'warn',
  ADMIN_EMAIL: email,
  ADMIN_PASSWORD: password,
  ...(db
    ? { DATABASE_URL: db.url, JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789', DB_MIGRATE_ON_START: 'true' }
    : {}),
});
const result = {
  machine: { cpus: cpus().length, node: process.version },
  settings: { duration, connections, logins, rounds },
  profile: db ? 'production (PostgreSQL)' : 'embedded (PGlite)',
};
try {
  const times = [];
  let token;
  for (let i = 0; i < logins; i++) {
    const t = performance.now();
    token = await login();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  result.loginMs = {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    argon2id: { memoryKiB: 19456, timeCost: 2, parallelism: 1 },
  };

  const measure = {
    health: () => load(`${api.url}/health`, { connections, duration }),
    authMe: () =>
      load(`${api.url}/api/auth/me`, { connections, duration, headers: { authorization: `Bearer ${token}` } }),
  };
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    const run = {};
    for (const side of round % 2 === 0 ? ['health', 'authMe'] : ['authMe', 'health']) run[side] = await measure[side]();
    runs.push({ ...run, ratio: +(run.authMe.requestsPerSec / run.health.requestsPerSec).toFixed(3) });
  }
  const ratios = runs.map((r) => r.ratio).sort((a, b) => a - b);
  const mid =
    ratios.length % 2
      ? ratios[(ratios.length - 1) / 2]
      : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
  result.throughput =
    rounds === 1 ? runs[0] : { ratio: +mid.toFixed(3), ratios: runs.map((r) => r.ratio), rounds: runs };
} finally {
  await api.stop();
  data.remove();
  await db?.drop();
}
print(result);
