// `npm start`: the embedded profile in one process. Builds what is missing,
// then runs the API with inline jobs; PostgreSQL runs embedded (PGlite)
// unless DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const api = spawn(process.execPath, ['dist/backend/main.js'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
