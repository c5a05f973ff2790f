import { Injectable, inject } from '@angular/core';
import { ApiConfiguration, streamConversationEvents } from '@meridian/api-client';

import { AuthStore } from '../../core/auth/auth.store';
import { SseParser } from '../assistant/sse-parser';

export interface InboxLiveEvent {
  type: 'ready' | 'conversation.updated' | 'message.created' | 'message.updated';
  conversationId?: string;
  messageId?: string;
}

const EVENT_TYPES = new Set(['ready', 'conversation.updated', 'message.created', 'message.updated']);
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * The inbox's live events (GET /api/conversations/stream, server-sent events), read with
 * fetch: an EventSource cannot send the Authorization header. Reconnects with backoff,
 * and after a 401 once with a refreshed token; `onState` says whether the stream is live
 * (the page shows it, and reloads what it missed on every reconnect).
 */
@Injectable({ providedIn: 'root' })
export class InboxLiveClient {
  private readonly auth = inject(AuthStore);
  private readonly apiConfig = inject(ApiConfiguration);

  connect(onEvent: (event: InboxLiveEvent) => void, onState: (live: boolean) => void): () => void {
    const abort = new AbortController();
    let attempt = 0;
    const url = `${this.apiConfig.rootUrl}${streamConversationEvents.PATH}`;
    const run = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        try {
          const sent = this.auth.token();
          let response = await fetch(url, this.init(sent, abort.signal));
          if (response.status === 401) {
            const token = await this.auth.tokenAfterUnauthorized(sent);
            if (!token) return;
            response = await fetch(url, this.init(token, abort.signal));
          }
          if (response.ok && response.body) {
            const reader = response.body.getReader();
            const decoder = new TextDecoder();
            const parser = new SseParser();
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              for (const message of parser.push(decoder.decode(value, { stream: true }))) {
                if (!EVENT_TYPES.has(message.event)) continue;
                let data: Record<string, unknown> = {};
                try {
                  data = JSON.parse(message.data) as Record<string, unknown>;
                } catch {
                  continue;
                }
                if (message.event === 'ready') {
                  attempt = 0;
                  onState(true);
                }
                onEvent({
                  type: message.event as InboxLiveEvent['type'],
                  conversationId: typeof data['conversationId'] === 'string' ? data['conversationId'] : undefined,
                  messageId: typeof data['messageId'] === 'string' ? data['messageId'] : undefined,
                });
              }
            }
          }
        } catch {
          // Network gone or aborted: retried below unless aborted.
        }
        onState(false);
        if (abort.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
      }
    };
    void run();
    return () => abort.abort();
  }

  private init(token: string | null, signal: AbortSignal): RequestInit {
    return {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      credentials: 'same-origin',
      signal,
    };
  }
}
