import { DOCUMENT } from '@angular/common';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import {
  ApiConfiguration,
  AssistantStatusDto,
  SourceDto,
  getAssistantStatus,
  sendAssistantFeedback,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { ApiProblem } from '../../core/http/api-problem';
import { AssistantRequestError, AssistantStreamClient } from './assistant-stream.client';

/** The API's bounds for a question (AskDto). */
export const MIN_QUESTION_LENGTH = 3;
export const MAX_QUESTION_LENGTH = 2000;
/** When a 429 comes without Retry-After: the limit is per minute. */
const DEFAULT_RETRY_SECONDS = 60;

export type Reaction = 'upvote' | 'downvote';

/** A question and its answer. */
export interface AssistantExchange {
  id: number;
  question: string;
  /** Markdown, growing while it streams. */
  answer: string;
  sources: SourceDto[];
  state: 'streaming' | 'done' | 'stopped' | 'failed';
  /** Why the answer is incomplete or may be wrong (an `error` event, a dropped connection). */
  error: string | null;
  /** For feedback; known once the answer is done. */
  questionAnswerId: string | null;
  provider: 'kapa' | 'local' | null;
  isUncertain: boolean;
  reaction: Reaction | null;
  /** The comment sent with a thumbs down. */
  comment: string | null;
  feedback: 'idle' | 'sending' | 'sent' | 'failed';
}

type Body<T> = { body: T };

/**
 * The help assistant's thread and panel. Provided in root, so the conversation stays while
 * the user moves between pages; it is cleared when the signed-in user changes.
 */
@Injectable({ providedIn: 'root' })
export class AssistantStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly auth = inject(AuthStore);
  private readonly client = inject(AssistantStreamClient);
  private readonly document = inject(DOCUMENT);

  private readonly _open = signal(false);
  private readonly _exchanges = signal<AssistantExchange[]>([]);
  private readonly _threadId = signal<string | null>(null);
  private readonly _problem = signal<ApiProblem | null>(null);
  private readonly _retryAt = signal<number | null>(null);
  private readonly _now = signal(Date.now());
  private readonly _status = signal<AssistantStatusDto | null>(null);
  private readonly _statusLoaded = signal(false);

  /** The panel is open. */
  readonly isOpen = this._open.asReadonly();
  readonly exchanges = this._exchanges.asReadonly();
  /** Kapa's thread, for follow-up questions; null for a new thread (and after local answers only). */
  readonly threadId = this._threadId.asReadonly();
  readonly status = this._status.asReadonly();
  /** The text in the input box, kept while the panel is closed or the page changes. */
  readonly draft = signal('');

  readonly streaming = computed(() => this._exchanges().some((exchange) => exchange.state === 'streaming'));
  readonly retryInSeconds = computed(() => {
    const retryAt = this._retryAt();
    return retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - this._now()) / 1000));
  });
  /** Why the last question was not answered, in words; null when there is nothing to say. */
  readonly error = computed<string | null>(() => {
    const problem = this._problem();
    if (!problem) {
      return null;
    }
    if (problem.status === 429) {
      const seconds = this.retryInSeconds();
      return seconds > 0 ? `You can ask again in ${seconds} s.` : null;
    }
    if (problem.unreachable) {
      return `${problem.title}. Check your connection and try again.`;
    }
    if (problem.errors.length > 0) {
      return problem.errors.map((error) => `${error.field} ${error.reason}`).join('; ');
    }
    return problem.detail || problem.title;
  });
  /** The same, for a screen reader: said once, so without the second-by-second countdown. */
  readonly errorSummary = computed<string | null>(() => {
    const problem = this._problem();
    if (problem?.status === 429) {
      const seconds = problem.retryAfterSeconds ?? DEFAULT_RETRY_SECONDS;
      return `Too many questions this minute. You can ask again in ${seconds} seconds.`;
    }
    return this.error();
  });
  readonly canAsk = computed(() => !this.streaming() && this.retryInSeconds() === 0);
  /** The FAB and panel are offered: signed in, allowed, and not switched off by the operator. */
  readonly available = computed(
    () =>
      this.auth.signedIn() &&
      this.auth.permissions().has('assistant:use') &&
      this._statusLoaded() &&
      this._status()?.widgetEnabled !== false,
  );

  private nextId = 1;
  private abort: AbortController | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private userId: string | null = null;

  constructor() {
    // A new user in this tab starts with a new thread; the status is read once per sign-in.
    effect(() => {
      const userId = this.auth.signedIn() ? (this.auth.user()?.id ?? null) : null;
      untracked(() => this.onUser(userId));
    });
    inject(DestroyRef).onDestroy(() => {
      this.abort?.abort();
      this.stopTicker();
    });
  }

  open(): void {
    this._open.set(true);
  }

  close(): void {
    this._open.set(false);
  }

  toggle(): void {
    this._open.update((open) => !open);
  }

  /** Asks a question in the current thread; the answer streams into a new exchange. */
  async ask(question: string): Promise<void> {
    const text = question.trim();
    if (text.length < MIN_QUESTION_LENGTH || text.length > MAX_QUESTION_LENGTH || !this.canAsk()) {
      return;
    }
    this._problem.set(null);
    const abort = new AbortController();
    this.abort = abort;
    const id = this.nextId++;
    this._exchanges.update((list) => [...list, newExchange(id, text)]);
    this.draft.set('');
    const threadId = this._threadId();

    try {
      const events = this.client.ask(
        { question: text, ...(threadId ? { threadId } : {}), originUrl: this.originUrl() },
        abort.signal,
      );
      for await (const event of events) {
        switch (event.type) {
          case 'delta':
            this.patch(id, (exchange) => ({ answer: exchange.answer + event.text }));
            break;
          case 'sources':
            this.patch(id, () => ({ sources: event.sources }));
            break;
          case 'error':
            this.patch(id, () => ({ error: event.reason }));
            break;
          case 'done':
            this.patch(id, () => ({
              state: 'done',
              questionAnswerId: event.questionAnswerId,
              provider: event.provider,
              isUncertain: event.isUncertain,
            }));
            // Local answers have no thread: a Kapa thread in progress carries on.
            this._threadId.update((current) => event.threadId ?? current);
            break;
        }
      }
      this.patch(id, (exchange) =>
        exchange.state === 'streaming'
          ? { state: 'failed', error: exchange.error ?? 'The answer was cut off. Ask again.' }
          : {},
      );
    } catch (error: unknown) {
      if (abort.signal.aborted) {
        this.patch(id, (exchange) => (exchange.state === 'streaming' ? { state: 'stopped' } : {}));
      } else if (error instanceof AssistantRequestError) {
        // Not answered at all: the question goes back into the input box, with the reason.
        this._exchanges.update((list) => list.filter((exchange) => exchange.id !== id));
        if (this.draft() === '') {
          this.draft.set(text);
        }
        this.showProblem(error.problem);
      } else {
        this.patch(id, (exchange) => ({
          state: 'failed',
          error: exchange.error ?? 'The connection to the assistant was lost. Ask again.',
        }));
      }
    } finally {
      if (this.abort === abort) {
        this.abort = null;
      }
    }
  }

  /** Stops the answer being written; what arrived stays. */
  stop(): void {
    this.abort?.abort();
  }

  /** Forgets the conversation: the next question starts a new Kapa thread. */
  newThread(): void {
    this.abort?.abort();
    this.abort = null;
    this._exchanges.set([]);
    this._threadId.set(null);
    if (this._problem()?.status !== 429) {
      this._problem.set(null);
    }
  }

  dismissError(): void {
    this._problem.set(null);
  }

  /** Thumbs up or down (sent again with the comment when one is added to a thumbs down). */
  async sendFeedback(exchangeId: number, reaction: Reaction, comment?: string): Promise<void> {
    const exchange = this._exchanges().find((candidate) => candidate.id === exchangeId);
    if (!exchange?.questionAnswerId) {
      return;
    }
    const before = { reaction: exchange.reaction, comment: exchange.comment };
    const text = comment?.trim() || null;
    this.patch(exchangeId, () => ({ reaction, feedback: 'sending' }));
    try {
      await this.call(
        sendAssistantFeedback(this.http, this.apiConfig.rootUrl, {
          body: { questionAnswerId: exchange.questionAnswerId, reaction, ...(text ? { comment: text } : {}) },
        }),
      );
      this.patch(exchangeId, () => ({ feedback: 'sent', comment: reaction === 'downvote' ? text : null }));
    } catch {
      this.patch(exchangeId, () => ({ ...before, feedback: 'failed' }));
    }
  }

  private async loadStatus(userId: string): Promise<void> {
    try {
      const status = await this.call(getAssistantStatus(this.http, this.apiConfig.rootUrl));
      if (this.userId === userId) {
        this._status.set(status);
      }
    } catch (error: unknown) {
      // Refused (no assistant:use for this key or role): hide the widget. Any other failure
      // leaves it on; asking then says what is wrong.
      if (error instanceof HttpErrorResponse && error.status === 403 && this.userId === userId) {
        this._status.set(null);
        this._statusLoaded.set(false);
        return;
      }
    }
    if (this.userId === userId) {
      this._statusLoaded.set(true);
    }
  }

  private onUser(userId: string | null): void {
    if (userId === this.userId) {
      return;
    }
    this.userId = userId;
    this.newThread();
    this._problem.set(null);
    this._retryAt.set(null);
    this.stopTicker();
    this.draft.set('');
    this._open.set(false);
    this._status.set(null);
    this._statusLoaded.set(false);
    if (userId && this.auth.hasPermission('assistant:use')) {
      void this.loadStatus(userId);
    }
  }

  private showProblem(problem: ApiProblem): void {
    this._problem.set(problem);
    if (problem.status === 429) {
      const seconds = problem.retryAfterSeconds ?? DEFAULT_RETRY_SECONDS;
      this._now.set(Date.now());
      this._retryAt.set(Date.now() + seconds * 1000);
      this.startTicker();
    }
  }

  private startTicker(): void {
    this.stopTicker();
    this.ticker = setInterval(() => {
      this._now.set(Date.now());
      if (this.retryInSeconds() === 0) {
        this._retryAt.set(null);
        if (this._problem()?.status === 429) {
          this._problem.set(null);
        }
        this.stopTicker();
      }
    }, 1000);
  }

  private stopTicker(): void {
    if (this.ticker !== null) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  /**
   * The page the question is asked from, for Kapa's analytics. Without query and fragment:
   * those can hold search terms and names that have no business leaving Meridian.
   */
  private originUrl(): string {
    const location = this.document.location;
    return `${location.origin}${location.pathname}`;
  }

  private patch(id: number, change: (exchange: AssistantExchange) => Partial<AssistantExchange>): void {
    this._exchanges.update((list) =>
      list.map((exchange) => (exchange.id === id ? { ...exchange, ...change(exchange) } : exchange)),
    );
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}

function newExchange(id: number, question: string): AssistantExchange {
  return {
    id,
    question,
    answer: '',
    sources: [],
    state: 'streaming',
    error: null,
    questionAnswerId: null,
    provider: null,
    isUncertain: false,
    reaction: null,
    comment: null,
    feedback: 'idle',
  };
}
