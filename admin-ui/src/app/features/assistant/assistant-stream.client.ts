import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { Injectable, InjectionToken, inject } from '@angular/core';
import { ApiConfiguration, AskDto, SourceDto, askAssistantStream } from '@meridian/api-client';

import { AuthStore } from '../../core/auth/auth.store';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { SseMessage, SseParser } from './sse-parser';

/** What the answer stream says, decoded and checked. */
export type AssistantStreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'sources'; sources: SourceDto[] }
  | { type: 'error'; reason: string }
  | {
      type: 'done';
      threadId: string | null;
      questionAnswerId: string;
      isUncertain: boolean;
      provider: 'kapa' | 'local';
    };

/** The question was refused or could not be sent (before any answer): the API's problem, as for other calls. */
export class AssistantRequestError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail || problem.title);
    this.name = 'AssistantRequestError';
  }
}

/** No byte of the answer for this long: the stream is considered dead. */
export const STREAM_IDLE_TIMEOUT_MS = 90_000;

/** `fetch`, replaceable in tests. */
export const ASSISTANT_FETCH = new InjectionToken<typeof fetch>('ASSISTANT_FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => globalThis.fetch(input, init),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSource(value: unknown): value is SourceDto {
  return isRecord(value) && typeof value['title'] === 'string' && typeof value['url'] === 'string';
}

/** One SSE message as an assistant event; null for anything unknown or malformed (skipped). */
export function toStreamEvent(message: SseMessage): AssistantStreamEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (!isRecord(data)) {
    return null;
  }
  switch (message.event) {
    case 'delta':
      return typeof data['text'] === 'string' ? { type: 'delta', text: data['text'] } : null;
    case 'sources':
      return Array.isArray(data['sources'])
        ? { type: 'sources', sources: (data['sources'] as unknown[]).filter(isSource) }
        : null;
    case 'error':
      return { type: 'error', reason: typeof data['reason'] === 'string' ? data['reason'] : 'The assistant failed.' };
    case 'done': {
      const { threadId, questionAnswerId, isUncertain, provider } = data;
      if (typeof questionAnswerId !== 'string' || (provider !== 'kapa' && provider !== 'local')) {
        return null;
      }
      return {
        type: 'done',
        threadId: typeof threadId === 'string' ? threadId : null,
        questionAnswerId,
        isUncertain: isUncertain === true,
        provider,
      };
    }
    default:
      return null;
  }
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page): toApiProblem describes it from the status.
  }
  const headers = new HttpHeaders(Object.fromEntries(response.headers.entries()));
  return toApiProblem(
    new HttpErrorResponse({ error: body, headers, status: response.status, statusText: response.statusText }),
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The streamed answer of the assistant (POST /api/kapa/query/stream, server-sent events).
 *
 * This is the one call of the console made with `fetch` rather than the generated client:
 * HttpClient (and so the generated `askAssistantStream`) only hands over the response body
 * once it is complete, and an EventSource cannot POST nor send an Authorization header.
 * Reading `response.body` as it arrives is what lets the answer appear while it is written.
 * The URL still comes from the generated client; the bearer token from the AuthStore, with
 * the same "refresh once on 401" rule as the auth interceptor.
 */
@Injectable({ providedIn: 'root' })
export class AssistantStreamClient {
  private readonly auth = inject(AuthStore);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly fetch = inject(ASSISTANT_FETCH);

  /** The events of one answer. Throws AssistantRequestError when the question is refused before the stream starts. */
  async *ask(body: AskDto, signal: AbortSignal): AsyncGenerator<AssistantStreamEvent, void, undefined> {
    const sentToken = this.auth.token();
    let response = await this.post(body, sentToken, signal);
    if (response.status === 401) {
      const token = await this.auth.tokenAfterUnauthorized(sentToken);
      if (!token) {
        throw new AssistantRequestError(await problemOf(response));
      }
      response = await this.post(body, token, signal);
      if (response.status === 401) {
        this.auth.expire();
      }
    }
    if (!response.ok || !response.body) {
      throw new AssistantRequestError(await problemOf(response));
    }

    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await this.read(reader);
        const messages = done ? parser.end() : parser.push(decoder.decode(value, { stream: true }));
        for (const message of messages) {
          const event = toStreamEvent(message);
          if (event) {
            yield event;
          }
        }
        if (done) {
          finished = true;
          return;
        }
      }
    } finally {
      if (!finished) {
        // Stopped early (new thread, "Stop", an error): let the server know by closing the stream.
        reader.cancel().catch(() => undefined);
      }
    }
  }

  private async post(body: AskDto, token: string | null, signal: AbortSignal): Promise<Response> {
    try {
      return await this.fetch(`${this.apiConfig.rootUrl}${askAssistantStream.PATH}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream, application/problem+json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error: unknown) {
      if (isAbort(error)) {
        throw error;
      }
      // No answer at all: the same problem the console shows for any unreachable API.
      throw new AssistantRequestError(toApiProblem(new HttpErrorResponse({ error, status: 0 })));
    }
  }

  private read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('The assistant stopped answering.')), STREAM_IDLE_TIMEOUT_MS);
    });
    return Promise.race([reader.read(), idle]).finally(() => clearTimeout(timer));
  }
}
