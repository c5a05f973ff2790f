// Help assistant figures (issue 5), printed as JSON:
//  - added latency of POST /api/kapa/query over a direct call to the same fake Kapa (p50, p95)
//  - delay between a stream chunk leaving the fake Kapa and reaching the client of /api/kapa/query/stream
//  - local provider (no Kapa) answer latency with the whole docs/ indexed
// Usage: npm run build && node bench/assistant.mjs [--requests 60]
import { createServer } from 'node:http';
import { authHeaders, numberArg, percentile, print, requireBuild, startApi, tempDir } from './lib.mjs';

const requests = numberArg('requests', 60);
const KEY = 'bench-kapa-key-0123456789';
const PROJECT = 'bench-project';
const SEP = '\u241E';
const email = 'bench-owner@example.com';
const password = 'bench-password-0123';

// A minimal Kapa: instant chat answers, and a stream whose chunks carry the time they were sent.
const kapa = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.headers['x-api-key'] !== KEY) return res.writeHead(401).end('{"detail":"bad key"}');
    if (req.url?.endsWith('/chat/stream/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const tick = () => {
        if (i === 10) {
          res.end(
            JSON.stringify({
              chunk: {
                type: 'identifiers',
                content: { thread_id: 't', question_answer_id: `qa-${Date.now()}` },
                stream_end: true,
              },
            }),
          );
          return;
        }
        res.write(
          JSON.stringify({
            chunk: { type: 'partial_answer', content: { text: `${performance.timeOrigin + performance.now()}|` } },
          }) + SEP,
        );
        i++;
        setTimeout(tick, 20);
      };
      return tick();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        answer: 'An answer.',
        thread_id: 't1',
        question_answer_id: `qa-${Math.random()}`,
        is_uncertain: false,
        relevant_sources: [],
      }),
    );
  });
});
await new Promise((r) => kapa.listen(0, '127.0.0.1', r));
const kapaUrl = `http://127.0.0.1:${kapa.address().port}`;

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
};

requireBuild();
const result = { settings: { requests } };
const dirs = [tempDir('meridian-bench-kapa-'), tempDir('meridian-bench-local-')];
// Per-user limits would cut the run short: many users, one question each per minute is not the point here.
const api = await startApi({
  DATA_DIR: dirs[0].dir,
  LOG_LEVEL: 'warn',
  ADMIN_EMAIL: email,
  ADMIN_PASSWORD: password,
  KAPA_API_KEY: KEY,
  KAPA_PROJECT_ID: PROJECT,
  KAPA_API_URL: kapaUrl,
});
try {
  const auth = await authHeaders(api.url, email, password);
  const direct = [];
  const viaMeridian = [];
  for (let i = 0; i < Math.min(requests, 6); i++) {
    // Unique questions (no cache), within the per-user limit of 6 a minute.
    direct.push(
      await timed(() =>
        fetch(`${kapaUrl}/query/v1/projects/${PROJECT}/chat/`, {
          method: 'POST',
          headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ query: `q${i}` }),
        }).then((r) => r.text()),
      ),
    );
    viaMeridian.push(
      await timed(() =>
        fetch(`${api.url}/api/kapa/query`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ question: `Question number ${i}?` }),
        }).then((r) => r.text()),
      ),
    );
  }
  result.query = {
    samples: direct.length,
    directKapaMs: stats(direct),
    viaMeridianMs: stats(viaMeridian),
    addedP50Ms: +(stats(viaMeridian).p50 - stats(direct).p50).toFixed(2),
  };
} finally {
  await api.stop();
}

// Streaming delay, and the local provider, on an app with a fresh per-user budget.
const api2 = await startApi({
  DATA_DIR: dirs[1].dir,
  LOG_LEVEL: 'warn',
  ADMIN_EMAIL: email,
  ADMIN_PASSWORD: password,
  KAPA_API_KEY: KEY,
  KAPA_PROJECT_ID: PROJECT,
  KAPA_API_URL: kapaUrl,
});
try {
  const auth = await authHeaders(api2.url, email, password);
  const delays = [];
  const res = await fetch(`${api2.url}/api/kapa/query/stream`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ question: 'Stream this please' }),
  });
  const decoder = new TextDecoder();
  for await (const bytes of res.body) {
    const now = performance.timeOrigin + performance.now();
    for (const m of decoder.decode(bytes, { stream: true }).matchAll(/"text":"([\d.]+)\|"/g))
      delays.push(now - Number(m[1]));
  }
  result.streamChunkDelayMs = { chunks: delays.length, ...stats(delays), each: delays.map((d) => Math.round(d)) };
} finally {
  await api2.stop();
}

const api3 = await startApi({ DATA_DIR: dirs[1].dir, LOG_LEVEL: 'warn', ADMIN_EMAIL: email, ADMIN_PASSWORD: password });
try {
  const auth = await authHeaders(api3.url, email, password);
  const sections = (await (await fetch(`${api3.url}/api/kapa/status`, { headers: auth })).json()).localSections;
  const local = [];
  for (const q of [
    'How do I reset the embedded database?',
    'What does readiness check?',
    'How do API keys work?',
    'Which metrics are exported?',
    'How do I require MFA?',
    'What is the audit log?',
  ]) {
    local.push(
      await timed(() =>
        fetch(`${api3.url}/api/kapa/query`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ question: q }),
        }).then((r) => r.text()),
      ),
    );
  }
  result.localProvider = { indexedSections: sections, samples: local.length, answerMs: stats(local) };
} finally {
  await api3.stop();
  for (const d of dirs) d.remove();
  kapa.close();
}
print(result);
