// Builds the backend and the console when their output is missing or older
// than their sources, so `npm start` and `npm test` work on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return latest;
}

function stale(output, sources) {
  const out = join(root, output);
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return sources.some((dir) => existsSync(join(root, dir)) && newest(dir) > built);
}

function run(script) {
  process.stdout.write(`> npm run ${script}\n`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const force = process.argv.includes('--force');
if (force || stale('dist/backend/main.js', ['backend/src'])) run('build:backend');
if (force || stale('dist/admin-ui/browser/index.html', ['admin-ui/src', 'libs/api-client/src'])) run('build:ui');
