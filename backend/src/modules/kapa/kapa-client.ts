import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { CircuitBreaker } from './circuit-breaker';
import { splitKapaStream } from './kapa-stream';
import {
  KapaChatRequest,
  KapaChatResponse,
  KapaError,
  KapaFeedbackRequest,
  KapaRetrievalResult,
  KapaStreamChunk,
} from './kapa.types';

export interface KapaProjectCheck {
  ok: boolean;
  latencyMs: number;
  httpStatus: number | null;
  message: string;
  projectName?: string;
}

const CHAT_TIMEOUT_MS = 60_000;
const MAX_RETRIES = 2;
const MAX_RETRY_AFTER_S = 10;

/**
 * Talks to Kapa.ai from the server only: the key goes in the X-API-KEY header
 * and nowhere else (never in a log line, an error or a response). Paths keep
 * the trailing slash of the official clients. 5xx and 429 are retried twice
 * (honouring Retry-After up to 10 s); repeated failures open a circuit so
 * callers fall back at once instead of waiting.
 */
@Injectable()
export class KapaClient {
  private readonly logger = new Logger('Kapa');
  readonly breaker = new CircuitBreaker(5, 30_000);
  lastError: { at: string; message: string } | null = null;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.kapa.configured;
  }

  /** New thread, or a follow-up when `threadId` is given (Kapa keeps the history). */
  chat(body: KapaChatRequest, threadId?: string): Promise<KapaChatResponse> {
    return this.request<KapaChatResponse>('POST', this.chatPath(threadId, false), body, CHAT_TIMEOUT_MS);
  }

  /** Streaming chat: yields chunks as Kapa sends them. An `error` chunk may come inside a 200. */
  async *chatStream(body: KapaChatRequest, threadId?: string, signal?: AbortSignal): AsyncGenerator<KapaStreamChunk> {
    const res = await this.send('POST', this.chatPath(threadId, true), body, CHAT_TIMEOUT_MS, signal);
    if (!res.body) throw new KapaError('Kapa.ai sent an empty stream', 'stream');
    try {
      for await (const chunk of splitKapaStream(res.body)) yield chunk;
      this.breaker.success();
    } catch (err) {
      this.recordFailure(err instanceof KapaError ? err : new KapaError('Kapa.ai stream broke off', 'stream'));
      throw err instanceof KapaError ? err : new KapaError('Kapa.ai stream broke off', 'stream');
    }
  }

  /** Upserts the reaction to one answer (note the field is `question_answer`). Any 2xx is success. */
  async feedback(body: KapaFeedbackRequest): Promise<void> {
    await this.request<unknown>('POST', '/query/v1/feedback/upsert/', body, 10_000);
  }

  retrieval(query: string, topK = 5, maxChars = 20_000): Promise<KapaRetrievalResult[]> {
    return this.request<KapaRetrievalResult[]>(
      'POST',
      `/query/v1/projects/${this.projectId()}/retrieval/`,
      { query, top_k: topK, max_chars: maxChars },
      15_000,
    );
  }

  /** GET /org/v1/projects/{id}/: the cheapest call that proves key and project (health check; no retries). */
  async verifyProject(timeoutMs: number): Promise<KapaProjectCheck> {
    if (!this.configured) return { ok: false, latencyMs: 0, httpStatus: null, message: 'Kapa.ai is not configured' };
    const started = performance.now();
    try {
      const res = await this.fetchOnce('GET', `/org/v1/projects/${this.projectId()}/`, undefined, timeoutMs);
      const body = (await res.json().catch(() => ({}))) as { project_name?: string };
      return {
        ok: true,
        latencyMs: performance.now() - started,
        httpStatus: res.status,
        message: 'Kapa.ai answered',
        projectName: body.project_name,
      };
    } catch (err) {
      const e = err as KapaError;
      return {
        ok: false,
        latencyMs: performance.now() - started,
        httpStatus: e.httpStatus ?? null,
        message: e.message,
      };
    }
  }

  private chatPath(threadId: string | undefined, stream: boolean): string {
    const base = threadId
      ? `/query/v1/threads/${encodeURIComponent(threadId)}/chat/`
      : `/query/v1/projects/${this.projectId()}/chat/`;
    return stream ? `${base}stream/` : base;
  }

  private projectId(): string {
    const id = this.config.kapa.projectId;
    if (!id) throw new KapaError('Kapa.ai is not configured', 'not_configured');
    return encodeURIComponent(id);
  }

  private async request<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
    const res = await this.send(method, path, body, timeoutMs);
    const text = await res.text();
    this.breaker.success();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** One call with retries on 5xx, 429 and network errors, behind the circuit breaker. */
  private async send(
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Response> {
    if (!this.configured) throw new KapaError('Kapa.ai is not configured', 'not_configured');
    for (let attempt = 0; ; attempt++) {
      if (!this.breaker.allow())
        throw new KapaError('Kapa.ai is unavailable (circuit open after repeated failures)', 'circuit_open');
      try {
        return await this.fetchOnce(method, path, body, timeoutMs, signal);
      } catch (err) {
        const e = err as KapaError;
        const retriable =
          e.kind === 'server' || e.kind === 'rate_limited' || e.kind === 'network' || e.kind === 'timeout';
        if (!retriable || attempt >= MAX_RETRIES || signal?.aborted) {
          this.recordFailure(e);
          throw e;
        }
        // Rate limits and server errors count once per call, not per attempt.
        const waitS = e.retryAfterSeconds ?? 0.25 * 2 ** attempt;
        if (waitS > MAX_RETRY_AFTER_S) {
          this.recordFailure(e);
          throw e;
        }
        await new Promise((r) => setTimeout(r, waitS * 1000));
      }
    }
  }

  private async fetchOnce(
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Response> {
    const apiKey = this.config.kapa.apiKey as string;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.config.kapa.apiUrl}${path}`, {
        method,
        headers: {
          'X-API-KEY': apiKey,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new KapaError(
        timedOut ? `Kapa.ai did not answer within ${timeoutMs} ms` : 'Kapa.ai could not be reached',
        timedOut ? 'timeout' : 'network',
      );
    }
    if (res.ok) return res;
    await res.body?.cancel().catch(() => undefined);
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new KapaError(
      describeKapaStatus(res.status),
      kindOf(res.status),
      res.status,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
    );
  }

  private recordFailure(err: KapaError): void {
    this.breaker.failure();
    this.lastError = { at: new Date().toISOString(), message: err.message };
    this.logger.warn(`Kapa.ai call failed: ${err.message}`);
  }
}

function kindOf(status: number): KapaError['kind'] {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'server' : 'bad_request';
}

export function describeKapaStatus(status: number): string {
  if (status === 401 || status === 403) return 'Kapa.ai rejected the API key';
  if (status === 404) return 'Kapa.ai does not know this project id';
  if (status === 429) return 'Kapa.ai rate limit reached';
  if (status >= 500) return `Kapa.ai service error (HTTP ${status})`;
  return `Kapa.ai answered HTTP ${status}`;
}
