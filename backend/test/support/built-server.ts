import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectOutput, eventually } from './processes';

export const DIST = path.resolve(__dirname, '..', '..', '..', 'dist', 'backend');

/** Fails with a clear message when the tests run before `npm run build`. */
export function requireBuild(entry: 'main.js' | 'worker.js'): string {
  const file = path.join(DIST, entry);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test does it for you)`);
  return file;
}

/** A built entry point started as its own process, with exactly the environment given. */
export function spawnBuilt(
  entry: 'main.js' | 'worker.js',
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [requireBuild(entry)], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = collectOutput(child);
  return { child, output: out.text };
}

export function waitForExit(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve({ code: child.exitCode, signal: null });
    const timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

export async function waitForReady(baseUrl: string, output: () => string, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  try {
    await eventually(
      async () => {
        const res = await fetch(`${baseUrl}/health/ready`);
        return res.status === 200 ? true : undefined;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output().slice(-4000)}`);
  }
  return Date.now() - started;
}
