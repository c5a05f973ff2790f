import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideApiConfiguration } from '@meridian/api-client';
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';

import { AuthStore } from '../../core/auth/auth.store';
import { REFRESH_URL, problem, restore, session } from '../../core/auth/testing/auth.fixtures';
import {
  ASSISTANT_FETCH,
  AssistantRequestError,
  AssistantStreamClient,
  AssistantStreamEvent,
  toStreamEvent,
} from './assistant-stream.client';

// jsdom has no TextDecoder; Node's is the same WHATWG API.
globalThis.TextDecoder ??= NodeTextDecoder as unknown as typeof TextDecoder;
const encoder = new NodeTextEncoder();

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch Response reduced to what the client reads, with a body arriving in the given chunks. */
function response(status: number, chunks: string[], headers: Record<string, string> = {}): Response {
  const queue = chunks.map((chunk) => encoder.encode(chunk));
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: String(status),
    headers: new Map(Object.entries(headers)),
    text: () => Promise.resolve(chunks.join('')),
    body: {
      getReader: () => ({
        read: () => Promise.resolve(queue.length ? { done: false, value: queue.shift() } : { done: true }),
        cancel: () => Promise.resolve(),
      }),
    },
  } as unknown as Response;
}

describe('AssistantStreamClient', () => {
  let calls: Call[];
  let answers: Response[];
  let client: AssistantStreamClient;
  let http: HttpTestingController;

  beforeEach(async () => {
    calls = [];
    answers = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([{ path: 'sign-in', children: [] }]),
        {
          provide: ASSISTANT_FETCH,
          useValue: (url: string, init: RequestInit) => {
            calls.push({ url, init });
            return Promise.resolve(answers.shift()!);
          },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session({ accessToken: 'token-1' }));
    client = TestBed.inject(AssistantStreamClient);
  });

  async function collect(): Promise<AssistantStreamEvent[]> {
    const events: AssistantStreamEvent[] = [];
    for await (const event of client.ask({ question: 'How do API keys work?' }, new AbortController().signal)) {
      events.push(event);
    }
    return events;
  }

  it('posts the question with the bearer token and decodes the events as they arrive', async () => {
    answers.push(
      response(200, [
        'event: delta\ndata: {"text":"API keys "}\n\nevent: del',
        'ta\ndata: {"text":"let scripts in."}\n\n',
        'event: sources\ndata: {"sources":[{"title":"API keys","url":"/help/api-keys"}]}\n\n',
        'event: done\ndata: {"threadId":null,"questionAnswerId":"local-1","isUncertain":false,"provider":"local"}\n\n',
      ]),
    );

    const events = await collect();

    expect(calls[0].url).toBe('/api/kapa/query/stream');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.headers).toMatchObject({
      Authorization: 'Bearer token-1',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ question: 'How do API keys work?' });
    expect(events).toEqual([
      { type: 'delta', text: 'API keys ' },
      { type: 'delta', text: 'let scripts in.' },
      { type: 'sources', sources: [{ title: 'API keys', url: '/help/api-keys' }] },
      { type: 'done', threadId: null, questionAnswerId: 'local-1', isUncertain: false, provider: 'local' },
    ]);
  });

  it('renews an expired session once and asks again', async () => {
    answers.push(response(401, [JSON.stringify(problem(401, 'unauthorized', 'Expired'))]));
    answers.push(response(200, ['event: delta\ndata: {"text":"ok"}\n\n']));

    const events = collect();
    await new Promise((resolve) => setTimeout(resolve, 0));
    http.expectOne(REFRESH_URL).flush(session({ accessToken: 'token-2' }));

    expect(await events).toEqual([{ type: 'delta', text: 'ok' }]);
    expect(calls.map((call) => (call.init.headers as Record<string, string>)['Authorization'])).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('reports a refusal before the stream as the API problem, with Retry-After', async () => {
    answers.push(
      response(429, [JSON.stringify(problem(429, 'too_many_requests', 'You can ask 6 questions a minute.'))], {
        'retry-after': '37',
      }),
    );

    const error = await collect().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AssistantRequestError);
    expect((error as AssistantRequestError).problem).toMatchObject({
      status: 429,
      code: 'too_many_requests',
      detail: 'You can ask 6 questions a minute.',
      retryAfterSeconds: 37,
    });
  });

  it('skips events it does not know or cannot read', () => {
    expect(toStreamEvent({ event: 'ping', data: '{}', id: null })).toBeNull();
    expect(toStreamEvent({ event: 'delta', data: 'not json', id: null })).toBeNull();
    expect(toStreamEvent({ event: 'done', data: '{"provider":"other"}', id: null })).toBeNull();
    expect(toStreamEvent({ event: 'error', data: '{"reason":"Kapa is down"}', id: null })).toEqual({
      type: 'error',
      reason: 'Kapa is down',
    });
  });
});
