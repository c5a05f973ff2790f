import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { AskDto, AssistantStatusDto } from '@meridian/api-client';

import { toApiProblem } from '../../../core/http/api-problem';
import { AssistantRequestError, AssistantStreamEvent } from '../assistant-stream.client';

export const STATUS_URL = '/api/kapa/status';
export const FEEDBACK_URL = '/api/kapa/feedback';

export function assistantStatus(overrides: Partial<AssistantStatusDto> = {}): AssistantStatusDto {
  return {
    configured: false,
    reachable: null,
    latencyMs: null,
    widgetEnabled: true,
    provider: 'local',
    circuit: 'closed',
    lastError: null,
    lastErrorAt: null,
    localSections: 120,
    remainingThisMinute: 6,
    ...overrides,
  };
}

/** The refusal of a question, as the stream client reports it (the API's problem+json). */
export function requestError(
  status: number,
  body: object,
  headers: Record<string, string> = {},
): AssistantRequestError {
  return new AssistantRequestError(
    toApiProblem(new HttpErrorResponse({ status, error: body, headers: new HttpHeaders(headers) })),
  );
}

type Item = { event: AssistantStreamEvent } | { end: true } | { error: unknown };

/** One answer stream, fed by the test: events arrive when the test pushes them. */
export class FakeStream {
  private readonly queue: Item[] = [];
  private wake: (() => void) | null = null;

  constructor(
    readonly body: AskDto,
    readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.notify());
  }

  push(...events: AssistantStreamEvent[]): void {
    this.queue.push(...events.map((event) => ({ event })));
    this.notify();
  }

  end(): void {
    this.queue.push({ end: true });
    this.notify();
  }

  fail(error: unknown): void {
    this.queue.push({ error });
    this.notify();
  }

  async *events(): AsyncGenerator<AssistantStreamEvent, void, undefined> {
    for (;;) {
      if (this.signal.aborted) {
        throw new DOMException('The operation was aborted.', 'AbortError');
      }
      const item = this.queue.shift();
      if (!item) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if ('error' in item) {
        throw item.error;
      }
      if ('end' in item) {
        return;
      }
      yield item.event;
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = null;
  }
}

/** Stands in for AssistantStreamClient: every question opens a FakeStream. */
export class FakeStreamClient {
  readonly streams: FakeStream[] = [];

  ask(body: AskDto, signal: AbortSignal): AsyncGenerator<AssistantStreamEvent, void, undefined> {
    const stream = new FakeStream(body, signal);
    this.streams.push(stream);
    return stream.events();
  }

  get last(): FakeStream {
    const stream = this.streams.at(-1);
    if (!stream) {
      throw new Error('No question was asked');
    }
    return stream;
  }
}

/** Lets the store's `for await` loop take the events pushed so far. */
export async function flushStream(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
}
