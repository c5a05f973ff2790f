import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Kapa.ai written from shared/reference/kapa-api.md: X-API-KEY auth,
 * trailing-slash paths, project and thread chat, the U+241E chunk stream,
 * feedback upsert, retrieval, project lookup, and switchable failure modes.
 */
export interface FakeKapaOptions {
  apiKey: string;
  projectId: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type FakeKapaMode =
  | { kind: 'normal' }
  | { kind: 'status'; status: number; retryAfter?: number; times?: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'stream-error' };

const SEP = '\u241E';

export class FakeKapa {
  readonly calls: RecordedCall[] = [];
  readonly feedback = new Map<string, unknown>();
  mode: FakeKapaMode = { kind: 'normal' };
  answer = 'To create a campaign, open **Campaigns** and choose *New campaign*.';
  private server?: http.Server;
  private threadCount = 0;

  constructor(private readonly options: FakeKapaOptions) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => resolve(data));
    });
    const path = (req.url ?? '').split('?')[0];
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.json(res, 400, { detail: 'JSON parse error' });
    }
    this.calls.push({ method: req.method ?? '', path, headers: req.headers, body });

    if (req.headers['x-api-key'] !== this.options.apiKey) return this.json(res, 401, { detail: 'Invalid API key.' });
    const mode = this.mode;
    if (mode.kind === 'status') {
      if (mode.times !== undefined && --mode.times < 0) this.mode = { kind: 'normal' };
      else {
        if (mode.retryAfter !== undefined) res.setHeader('Retry-After', String(mode.retryAfter));
        return this.json(res, mode.status, {
          detail: mode.status === 429 ? 'Request was throttled.' : 'Server error.',
        });
      }
    }
    if (mode.kind === 'slow') await new Promise((r) => setTimeout(r, mode.delayMs));

    const project = `/query/v1/projects/${this.options.projectId}`;
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && path === `/org/v1/projects/${this.options.projectId}/`) {
      return this.json(res, 200, { id: this.options.projectId, team: 'team-1', project_name: 'Meridian docs' });
    }
    if (req.method === 'POST' && path === `${project}/chat/`) return this.json(res, 200, this.chat(undefined));
    if (req.method === 'POST' && (m = /^\/query\/v1\/threads\/([\w-]+)\/chat\/$/.exec(path)))
      return this.json(res, 200, this.chat(m[1]));
    if (req.method === 'POST' && path === `${project}/chat/stream/`) return this.stream(res, undefined);
    if (req.method === 'POST' && (m = /^\/query\/v1\/threads\/([\w-]+)\/chat\/stream\/$/.exec(path)))
      return this.stream(res, m[1]);
    if (req.method === 'POST' && path === '/query/v1/feedback/upsert/') {
      const fb = body as { question_answer?: string; reaction?: string };
      if (!fb?.question_answer || !['upvote', 'downvote'].includes(fb.reaction ?? ''))
        return this.json(res, 400, { detail: 'Invalid feedback.' });
      this.feedback.set(fb.question_answer, fb);
      return this.json(res, 200, { status: 'ok' });
    }
    if (req.method === 'POST' && path === `${project}/retrieval/`) {
      return this.json(res, 200, [
        { source_url: 'https://docs.example/campaigns', content: '# Campaigns\nCreate one from the Campaigns page.' },
      ]);
    }
    if (path.startsWith('/query/v1/projects/') || path.startsWith('/org/v1/projects/'))
      return this.json(res, 404, { detail: 'Not found.' });
    return this.json(res, 404, { detail: 'Not found.' });
  }

  private chat(threadId: string | undefined) {
    const thread = threadId ?? `thread-${++this.threadCount}`;
    return {
      answer: this.answer,
      thread_id: thread,
      question_answer_id: `qa-${this.calls.length}`,
      is_uncertain: false,
      relevant_sources: [
        { source_url: 'https://docs.example/campaigns', title: 'Campaigns', contains_internal_data: false },
        { source_url: 'https://docs.example/campaigns', title: 'Campaigns', contains_internal_data: false },
        { source_url: 'https://docs.example/getting-started', title: 'Getting started', contains_internal_data: false },
      ],
    };
  }

  private stream(res: http.ServerResponse, threadId: string | undefined): void {
    const thread = threadId ?? `thread-${++this.threadCount}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = (type: string, content: object, end = false) =>
      JSON.stringify({ chunk: { type, content, stream_end: end } });
    const parts = this.answer.match(/.{1,12}/gs) ?? [];
    const chunks = [
      ...parts.map((text) => chunk('partial_answer', { text })),
      chunk('relevant_sources', {
        relevant_sources: [{ title: 'Campaigns', source_url: 'https://docs.example/campaigns' }],
      }),
      ...(this.mode.kind === 'stream-error' ? [chunk('error', { reason: 'The model is overloaded.' })] : []),
      chunk('metadata', { is_uncertain: false }),
      chunk('identifiers', { thread_id: thread, question_answer_id: `qa-${this.calls.length}` }, true),
    ];
    // Separator between chunks, none after the last (the reference allows both).
    let i = 0;
    const next = () => {
      if (i >= chunks.length) return res.end();
      res.write(chunks[i] + (i < chunks.length - 1 ? SEP : ''));
      i++;
      setTimeout(next, 5);
    };
    next();
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
