// Runs every benchmark script in bench/ (each prints JSON) one after the other.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const skip = new Set(['lib.mjs', 'run-all.mjs', 'hello-fastify.mjs']);
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && !skip.has(f))
  .sort()) {
  process.stderr.write(`# ${file}\n`);
  const r = spawnSync(process.execPath, [dir + file, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
