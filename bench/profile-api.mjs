// CPU profile of the built API under load, for finding hot paths (see docs/monitoring.md).
// Usage: DATABASE_URL=<a database seeded by bench/leads.mjs --db NAME> node bench/profile-api.mjs <distDir> <first|deep|me> <outDir>
// Summarise the .cpuprofile written to outDir with Chrome DevTools or speedscope.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { freePort, load, sleep } from './lib.mjs';
const [distDir, scenario, outDir] = process.argv.slice(2);
const dbUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/meridian_bench_wtlp';
const port = await freePort();
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${outDir}`, `${distDir}/backend/main.js`], {
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    DATA_DIR: '/tmp/wtlp/data',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'bench-owner@example.com',
    ADMIN_PASSWORD: 'bench-password-0123',
    DATABASE_URL: dbUrl,
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    DB_MIGRATE_ON_START: 'true',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (;;) {
  try {
    if ((await fetch(`${url}/health/ready`)).status === 200) break;
  } catch {}
  await sleep(100);
}
const login = await (
  await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench-owner@example.com', password: 'bench-password-0123' }),
  })
).json();
const headers = { authorization: `Bearer ${login.accessToken}` };
let path = '/api/leads?limit=50';
if (scenario === 'deep') {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const [{ id: orgId }] = (await c.query('SELECT id FROM organizations LIMIT 1')).rows;
  const d = (
    await c.query(
      `SELECT created_at, id FROM leads WHERE organization_id = $1 ORDER BY created_at DESC, id DESC OFFSET 900000 LIMIT 1`,
      [orgId],
    )
  ).rows[0];
  await c.end();
  path += `&cursor=${Buffer.from(JSON.stringify([d.created_at.toISOString(), d.id])).toString('base64url')}`;
}
if (scenario === 'me') path = '/api/auth/me';
await load(url + path, { connections: 32, duration: 2, headers });
console.log(JSON.stringify(await load(url + path, { connections: 32, duration: 10, headers })));
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
