import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { eventually, freePort } from './support/processes';
import { spawnBuilt, waitForExit, waitForReady } from './support/built-server';
import { loginAt } from './support/test-app';

/**
 * The promise of the quick start: the built server, started with no
 * environment at all (only PORT and a fresh DATA_DIR), runs on embedded
 * PostgreSQL with inline jobs and serves everything.
 */
describe('embedded profile: the built server with no environment', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output: () => string;
  let baseUrl: string;
  let auth: { headers: Record<string, string> } = { headers: {} };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-embedded-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    ({ child, output } = spawnBuilt('main.js', {
      PORT: String(port),
      DATA_DIR: dataDir,
      HEARTBEAT_INTERVAL_MS: '1000',
    }));
    await waitForReady(baseUrl, output);
    // No ADMIN_* variables: the first owner gets a generated password, printed once.
    const printed = /email:\s+(\S+)\s+│\s+│\s+password:\s+(\S+)/.exec(output());
    if (!printed) throw new Error(`no first-owner credentials printed:\n${output()}`);
    auth = { headers: { authorization: `Bearer ${await loginAt(baseUrl, printed[1], printed[2])}` } };
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await waitForExit(child, 10_000).catch(() => undefined);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches readiness and serves /api/system/health with every service healthy', async () => {
    const res = await fetch(`${baseUrl}/api/system/health`, auth);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      services: { name: string; status: string; details: Record<string, unknown> }[];
    };
    expect(body.status).toBe('healthy');
    const byName = Object.fromEntries(body.services.map((s) => [s.name, s]));
    expect(byName.database.details.driver).toBe('embedded-pglite');
    expect(byName.cache.details.backend).toBe('memory');
    expect(byName.queue.details.mode).toBe('inline');
  });

  it('runs the heartbeat job inline and records it in the embedded database', async () => {
    const beat = await eventually(async () => {
      const res = await fetch(`${baseUrl}/api/system/health`, auth);
      const body = (await res.json()) as { services: { name: string; details: Record<string, unknown> }[] };
      return body.services.find((s) => s.name === 'queue')?.details.lastHeartbeatAt as string | undefined;
    });
    expect(Date.now() - Date.parse(beat)).toBeLessThan(60_000);
  });

  it('prints the generated owner password to the console, never into the JSON log', () => {
    const jsonLines = output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const password = /password:\s+(\S+)/.exec(output())?.[1] ?? 'missing';
    expect(jsonLines.length).toBeGreaterThan(0);
    expect(jsonLines.some((l) => l.includes(password))).toBe(false);
  });

  it('reports the embedded profile', async () => {
    const info = (await (await fetch(`${baseUrl}/api/system/info`, auth)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ profile: 'embedded', components: { database: 'embedded-pglite', queue: 'inline' } });
  });

  it('persists its data under DATA_DIR and refuses a second process on the same folder', async () => {
    expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(true);
    const port = await freePort();
    const second = spawnBuilt('main.js', { PORT: String(port), DATA_DIR: dataDir });
    const exit = await waitForExit(second.child, 30_000);
    expect(exit.code).toBe(1);
    expect(second.output()).toMatch(/DATA_DIR .* is in use by process/);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const exit = await waitForExit(child, 20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dataDir, 'embedded.pid'))).toBe(false);
  });
});
