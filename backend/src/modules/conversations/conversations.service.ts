import { HttpStatus, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ProblemException, ValidationProblem } from '../../common/errors/problem';
import { decodeCursor, encodeCursor, Page } from '../../common/pagination';
import { poolOf, queryIsoRows } from '../../database/pool-query';
import { AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/actor';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import {
  ChannelEventsService,
  WhatsAppSender,
  type WhatsAppIncomingMessage,
  type WhatsAppStatusEvent,
} from '../channels/channels.module';
import { LeadActivityType } from '../leads/lead-activity.entity';
import { LeadActivitiesService } from '../leads/lead-activities.service';
import { LeadSource } from '../leads/lead.entity';
import { LeadsService, parsePhone } from '../leads/leads.service';
import { ConversationLiveService } from './conversation-live.service';
import { ConversationMessage, MessageKind, MessageStatus } from './conversation-message.entity';
import { Conversation, ConversationChannel, ConversationStatus } from './conversation.entity';

/** Meta's customer service window: free-form messages only this long after the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;
const PREVIEW_LENGTH = 140;
/** Status ticks only move forward (a late "delivered" never hides "read"); failed wins. */
const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  pending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
};

const fieldError = (field: string, reason: string) => new ValidationProblem([{ field, reason }]);

/**
 * Messages from contacts whose WhatsApp thread is open and has its lead (the steady state),
 * several webhooks' worth at once: one statement instead of a transaction of six each. It
 * locks the threads, inserts each message unless its wamid is there already (a replay changes
 * nothing), moves each thread's counters (only forward: a late delivery keeps the newer
 * preview) and adds the timeline entries. An input without a row (`ord` missing): no such open
 * thread with a lead, and that message goes the long way (storeInbound); message_id null: a
 * replay. The inputs of one batch have distinct addresses and wamids (see quickStore).
 */
const INBOUND_TO_OPEN_THREADS = `
WITH i AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
    WITH ORDINALITY AS i(address, kind, body, wamid, at, preview, name, ord)
), c AS (
  SELECT t.id, t.lead_id, t.contact_name, i.ord FROM conversations t JOIN i ON t.contact_address = i.address
  WHERE t.organization_id = $1 AND t.channel = 'whatsapp' AND t.status = 'open' AND t.lead_id IS NOT NULL
  ORDER BY t.id
  FOR UPDATE OF t
), m AS (
  INSERT INTO conversation_messages
    (organization_id, conversation_id, direction, kind, body, provider_message_id, status, author_label, created_at)
  SELECT $1, c.id, 'in', i.kind, i.body, i.wamid, 'received', c.contact_name, i.at FROM c JOIN i USING (ord)
  ON CONFLICT DO NOTHING
  RETURNING id, conversation_id, provider_message_id
), u AS (
  UPDATE conversations t SET
    unread_count = t.unread_count + 1,
    last_message_preview = CASE WHEN i.at >= t.last_message_at THEN i.preview ELSE t.last_message_preview END,
    last_message_at = GREATEST(t.last_message_at, i.at),
    last_inbound_at = GREATEST(t.last_inbound_at, i.at),
    contact_name = COALESCE(t.contact_name, i.name),
    updated_at = now()
  FROM m JOIN i ON i.wamid = m.provider_message_id
  WHERE t.id = m.conversation_id
  RETURNING t.id
), a AS (
  INSERT INTO lead_activities (organization_id, lead_id, type, actor_id, actor_label, data)
  SELECT $1, c.lead_id, 'message_received', NULL, 'WhatsApp',
    jsonb_build_object('conversationId', c.id, 'channel', 'whatsapp', 'preview', i.preview)
  FROM c JOIN i USING (ord) JOIN m ON m.provider_message_id = i.wamid
  ORDER BY i.ord
)
SELECT c.ord, c.id AS conversation_id, m.id AS message_id
FROM c JOIN i USING (ord) LEFT JOIN m ON m.provider_message_id = i.wamid`;

interface QuickInput {
  organizationId: string;
  address: string;
  kind: MessageKind;
  body: string;
  wamid: string;
  at: Date;
  name: string | null;
  done: (row: { conversationId: string; messageId: string | null } | undefined) => void;
  fail: (err: unknown) => void;
}
/** At most this many messages in one statement. */
const QUICK_BATCH_MAX = 128;

