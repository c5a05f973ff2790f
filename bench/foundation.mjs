// Foundation figures (issue 2), printed as JSON:
//  - embedded cold start to readiness: first start (creates the database) and a restart
//  - idle RSS of the API process
//  - GET /health requests/s next to a bare Fastify hello-world, same run, same load
//  - /metrics scrape time
// Usage: npm run build && node bench/foundation.mjs [--duration 10] [--connections 32]
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  load,
  numberArg,
  percentile,
  print,
  requireBuild,
  root,
  rssMb,
  sleep,
  startApi,
  stop,
  tempDir,
} from './lib.mjs';

const duration = numberArg('duration', 10);
const connections = numberArg('connections', 32);

requireBuild();
const data = tempDir('meridian-bench-');
const result = { machine: { cpus: cpus().length, node: process.version }, settings: { duration, connections } };
try {
  // 1. Cold start: a fresh DATA_DIR (initdb + migrations), then a restart on the same data.
  const first = await startApi({ DATA_DIR: data.dir, LOG_LEVEL: 'warn' });
  await first.stop();
  const api = await startApi({ DATA_DIR: data.dir, LOG_LEVEL: 'warn' });
  result.coldStart = {
    firstStartToReadySeconds: +(first.readyMs / 1000).toFixed(2),
    restartToReadySeconds: +(api.readyMs / 1000).toFixed(2),
  };

  // 2. Idle RSS after the start-up work has settled.
  await sleep(5_000);
  result.idleRssMb = rssMb(api.child.pid);

  // 3. /metrics scrape time (sequential scrapes, after some traffic).
  const scrapes = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    const res = await fetch(`${api.url}/metrics`);
    await res.text();
    scrapes.push(performance.now() - t);
  }
  scrapes.sort((a, b) => a - b);
  result.metricsScrapeMs = {
    p50: percentile(scrapes, 50),
    p95: percentile(scrapes, 95),
    max: percentile(scrapes, 100),
  };

  // 4. GET /health under load, then the bare Fastify baseline under the same load.
  const meridian = await load(`${api.url}/health`, { connections, duration });
  result.idleRssMb && (result.rssAfterLoadMb = rssMb(api.child.pid));
  await api.stop();

  const port = await freePort();
  const hello = spawn(process.execPath, [join(root, 'bench/hello-fastify.mjs')], {
    env: { PATH: process.env.PATH, PORT: String(port) },
    stdio: 'ignore',
  });
  await sleep(1_000);
  const baseline = await load(`http://127.0.0.1:${port}/health`, { connections, duration });
  await stop(hello);
  result.health = {
    meridian,
    bareFastify: baseline,
    ratio: +(meridian.requestsPerSec / baseline.requestsPerSec).toFixed(3),
  };
} finally {
  data.remove();
}
print(result);
