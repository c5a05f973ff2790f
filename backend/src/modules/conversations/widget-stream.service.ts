import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Gauge, register } from 'prom-client';
import { ProblemException } from '../../common/errors/problem';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AppConfig } from '../../config/app-config';
import { ConversationLiveEvent, ConversationLiveService } from './conversation-live.service';
import { ConversationMessage } from './conversation-message.entity';
import { Conversation } from './conversation.entity';
import { ConversationsService } from './conversations.service';
import { WidgetStreamSlots } from './widget-stream-slots';
import { WidgetSettings } from './widget-settings.entity';
import { toWidgetMessage } from './widget.service';

export const WIDGET_HEARTBEAT_MS = 25_000;
/** What a visitor over a stream limit is told to wait: about when a closed tab's slot is free. */
const FULL_RETRY_SECONDS = 30;
const PAGE = 100;

export const widgetStreamsOpen =
  (register.getSingleMetric('meridian_widget_streams_open') as Gauge | undefined) ??
  new Gauge({
    name: 'meridian_widget_streams_open',
    help: 'Website widget live streams open on this process.',
  });

const FULL_DETAIL: Record<string, string> = {
  visitor: 'This conversation is already open in too many tabs: close one, or the widget checks for replies instead.',
  ip: 'Too many live chats from this address. The widget checks for replies instead.',
  key: 'This website has many live chats open right now. The widget checks for replies instead.',
};

/** A message cursor (`[createdAt, id]`) that the widget may send back: checked before any query. */
export function isMessageCursor(cursor: string): boolean {
  let at: string, id: string;
  try {
    [at, id] = decodeCursor(cursor, 2);
  } catch {
    return false;
  }
  return (
    !Number.isNaN(Date.parse(at)) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id ?? '')
  );
}

export interface WidgetStreamRequest {
  settings: WidgetSettings;
  conversation: Conversation;
  /** The allowed origin the page is on: the stream ends when the site is no longer allowed. */
  origin: string;
  ip: string;
  /** Messages after this cursor (Last-Event-ID or ?after=); none: the whole conversation. */
  after?: string;
}

/**
 * The visitor's live stream: every message of their conversation after the cursor (each
 * with the cursor that follows it as its SSE id, so a reconnect resumes exactly there), the
 * conversation's status when it changes, and an end when the widget's key, switch or sites
 * change. Listens to the inbox's live events (ConversationLiveService: Redis pub/sub across
 * API processes) and reads the messages from the database, so an event that arrives twice
 * or out of order sends nothing twice.
 */
@Injectable()
export class WidgetStreamService {
  private readonly logger = new Logger(WidgetStreamService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly live: ConversationLiveService,
    private readonly inbox: ConversationsService,
    private readonly slots: WidgetStreamSlots,
  ) {}

  async open(request: WidgetStreamRequest, reply: FastifyReply): Promise<void> {
    const { settings, conversation, origin } = request;
    const limits = this.config.widget;
    const slot = await this.slots.acquire([
      { name: 'visitor', id: conversation.id, limit: limits.streamsPerVisitor },
      { name: 'ip', id: request.ip, limit: limits.streamsPerIp },
      { name: 'key', id: settings.publicKey, limit: limits.streamsPerKey },
    ]);
    if ('full' in slot) {
      void reply.header('retry-after', String(FULL_RETRY_SECONDS));
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        'too_many_streams',
        FULL_DETAIL[slot.full],
        { limit: slot.full, retryAfterSeconds: FULL_RETRY_SECONDS },
        'Too many live streams',
      );
    }
    widgetStreamsOpen.inc();

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const organizationId = settings.organizationId;
    let cursor = request.after;
    let status = conversation.status;
    let closed = false;
    const delivered = new Set<string>();
    const write = (chunk: string) => {
      if (!closed && !raw.destroyed) raw.write(chunk);
    };
    const send = (event: string, data: unknown, id?: string) =>
      write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const deliver = (m: ConversationMessage, id: string | undefined) => {
      delivered.add(m.id);
      send('message', toWidgetMessage(m), id);
    };

    /** Everything after the cursor; then the one message an event named, if it committed late (older than the cursor). */
    const catchUp = async (messageId?: string) => {
      for (;;) {
        const page = await this.inbox.pageMessages(organizationId, conversation.id, PAGE, cursor, 'ASC');
        for (const m of page.items) {
          cursor = encodeCursor([m.createdAt.toISOString(), m.id]);
          if (!delivered.has(m.id)) deliver(m, cursor);
        }
        if (!page.nextCursor || closed) break;
      }
      if (messageId && !delivered.has(messageId)) {
        const late = await this.inbox.getMessage(organizationId, conversation.id, messageId).catch(() => null);
        if (late) deliver(late, cursor);
      }
      const now = await this.inbox.get(organizationId, conversation.id);
      if (now.status !== status) {
        status = now.status;
        send('status', { status });
      }
    };
    // One read at a time, in event order: a burst of events costs one read each, never a race.
    let queue = Promise.resolve();
    const serially = (task: () => Promise<void>) => {
      queue = queue
        .then(() => (closed ? undefined : task()))
        .catch((err: Error) => {
          this.logger.warn(`A widget stream could not read its conversation: ${err.message}`);
        });
      return queue;
    };

    const onEvent = (e: ConversationLiveEvent) => {
      if (e.type === 'widget.updated') {
        if (e.publicKey !== settings.publicKey || !e.enabled || !e.allowedOrigins.includes(origin)) {
          send('end', { reason: 'widget_changed' });
          raw.end();
        }
        return;
      }
      if (e.conversationId !== conversation.id) return;
      if (e.type === 'message.created') void serially(() => catchUp(e.messageId));
      else if (e.type === 'conversation.updated') void serially(() => catchUp());
    };
    const subscription = this.live.subscribe(organizationId, onEvent, () => raw.end());
    const heartbeat = setInterval(() => {
      write(': keep-alive\n\n');
      slot.refresh().catch((err: Error) => this.logger.warn(`Could not refresh a widget stream slot: ${err.message}`));
    }, WIDGET_HEARTBEAT_MS);
    heartbeat.unref();
    raw.on('close', () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      subscription.stop();
      widgetStreamsOpen.dec();
      slot.release().catch((err: Error) => this.logger.warn(`Could not release a widget stream slot: ${err.message}`));
    });

    await subscription.ready;
    send('status', { status });
    await serially(() => catchUp());
    send('ready', {});
  }
}