export const preview = (text: string) =>
  text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;

export interface ConversationListQuery {
  status?: ConversationStatus;
  unread?: boolean;
  /** 'me', 'unassigned', or a user id. */
  assignee?: string;
  channel?: ConversationChannel;
  leadId?: string;
  limit: number;
  cursor?: string;
}

export type ReplyInput =
  | { kind: 'text'; text: string }
  | { kind: 'template'; templateName: string; language: string; bodyParameters: string[] };

/**
 * Meta's timestamps are whole seconds: within that second, the time we received it, so a
 * message and a reply sent in the same second keep their real order; a late delivery
 * (Meta retries for days) keeps Meta's time.
 */
export function receivedAt(metaTime: Date, now = Date.now()): Date {
  return new Date(Math.max(metaTime.getTime(), Math.min(now, metaTime.getTime() + 999)));
}

/** When a WhatsApp conversation still takes free text, and until when. */
export function windowOf(c: Pick<Conversation, 'channel' | 'lastInboundAt'>, now = Date.now()) {
  if (c.channel !== 'whatsapp') return { open: true, closesAt: null as Date | null };
  const closesAt = c.lastInboundAt ? new Date(c.lastInboundAt.getTime() + WHATSAPP_WINDOW_MS) : null;
  return { open: closesAt !== null && closesAt.getTime() > now, closesAt };
}

/**
 * The inbox: conversations with leads over WhatsApp and the website widget.
 * Incoming WhatsApp messages arrive through the channels' webhook events;
 * replies leave through the WhatsApp sender (Cloud API, or the outbox).
 */
