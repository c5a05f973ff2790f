import { AppConfig } from '../src/config/app-config';
import { KapaClient } from '../src/modules/kapa/kapa-client';
import { KapaError, KapaStreamChunk } from '../src/modules/kapa/kapa.types';
import { FakeKapa } from './fakes/fake-kapa';

const API_KEY = 'kapa-test-key-0123456789';
const PROJECT = 'proj-1';

describe('KapaClient against a local Kapa that follows the reference', () => {
  let kapa: FakeKapa;
  let client: KapaClient;

  beforeAll(async () => {
    kapa = await new FakeKapa({ apiKey: API_KEY, projectId: PROJECT }).start();
  });
  afterAll(() => kapa.stop());
  beforeEach(() => {
    kapa.mode = { kind: 'normal' };
    kapa.calls.length = 0;
    client = new KapaClient(
      AppConfig.load({ KAPA_API_KEY: API_KEY, KAPA_PROJECT_ID: PROJECT, KAPA_API_URL: kapa.url }),
    );
  });

  it('asks in a new thread, then follows up in that thread, with the key in X-API-KEY and trailing slashes', async () => {
    const first = await client.chat({ query: 'How do I create a campaign?' });
    expect(first.thread_id).toBeTruthy();
    await client.chat({ query: 'And schedule it?' }, first.thread_id);
    expect(kapa.calls.map((c) => c.path)).toEqual([
      `/query/v1/projects/${PROJECT}/chat/`,
      `/query/v1/threads/${first.thread_id}/chat/`,
    ]);
    expect(kapa.calls.every((c) => c.headers['x-api-key'] === API_KEY)).toBe(true);
  });

  it('streams chunks in order, including the last one without separator', async () => {
    const chunks: KapaStreamChunk[] = [];
    for await (const c of client.chatStream({ query: 'How do I create a campaign?' })) chunks.push(c);
    const text = chunks.flatMap((c) => (c.type === 'partial_answer' ? [c.text] : [])).join('');
    expect(text).toBe(kapa.answer);
    expect(chunks[chunks.length - 1]).toMatchObject({ type: 'identifiers', threadId: expect.any(String) });
  });

  it('passes an error chunk that arrives inside a 200', async () => {
    kapa.mode = { kind: 'stream-error' };
    const chunks: KapaStreamChunk[] = [];
    for await (const c of client.chatStream({ query: 'q' })) chunks.push(c);
    expect(chunks).toContainEqual({ type: 'error', reason: 'The model is overloaded.' });
  });

  it('upserts feedback with the question_answer field', async () => {
    await client.feedback({
      question_answer: 'qa-9',
      reaction: 'downvote',
      user_identifier: 'u1',
      comment: { issue: 'wrong' },
    });
    expect(kapa.feedback.get('qa-9')).toMatchObject({ question_answer: 'qa-9', reaction: 'downvote' });
  });

  it('retries a 429 after its Retry-After, and a 5xx, then succeeds', async () => {
    kapa.mode = { kind: 'status', status: 429, retryAfter: 1, times: 1 };
    await expect(client.chat({ query: 'q' })).resolves.toMatchObject({ answer: kapa.answer });
    kapa.mode = { kind: 'status', status: 503, times: 2 };
    await expect(client.chat({ query: 'q' })).resolves.toMatchObject({ answer: kapa.answer });
  });

  it('does not retry 401 or 404, and says what is wrong without the key', async () => {
    const bad = new KapaClient(
      AppConfig.load({ KAPA_API_KEY: 'wrong-key-0123456789', KAPA_PROJECT_ID: PROJECT, KAPA_API_URL: kapa.url }),
    );
    const err = (await bad.chat({ query: 'q' }).catch((e: unknown) => e)) as KapaError;
    expect(err).toMatchObject({ kind: 'unauthorized', httpStatus: 401 });
    expect(err.message).not.toContain('wrong-key');
    const missing = new KapaClient(
      AppConfig.load({ KAPA_API_KEY: API_KEY, KAPA_PROJECT_ID: 'nope', KAPA_API_URL: kapa.url }),
    );
    await expect(missing.chat({ query: 'q' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(kapa.calls).toHaveLength(2);
  });

  it('opens the circuit after repeated failures and then fails fast', async () => {
    kapa.mode = { kind: 'status', status: 500 };
    for (let i = 0; i < 5; i++) await client.chat({ query: 'q' }).catch(() => undefined);
    const before = kapa.calls.length;
    await expect(client.chat({ query: 'q' })).rejects.toMatchObject({ kind: 'circuit_open' });
    expect(kapa.calls.length).toBe(before);
    expect(client.lastError?.message).toMatch(/service error/);
  });

  it('verifies key and project with the cheap project call', async () => {
    await expect(client.verifyProject(2_000)).resolves.toMatchObject({ ok: true, projectName: 'Meridian docs' });
    kapa.mode = { kind: 'slow', delayMs: 500 };
    await expect(client.verifyProject(100)).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/did not answer/),
    });
  });
});
