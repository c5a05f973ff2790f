// The npm registry mirror reachable here serves only the platform packages of
// this machine (linux-x64), so `npm install` writes a lockfile without the
// other platforms' optional binaries (@rollup/rollup-darwin-arm64, ...), and
// npm 11's `npm ci` then refuses it as "out of sync". This adds a stub entry
// (name, version, optional) for each missing optional dependency: `npm ci`
// accepts the lockfile and skips those packages on platforms they do not fit,
// as it would anyway. Run after `npm install` changes package-lock.json.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    // Resolution order: nested under the parent first, then hoisted at the root.
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue; // only exact pins are safe to stub
    packages[hoisted] = { version: spec, dev: meta.dev || undefined, optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${added} optional platform entries\n`);