@Injectable()
export class ConversationsService implements OnModuleInit {
  private readonly logger = new Logger(ConversationsService.name);
  private whatsAppOrganization?: string;
  /** Open-thread messages waiting for the statement in flight (see quickStore). */
  private quickQueue: QuickInput[] = [];
  private quickRunning = false;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(ConversationMessage) private readonly messages: Repository<ConversationMessage>,
    private readonly channelEvents: ChannelEventsService,
    private readonly whatsapp: WhatsAppSender,
    private readonly leads: LeadsService,
    private readonly activities: LeadActivitiesService,
    private readonly audit: AuditService,
    private readonly live: ConversationLiveService,
  ) {}

  onModuleInit(): void {
    this.channelEvents.onWhatsAppMessages((messages) => this.receiveWhatsApp(messages));
    this.channelEvents.onWhatsAppStatuses((events) => this.applyStatuses(events));
  }

  /**
   * One number per installation: its messages belong to WHATSAPP_ORGANIZATION_ID,
   * else to the oldest organization (the one created at first start).
   */
  private async organizationForWhatsApp(): Promise<string | null> {
    if (this.whatsAppOrganization) return this.whatsAppOrganization;
    const configured = this.config.whatsapp.organizationId;
    const [row] = await this.dataSource.query<{ id: string }[]>(
      configured
        ? `SELECT id FROM organizations WHERE id = $1`
        : `SELECT id FROM organizations ORDER BY created_at ASC, id ASC LIMIT 1`,
      configured ? [configured] : [],
    );
    if (!row) return null;
    this.whatsAppOrganization = row.id;
    return row.id;
  }

  /** Webhook handler: each new message lands in its contact's conversation (created with its lead if needed). */
  async receiveWhatsApp(messages: WhatsAppIncomingMessage[]): Promise<number> {
    const own = this.config.whatsapp.phoneNumberId;
    const mine = messages.filter((m) => !own || !m.phoneNumberId || m.phoneNumberId === own);
    if (mine.length < messages.length)
      this.logger.warn(`Ignored ${messages.length - mine.length} WhatsApp messages sent to another phone number id`);
    if (mine.length === 0) return 0;
    const organizationId = await this.organizationForWhatsApp();
    if (!organizationId) {
      this.logger.warn(`No organization for ${mine.length} incoming WhatsApp messages (WHATSAPP_ORGANIZATION_ID)`);
      return 0;
    }
    let stored = 0;
    for (const message of mine) {
      const parsed = parsePhone(`+${message.from.replace(/\D/g, '')}`);
      const phone = 'reason' in parsed || !parsed.phone ? `+${message.from.replace(/\D/g, '')}` : parsed.phone;
      const name = message.profileName?.trim() || null;
      const body = message.text ?? `[${message.type}]`;
      const kind: MessageKind = message.text !== null || message.type === 'text' ? 'text' : 'media';
      const at = receivedAt(message.timestamp);
      const quick = await this.quickStore({
        organizationId,
        address: phone,
        kind,
        body,
        wamid: message.providerMessageId,
        at,
        name,
      });
      const result = quick
        ? quick.messageId && { conversationId: quick.conversationId, messageId: quick.messageId }
        : await this.dataSource.transaction((manager) =>
            this.storeInbound(manager, organizationId, {
              channel: 'whatsapp',
              address: phone,
              name,
              body,
              kind,
              providerMessageId: message.providerMessageId,
              at,
              lead: { phone, firstName: name, source: LeadSource.WhatsApp },
              systemLabel: 'WhatsApp',
            }),
          );
      if (!result) continue;
      stored++;
      // Best effort (see ConversationLiveService): the webhook's answer does not wait for it.
      void this.announce(organizationId, result.conversationId, result.messageId, 'message.created');
    }
    return stored;
  }

  /**
   * The open-thread statement (INBOUND_TO_OPEN_THREADS) for one message. One statement runs at a
   * time; the messages of the webhooks that arrive meanwhile go together in the next one (one
   * round trip and one commit for all of them). A message whose address or wamid is already in
   * that batch waits for the one after. Answers undefined when the thread is not open with a lead.
   */
  private quickStore(
    input: Omit<QuickInput, 'done' | 'fail'>,
  ): Promise<{ conversationId: string; messageId: string | null } | undefined> {
    return new Promise((done, fail) => {
      this.quickQueue.push({ ...input, done, fail });
      if (!this.quickRunning) void this.runQuick();
    });
  }

  private async runQuick(): Promise<void> {
    this.quickRunning = true;
    try {
      while (this.quickQueue.length > 0) {
        const org = this.quickQueue[0].organizationId;
        const keys = new Set<string>();
        const batch: QuickInput[] = [];
        const rest: QuickInput[] = [];
        for (const item of this.quickQueue) {
          if (
            batch.length < QUICK_BATCH_MAX &&
            item.organizationId === org &&
            !keys.has(`a:${item.address}`) &&
            !keys.has(`w:${item.wamid}`)
          ) {
            keys.add(`a:${item.address}`).add(`w:${item.wamid}`);
            batch.push(item);
          } else rest.push(item);
        }
        this.quickQueue = rest;
        try {
          const rows = await queryIsoRows<{ ord: string; conversation_id: string; message_id: string | null }>(
            poolOf(this.dataSource),
            INBOUND_TO_OPEN_THREADS,
            [
              org,
              batch.map((b) => b.address),
              batch.map((b) => b.kind),
              batch.map((b) => b.body),
              batch.map((b) => b.wamid),
              batch.map((b) => b.at.toISOString()),
              batch.map((b) => preview(b.body)),
              batch.map((b) => b.name),
            ],
            { prepare: true },
          );
          const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
          batch.forEach((b, index) => {
            const row = byOrd.get(index + 1);
            b.done(row ? { conversationId: row.conversation_id, messageId: row.message_id } : undefined);
          });
        } catch (err) {
          for (const b of batch) b.fail(err);
        }
      }
    } finally {
      this.quickRunning = false;
    }
  }

  /**
   * Stores one inbound message in its thread, in the caller's transaction: finds or
   * opens the conversation (and its lead), inserts the message unless its provider id
   * is there already (null: a replay), and moves the thread's counters.
   */
  async storeInbound(
    manager: EntityManager,
    organizationId: string,
    input: {
      channel: ConversationChannel;
      address: string;
      name: string | null;
      body: string;
      kind: MessageKind;
      providerMessageId: string | null;
      at: Date;
      lead: Parameters<LeadsService['findOrCreateForContact']>[2];
      systemLabel: string;
      conversationId?: string;
    },
  ): Promise<{ conversationId: string; messageId: string; leadId: string | null } | null> {
    const repo = manager.getRepository(Conversation);
    let conversation = input.conversationId
      ? await repo.findOne({
          where: { id: input.conversationId, organizationId },
          lock: { mode: 'pessimistic_write' },
        })
      : await repo.findOne({
          where: { organizationId, channel: input.channel, contactAddress: input.address },
          lock: { mode: 'pessimistic_write' },
        });
    let started = false;
    if (!conversation) {
      const { lead } = await this.leads.findOrCreateForContact(manager, organizationId, input.lead, input.systemLabel);
      const inserted = await repo
        .createQueryBuilder()
        .insert()
        .values({
          organizationId,
          leadId: lead.id,
          channel: input.channel,
          contactAddress: input.address,
          contactName: input.name ?? ([lead.firstName, lead.lastName].filter(Boolean).join(' ') || null),
          status: 'open',
          lastMessageAt: input.at,
          lastMessagePreview: '',
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      conversation = await repo.findOneOrFail({
        where: id ? { id } : { organizationId, channel: input.channel, contactAddress: input.address },
        lock: { mode: 'pessimistic_write' },
      });
      started = Boolean(id);
    } else if (!conversation.leadId) {
      // A widget conversation opened by the capture form: its lead comes with its first message.
      const { lead } = await this.leads.findOrCreateForContact(manager, organizationId, input.lead, input.systemLabel);
      await repo.update({ id: conversation.id }, { leadId: lead.id });
      conversation.leadId = lead.id;
      started = true;
    }
    const insertedMessage = await manager
      .getRepository(ConversationMessage)
      .createQueryBuilder()
      .insert()
      .values({
        organizationId,
        conversationId: conversation.id,
        direction: 'in',
        kind: input.kind,
        body: input.body,
        providerMessageId: input.providerMessageId,
        status: 'received',
        authorLabel: conversation.contactName,
        createdAt: input.at,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const messageId = (insertedMessage.raw as { id: string }[])[0]?.id;
    if (!messageId) return null;
    const reopened = conversation.status === 'closed';
    started ||= reopened;
    const newer = input.at.getTime() >= conversation.lastMessageAt.getTime();
    await repo.update(
      { id: conversation.id },
      {
        status: 'open',
        unreadCount: () => 'unread_count + 1',
        ...(newer ? { lastMessageAt: input.at, lastMessagePreview: preview(input.body) } : {}),
        ...(!conversation.lastInboundAt || input.at > conversation.lastInboundAt ? { lastInboundAt: input.at } : {}),
        ...(input.name && !conversation.contactName ? { contactName: input.name } : {}),
      },
    );
    if (conversation.leadId) {
      if (started)
        await this.activities.recordSystem(
          manager,
          organizationId,
          input.systemLabel,
          conversation.leadId,
          LeadActivityType.ConversationStarted,
          { conversationId: conversation.id, channel: input.channel },
        );
      await this.activities.recordSystem(
        manager,
        organizationId,
        input.systemLabel,
        conversation.leadId,
        LeadActivityType.MessageReceived,
        { conversationId: conversation.id, channel: input.channel, preview: preview(input.body) },
      );
    }
    return { conversationId: conversation.id, messageId, leadId: conversation.leadId };
  }

  /** Status webhooks: ticks on the replies sent from the inbox (other wamids are the campaigns'). */
  async applyStatuses(events: WhatsAppStatusEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) {
      const rank = STATUS_RANK[event.status];
      const lower = (Object.keys(STATUS_RANK) as MessageStatus[]).filter((s) => STATUS_RANK[s] < rank);
      const error = event.error ? `${event.error.code} ${event.error.title}` : null;
      type Row = { id: string; organization_id: string; conversation_id: string };
      // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
      const [rows] = await this.dataSource.query<[Row[], number]>(
        `UPDATE conversation_messages SET status = $2, error = COALESCE($3, error)
         WHERE provider_message_id = $1 AND direction = 'out' AND status = ANY($4::text[])
         RETURNING id, organization_id, conversation_id`,
        [event.providerMessageId, event.status, error, lower],
      );
      for (const row of rows) await this.announce(row.organization_id, row.conversation_id, row.id, 'message.updated');
    }
  }

  async list(principal: Principal, query: ConversationListQuery): Promise<Page<Conversation>> {
    const qb = this.conversations
      .createQueryBuilder('c')
      .where('c.organization_id = :org', { org: principal.organizationId })
      .orderBy('c.last_message_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.channel) qb.andWhere('c.channel = :channel', { channel: query.channel });
    if (query.unread) qb.andWhere('c.unread_count > 0');
    if (query.leadId) qb.andWhere('c.lead_id = :leadId', { leadId: query.leadId });
    if (query.assignee === 'unassigned') qb.andWhere('c.assignee_id IS NULL');
    else if (query.assignee)
      qb.andWhere('c.assignee_id = :assignee', {
        assignee: query.assignee === 'me' ? principal.id : query.assignee,
      });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, 2);
      qb.andWhere('(c.last_message_at, c.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.lastMessageAt.toISOString(), last.id]) : null,
    };
  }

  async get(organizationId: string, id: string): Promise<Conversation> {
    const conversation = await this.conversations.findOne({ where: { id, organizationId } });
    if (!conversation) throw new NotFoundException(`No conversation ${id}`);
    return conversation;
  }

  /** Newest first (the thread view reverses a page); keyset on (created_at, id). */
  async listMessages(
    organizationId: string,
    conversationId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<ConversationMessage>> {
    await this.get(organizationId, conversationId);
    return this.pageMessages(organizationId, conversationId, limit, cursor);
  }

  async pageMessages(
    organizationId: string,
    conversationId: string,
    limit: number,
    cursor?: string,
    order: 'ASC' | 'DESC' = 'DESC',
  ): Promise<Page<ConversationMessage>> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.organization_id = :org AND m.conversation_id = :conversationId', {
        org: organizationId,
        conversationId,
      })
      .orderBy('m.created_at', order)
      .addOrderBy('m.id', order)
      .limit(limit + 1);
    if (cursor) {
      const [at, id] = decodeCursor(cursor, 2);
      qb.andWhere(`(m.created_at, m.id) ${order === 'DESC' ? '<' : '>'} (:at::timestamptz, :id::uuid)`, { at, id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async getMessage(organizationId: string, conversationId: string, messageId: string): Promise<ConversationMessage> {
    const message = await this.messages.findOne({ where: { id: messageId, conversationId, organizationId } });
    if (!message) throw new NotFoundException(`No message ${messageId}`);
    return message;
  }

  /** A teammate opened the thread: nothing unread any more. */
  async markRead(actor: Actor, id: string): Promise<Conversation> {
    const conversation = await this.get(actor.principal.organizationId, id);
    if (conversation.unreadCount === 0) return conversation;
    await this.conversations.update({ id, organizationId: actor.principal.organizationId }, { unreadCount: 0 });
    await this.announce(actor.principal.organizationId, id);
    return { ...conversation, unreadCount: 0 };
  }

  async update(
    actor: Actor,
    id: string,
    changes: { status?: ConversationStatus; assigneeId?: string | null },
  ): Promise<Conversation> {
    const org = actor.principal.organizationId;
    if (changes.assigneeId) {
      try {
        await this.leads.assertOwner(org, changes.assigneeId);
      } catch {
        throw fieldError('assigneeId', 'is not a user of this organization');
      }
    }
    const updated = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Conversation);
      const conversation = await repo.findOne({
        where: { id, organizationId: org },
        lock: { mode: 'pessimistic_write' },
      });
      if (!conversation) throw new NotFoundException(`No conversation ${id}`);
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      if (changes.status !== undefined && changes.status !== conversation.status)
        diff.status = { from: conversation.status, to: changes.status };
      if (changes.assigneeId !== undefined && changes.assigneeId !== conversation.assigneeId)
        diff.assigneeId = { from: conversation.assigneeId, to: changes.assigneeId };
      if (Object.keys(diff).length === 0) return conversation;
      if (diff.status) conversation.status = changes.status as ConversationStatus;
      if (diff.assigneeId) conversation.assigneeId = changes.assigneeId ?? null;
      await repo.save(conversation);
      await this.audit.record(
        actor,
        { action: 'conversation.updated', entityType: 'conversation', entityId: id, changes: diff },
        manager,
      );
      if (diff.status && conversation.leadId)
        await this.activities.record(
          manager,
          actor,
          conversation.leadId,
          conversation.status === 'closed' ? LeadActivityType.ConversationClosed : LeadActivityType.ConversationStarted,
          { conversationId: id, channel: conversation.channel, reopened: conversation.status === 'open' },
        );
      return conversation;
    });
    await this.announce(org, id);
    return updated;
  }

  /**
   * A reply from the inbox. WhatsApp: text only within 24 h of the contact's last
   * message (Meta refuses it after), a template at any time; sent now, the
   * message answers with its status. Widget: the visitor's widget fetches it.
   */
  async reply(actor: Actor, id: string, input: ReplyInput): Promise<ConversationMessage> {
    const org = actor.principal.organizationId;
    const conversation = await this.get(org, id);
    if (input.kind === 'template' && conversation.channel !== 'whatsapp')
      throw fieldError('kind', 'templates are WhatsApp messages; the widget takes text');
    if (input.kind === 'text' && conversation.channel === 'whatsapp') {
      const window = windowOf(conversation);
      if (!window.open)
        throw new ProblemException(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'whatsapp_window_closed',
          window.closesAt
            ? `The contact last wrote more than 24 hours ago (window closed at ${window.closesAt.toISOString()}). WhatsApp only delivers an approved template message now; the free-form text window opens again when they answer.`
            : 'The contact has not written to this number yet: WhatsApp only delivers an approved template message until they do.',
          {
            windowClosedAt: window.closesAt?.toISOString() ?? null,
            lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null,
            errors: [
              { field: 'kind', reason: 'free text is only allowed within 24 hours of the last inbound message' },
            ],
          },
          'Outside the 24-hour window',
        );
    }
    const body =
      input.kind === 'text'
        ? input.text
        : `Template ${input.templateName} (${input.language})${input.bodyParameters.length ? `: ${input.bodyParameters.join(', ')}` : ''}`;
    const message: ConversationMessage = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(ConversationMessage).save({
        organizationId: org,
        conversationId: id,
        direction: 'out' as const,
        kind: input.kind,
        body,
        templateName: input.kind === 'template' ? input.templateName : null,
        status: conversation.channel === 'whatsapp' ? ('pending' as const) : ('sent' as const),
        authorId: actor.principal.kind === 'user' ? actor.principal.id : null,
        authorLabel: actor.principal.label,
      });
      await manager
        .getRepository(Conversation)
        .update({ id }, { lastMessageAt: saved.createdAt, lastMessagePreview: preview(body), unreadCount: 0 });
      if (conversation.leadId)
        await this.activities.record(manager, actor, conversation.leadId, LeadActivityType.MessageSent, {
          conversationId: id,
          channel: conversation.channel,
          kind: input.kind,
          preview: preview(body),
        });
      await this.audit.record(
        actor,
        {
          action: 'conversation.replied',
          entityType: 'conversation',
          entityId: id,
          changes: { messageId: saved.id, kind: input.kind, templateName: saved.templateName },
        },
        manager,
      );
      return saved;
    });
    if (conversation.channel === 'whatsapp') {
      const meta = { organizationId: org };
      const callbackData = `conversation:${message.id}`;
      const outcome =
        input.kind === 'text'
          ? await this.whatsapp.sendText({ to: conversation.contactAddress, body: input.text, callbackData }, meta)
          : await this.whatsapp.send(
              {
                to: conversation.contactAddress,
                templateName: input.templateName,
                language: input.language,
                bodyParameters: input.bodyParameters,
                callbackData,
              },
              meta,
            );
      message.status = outcome.ok ? 'sent' : 'failed';
      message.providerMessageId = outcome.ok ? outcome.providerMessageId : null;
      message.error = outcome.ok ? null : outcome.error;
      // A status webhook may already have moved it on: only pending is overwritten.
      await this.messages.update(
        { id: message.id, status: 'pending' },
        { status: message.status, providerMessageId: message.providerMessageId, error: message.error },
      );
    }
    await this.announce(org, id, message.id, 'message.created');
    return message;
  }

  async announce(
    organizationId: string,
    conversationId: string,
    messageId?: string,
    type: 'conversation.updated' | 'message.created' | 'message.updated' = 'conversation.updated',
  ): Promise<void> {
    await this.live.publish(organizationId, { type, conversationId, ...(messageId ? { messageId } : {}) });
  }
}
