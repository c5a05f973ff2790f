// CPU time a server process spends per request (user + system, from /proc), next to requests/s:
// steadier than requests/s alone on a shared machine. Profiling aid, prints JSON.
// Usage: node bench/cpu-per-request.mjs --pid <server pid> --url <url> [--amount 3000] [--connections 32] [--token <bearer>]
import { readFileSync } from 'node:fs';
import { print } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const pid = Number(arg('pid'));
const url = arg('url');
const amount = Number(arg('amount', 3000));
const connections = Number(arg('connections', 32));
const token = arg('token');
const ticks = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(f[11]), sys: Number(f[12]) }; // clock ticks (1/100 s)
};
const { default: autocannon } = await import('autocannon');
const run = (n) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections, amount: n, headers: token ? { authorization: `Bearer ${token}` } : {} }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  );
await run(Math.ceil(amount / 5)); // warm-up
const before = ticks();
const r = await run(amount);
const after = ticks();
const done = r.requests.total;
print({
  url,
  requests: done,
  non2xx: r.non2xx,
  requestsPerSec: Math.round(r.requests.average),
  cpuMsPerRequest: {
    user: +(((after.user - before.user) * 10) / done).toFixed(3),
    sys: +(((after.sys - before.sys) * 10) / done).toFixed(3),
    total: +(((after.user + after.sys - before.user - before.sys) * 10) / done).toFixed(3),
  },
});
