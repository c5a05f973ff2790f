import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createRedisClient, REDIS } from '../../cache/redis';
import { AppConfig } from '../../config/app-config';

export const LIVE_CHANNEL = 'meridian:conversations';

/** What the inbox hears: a conversation changed (new message, status tick, assignment, close). */
export interface InboxLiveEvent {
  type: 'conversation.updated' | 'message.created' | 'message.updated';
  conversationId: string;
  messageId?: string;
}

/** The website widget's settings changed: its open visitor streams check they may stay open. */
export interface WidgetLiveEvent {
  type: 'widget.updated';
  publicKey: string;
  enabled: boolean;
  allowedOrigins: string[];
}

export type ConversationLiveEvent = InboxLiveEvent | WidgetLiveEvent;

type Listener = (event: ConversationLiveEvent) => void;

/**
 * Fan-out of inbox events to the open SSE streams (the console's inbox, the website
 * widget's visitors): through Redis pub/sub when
 * REDIS_URL is set (every API process hears what any process published),
 * in process memory in the embedded profile. Best effort: a stream that
 * misses an event still shows it on its next reload; nothing depends on it.
 */
@Injectable()
export class ConversationLiveService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ConversationLiveService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Ends each open stream: called before the HTTP server closes, which would wait for them. */
  private readonly enders = new Set<() => void>();
  private subscriber?: Redis;
  private subscribed: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(REDIS) private readonly publisher?: Redis,
  ) {}

  async publish(organizationId: string, event: ConversationLiveEvent): Promise<void> {
    if (this.publisher && this.config.redisUrl) {
      try {
        await this.publisher.publish(LIVE_CHANNEL, JSON.stringify({ organizationId, event }));
        return;
      } catch (err) {
        this.logger.warn(`Could not publish an inbox event: ${(err as Error).message}`);
      }
    }
    this.dispatch(organizationId, event);
  }

  /** Listens to one organization's events; `ready` settles once events published anywhere reach it. */
  subscribe(
    organizationId: string,
    listener: Listener,
    end: () => void = () => undefined,
  ): { ready: Promise<void>; stop: () => void } {
    this.ensureSubscribed();
    let set = this.listeners.get(organizationId);
    if (!set) this.listeners.set(organizationId, (set = new Set()));
    set.add(listener);
    this.enders.add(end);
    return {
      ready: this.subscribed,
      stop: () => {
        this.enders.delete(end);
        set.delete(listener);
        if (set.size === 0) this.listeners.delete(organizationId);
      },
    };
  }

  get listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  beforeApplicationShutdown(): void {
    for (const end of [...this.enders]) end();
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber && subscriber.status !== 'end') await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private dispatch(organizationId: string, event: ConversationLiveEvent): void {
    for (const listener of this.listeners.get(organizationId) ?? []) {
      try {
        listener(event);
      } catch (err) {
        this.logger.warn(`An inbox stream failed: ${(err as Error).message}`);
      }
    }
  }

  /** Subscribed on the first stream, so processes without open inboxes (the worker) hold no subscription. */
  private ensureSubscribed(): void {
    if (this.subscriber || !this.config.redisUrl || !this.publisher) return;
    const subscriber = createRedisClient(this.config.redisUrl, 'conversations-live', {
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const { organizationId, event } = JSON.parse(raw) as { organizationId: string; event: ConversationLiveEvent };
        if (typeof organizationId === 'string' && event) this.dispatch(organizationId, event);
      } catch {
        /* not ours */
      }
    });
    this.subscribed = subscriber.subscribe(LIVE_CHANNEL).then(
      () => undefined,
      (err: Error) => this.logger.warn(`Could not subscribe to inbox events: ${err.message}`),
    );
  }
}
