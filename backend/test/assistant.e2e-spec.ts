import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeKapa } from './fakes/fake-kapa';
import { spawnBuilt, waitForExit, waitForReady } from './support/built-server';
import { freePort } from './support/processes';
import { loginAt, OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from './support/test-app';

const API_KEY = 'kapa-secret-key-e2e-0123456789';
const PROJECT = 'proj-e2e';

interface Answer {
  answer: string;
  threadId: string | null;
  questionAnswerId: string;
  sources: { title: string; url: string }[];
  isUncertain: boolean;
  provider: string;
}

describe('help assistant: Kapa.ai with a local-docs fallback', () => {
  let kapa: FakeKapa;
  let t: TestApp;
  let token: string;

  const post = async (p: string, body: unknown, auth = token) => {
    const res = await fetch(`${t.baseUrl}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(text).not.toContain(API_KEY);
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as Answer & { code?: string },
    };
  };

  beforeAll(async () => {
    kapa = await new FakeKapa({ apiKey: API_KEY, projectId: PROJECT }).start();
    t = await startTestApp({
      KAPA_API_KEY: API_KEY,
      KAPA_PROJECT_ID: PROJECT,
      KAPA_API_URL: kapa.url,
      KAPA_INTEGRATION_ID: 'int-1',
    });
    token = await t.login();
  });

  afterAll(async () => {
    await t?.close();
    await kapa?.stop();
  });

  beforeEach(() => {
    kapa.mode = { kind: 'normal' };
  });

  it('answers from Kapa with de-duplicated sources, and follows up in the same thread', async () => {
    const first = await post('/api/kapa/query', {
      question: 'How do I create a campaign?',
      originUrl: 'http://localhost/campaigns',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ provider: 'kapa', answer: kapa.answer, isUncertain: false });
    expect(first.body.sources.map((s) => s.url)).toEqual([
      'https://docs.example/campaigns',
      'https://docs.example/getting-started',
    ]);
    const sent = kapa.calls[kapa.calls.length - 1];
    expect(sent.body).toMatchObject({
      query: 'How do I create a campaign?',
      integration_id: 'int-1',
      metadata: { origin_url: 'http://localhost/campaigns' },
    });

    const follow = await post('/api/kapa/query', { question: 'And schedule it?', threadId: first.body.threadId });
    expect(follow.body.threadId).toBe(first.body.threadId);
    expect(kapa.calls[kapa.calls.length - 1].path).toBe(`/query/v1/threads/${first.body.threadId}/chat/`);
  });

  it('serves an identical first question from the cache, never a follow-up', async () => {
    await post('/api/kapa/query', { question: 'What is a saved view?' });
    const calls = kapa.calls.length;
    const again = await post('/api/kapa/query', { question: '  what is a SAVED view?' });
    expect(again.body.provider).toBe('kapa');
    expect(kapa.calls.length).toBe(calls);
    await post('/api/kapa/query', { question: 'What is a saved view?', threadId: again.body.threadId });
    expect(kapa.calls.length).toBe(calls + 1);
  });

  it('sends feedback to Kapa with the question_answer field', async () => {
    const a = await post('/api/kapa/query', { question: 'How do imports work?' });
    const fb = await post('/api/kapa/feedback', {
      questionAnswerId: a.body.questionAnswerId,
      reaction: 'downvote',
      comment: 'Too vague',
    });
    expect(fb.status).toBe(204);
    expect(kapa.feedback.get(a.body.questionAnswerId)).toMatchObject({
      reaction: 'downvote',
      comment: { issue: 'Too vague' },
    });
    expect((await post('/api/kapa/feedback', { questionAnswerId: 'not-ours', reaction: 'upvote' })).status).toBe(404);
  });

  it('falls back to the local docs when Kapa fails, and says so', async () => {
    // Another user: the owner has used most of their questions for this minute.
    const created = await post('/api/users', {
      email: 'agent@e2e.test',
      name: 'Agent',
      role: 'agent',
      password: 'agent-password-123',
    });
    expect(created.status).toBe(201);
    const agent = await t.login('agent@e2e.test', 'agent-password-123');
    kapa.mode = { kind: 'status', status: 500 };
    const res = await post('/api/kapa/query', { question: 'How do I reset the embedded database?' }, agent);
    expect(res.status).toBe(200);
    expect(res.body.provider).toBe('local');
    expect(res.body.sources.length).toBeGreaterThan(0);
    expect(res.body.sources[0].url).toMatch(/^\/help\/[\w-]+#[\w-]+$/);
    expect(res.body.answer.length).toBeGreaterThan(20);
  });

  it('streams the answer as server-sent events, relaying Kapa chunks in order', async () => {
    const viewer = await post('/api/users', {
      email: 'stream@e2e.test',
      name: 'Stream',
      role: 'viewer',
      password: 'stream-password-1',
    });
    expect(viewer.status).toBe(201);
    const tok = await t.login('stream@e2e.test', 'stream-password-1');
    const res = await fetch(`${t.baseUrl}/api/kapa/query/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
      body: JSON.stringify({ question: 'How do I create a campaign, step by step?' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    const text = events
      .filter((e) => e.event === 'delta')
      .map((e) => (e.data as { text: string }).text)
      .join('');
    expect(text).toBe(kapa.answer);
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(1);
    expect(events.find((e) => e.event === 'sources')?.data).toMatchObject({
      sources: [{ url: 'https://docs.example/campaigns' }],
    });
    expect(events[events.length - 1]).toMatchObject({
      event: 'done',
      data: { provider: 'kapa', threadId: expect.any(String) },
    });
  });

  it('relays an error chunk, and streams the local answer when Kapa is down', async () => {
    const tok = await t.login('stream@e2e.test', 'stream-password-1');
    const stream = async (question: string) =>
      parseSse(
        await (
          await fetch(`${t.baseUrl}/api/kapa/query/stream`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
            body: JSON.stringify({ question }),
          })
        ).text(),
      );
    kapa.mode = { kind: 'stream-error' };
    expect(await stream('Will this fail?')).toContainEqual({
      event: 'error',
      data: { reason: 'The model is overloaded.' },
    });
    kapa.mode = { kind: 'status', status: 503 };
    const local = await stream('How do I reset the embedded database?');
    expect(local[local.length - 1]).toMatchObject({ event: 'done', data: { provider: 'local' } });
  });

  it('shows admins what is asked, the upvote ratio and the gaps', async () => {
    const res = await fetch(`${t.baseUrl}/api/kapa/insights?days=7`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      totalQuestions: number;
      perDay: { questions: number }[];
      downvotes: number;
      gaps: { question: string }[];
    };
    expect(body.perDay).toHaveLength(7);
    expect(body.perDay.reduce((n, d) => n + d.questions, 0)).toBe(body.totalQuestions);
    expect(body.downvotes).toBeGreaterThanOrEqual(1);
    expect(body.gaps.map((g) => g.question)).toContain('How do imports work?');
    const viewer = await t.login('stream@e2e.test', 'stream-password-1');
    expect(
      (await fetch(`${t.baseUrl}/api/kapa/insights`, { headers: { authorization: `Bearer ${viewer}` } })).status,
    ).toBe(403);
  });

  it('reports its status without the key', async () => {
    const res = await fetch(`${t.baseUrl}/api/kapa/status`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(text).not.toContain(API_KEY);
    expect(JSON.parse(text)).toMatchObject({
      configured: true,
      widgetEnabled: true,
      localSections: expect.any(Number),
    });
  });

  it('limits questions per user with a 429 and Retry-After', async () => {
    const other = await startTestApp({ KAPA_API_KEY: API_KEY, KAPA_PROJECT_ID: PROJECT, KAPA_API_URL: kapa.url });
    try {
      const tok = await other.login();
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${other.baseUrl}/api/kapa/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
          body: JSON.stringify({ question: `Question number ${i}?` }),
        });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(6)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});

describe('help assistant without Kapa, and the key in logs', () => {
  it('answers from the local docs when Kapa is not configured, uncertain when nothing matches', async () => {
    const t = await startTestApp();
    try {
      const token = await t.login();
      const ask = async (question: string) =>
        (await (
          await fetch(`${t.baseUrl}/api/kapa/query`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ question }),
          })
        ).json()) as Answer;
      const hit = await ask('How do API keys work?');
      expect(hit.provider).toBe('local');
      expect(hit.sources.some((s) => s.url.startsWith('/help/api-keys'))).toBe(true);
      const pages = (await (
        await fetch(`${t.baseUrl}/api/help`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { page: string }[];
      expect(pages.map((p) => p.page)).toContain('api-keys');
      const page = (await (
        await fetch(`${t.baseUrl}/api/help/api-keys`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { markdown: string };
      expect(page.markdown).toMatch(/^# API keys/);
      const traversal = await fetch(`${t.baseUrl}/api/help/..%2F..%2Fpackage`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(traversal.status).toBe(404);
      const miss = await ask('zyxwv qwertz plonk');
      expect(miss).toMatchObject({ provider: 'local', isUncertain: true, sources: [] });
    } finally {
      await t.close();
    }
  });

  it('never writes the Kapa key into the server log, even at trace level and on errors', async () => {
    const kapa = await new FakeKapa({ apiKey: API_KEY, projectId: PROJECT }).start();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-kapa-log-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const { child, output } = spawnBuilt('main.js', {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      KAPA_API_KEY: API_KEY,
      KAPA_PROJECT_ID: PROJECT,
      KAPA_API_URL: kapa.url,
      ADMIN_EMAIL: OWNER_EMAIL,
      ADMIN_PASSWORD: OWNER_PASSWORD,
    });
    try {
      await waitForReady(baseUrl, output);
      const token = await loginAt(baseUrl, OWNER_EMAIL, OWNER_PASSWORD);
      const ask = () =>
        fetch(`${baseUrl}/api/kapa/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ question: 'How do I create a campaign?' }),
        });
      expect((await ask()).status).toBe(200);
      kapa.mode = { kind: 'status', status: 401 };
      expect((await ask()).status).toBe(200); // cached or fallback, never an error
      await fetch(`${baseUrl}/api/kapa/status`, { headers: { authorization: `Bearer ${token}` } });
      expect(output().length).toBeGreaterThan(0);
      expect(output()).not.toContain(API_KEY);
    } finally {
      child.kill('SIGTERM');
      await waitForExit(child, 20_000).catch(() => child.kill('SIGKILL'));
      await kapa.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.+)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}
