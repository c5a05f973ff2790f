import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { CacheService } from '../../cache/cache.service';
import { ProblemException } from '../../common/errors/problem';
import { AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/actor';
import { resolveJwtSecret } from '../auth/jwt-secret';
import { Permission, Role } from '../auth/permissions';
import { AuditService } from '../audit/audit.service';
import { AssistantService } from '../kapa/assistant.service';
import { LeadSource } from '../leads/lead.entity';
import { parsePhone } from '../leads/leads.service';
import { ConversationMessage } from './conversation-message.entity';
import { Conversation } from './conversation.entity';
import { ConversationsService, preview } from './conversations.service';
import { ConversationLiveService } from './conversation-live.service';
import { WidgetMessageDto } from './dto/widget.dto';
import { WidgetSettings } from './widget-settings.entity';

/** A form token older than this is refused (the page was left open for hours). */
export const FORM_TOKEN_TTL_MS = 2 * 3600_000;
const RATE_WINDOW_SECONDS = 60;

export interface CaptureInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  message: string;
  consent: boolean;
  formToken: string;
  /** The honeypot: a field people never see. */
  website?: string | null;
  pageUrl?: string | null;
}

/** What the visitor sees of a message: no internal ids beyond the message's own. */
export const toWidgetMessage = (m: ConversationMessage): WidgetMessageDto => ({
  id: m.id,
  direction: m.direction,
  kind: m.kind === 'assistant' ? 'assistant' : 'text',
  body: m.body,
  authorLabel: m.direction === 'in' ? null : m.authorLabel,
  createdAt: m.createdAt.toISOString(),
});

const problem = (status: HttpStatus, code: string, detail: string, title: string, ext: Record<string, unknown> = {}) =>
  new ProblemException(status, code, detail, ext, title);

export const normaliseOrigin = (origin: string): string | null => {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin;
  } catch {
    return null;
  }
};

/**
 * The website widget: its settings (one per organization) and what its public
 * routes do with the public key. The key opens nothing but these routes: it
 * captures a lead, opens a widget conversation, and reads that conversation
 * back with the visitor's own token.
 */
@Injectable()
export class WidgetService {
  private readonly logger = new Logger(WidgetService.name);
  private readonly secret: string;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WidgetSettings) private readonly settings: Repository<WidgetSettings>,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    private readonly cache: CacheService,
    private readonly audit: AuditService,
    private readonly inbox: ConversationsService,
    private readonly assistant: AssistantService,
    private readonly live: ConversationLiveService,
  ) {
    this.secret = resolveJwtSecret(config);
  }

  /** The organization's settings, made (disabled until an origin is allowed) on first read. */
  async getSettings(organizationId: string): Promise<WidgetSettings> {
    const existing = await this.settings.findOne({ where: { organizationId } });
    if (existing) return existing;
    await this.settings
      .createQueryBuilder()
      .insert()
      .values({ organizationId, publicKey: newPublicKey(), allowedOrigins: [] })
      .orIgnore()
      .execute();
    return this.settings.findOneOrFail({ where: { organizationId } });
  }

  async updateSettings(
    actor: Actor,
    changes: { enabled?: boolean; allowedOrigins?: string[]; greeting?: string; accentColor?: string },
  ): Promise<WidgetSettings> {
    const current = await this.getSettings(actor.principal.organizationId);
    const next: Partial<WidgetSettings> = {};
    if (changes.allowedOrigins !== undefined)
      next.allowedOrigins = [
        ...new Set(changes.allowedOrigins.map((o) => normaliseOrigin(o)).filter((o): o is string => Boolean(o))),
      ];
    if (changes.enabled !== undefined) next.enabled = changes.enabled;
    if (changes.greeting !== undefined) next.greeting = changes.greeting;
    if (changes.accentColor !== undefined) next.accentColor = changes.accentColor;
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(next)) {
      const before = (current as unknown as Record<string, unknown>)[key];
      if (JSON.stringify(before) !== JSON.stringify(value)) diff[key] = { from: before, to: value };
    }
    if (Object.keys(diff).length === 0) return current;
    await this.settings.update({ organizationId: current.organizationId }, next);
    await this.audit.record(actor, {
      action: 'widget.updated',
      entityType: 'widget',
      entityId: current.organizationId,
      changes: diff,
    });
    const updated = { ...current, ...next };
    if (diff.enabled || diff.allowedOrigins) await this.announce(updated);
    return updated;
  }

  /** A new public key: pages embedding the old one stop working at once. */
  async rotateKey(actor: Actor): Promise<WidgetSettings> {
    const current = await this.getSettings(actor.principal.organizationId);
    const publicKey = newPublicKey();
    await this.settings.update({ organizationId: current.organizationId }, { publicKey });
    await this.audit.record(actor, {
      action: 'widget.key_rotated',
      entityType: 'widget',
      entityId: current.organizationId,
      changes: { publicKey: { from: current.publicKey, to: publicKey } },
    });
    const updated = { ...current, publicKey };
    await this.announce(updated);
    return updated;
  }

  /** Open visitor streams of the old key, of a switched-off widget or of a removed site end (WidgetStreamService). */
  private announce(settings: WidgetSettings): Promise<void> {
    return this.live.publish(settings.organizationId, {
      type: 'widget.updated',
      publicKey: settings.publicKey,
      enabled: settings.enabled,
      allowedOrigins: settings.allowedOrigins,
    });
  }

  /** The settings behind a public key; an unknown or disabled key is 404 like any missing thing. */
  async byPublicKey(publicKey: string): Promise<WidgetSettings> {
    const settings = /^wk_[A-Za-z0-9_-]{24}$/.test(publicKey)
      ? await this.settings.findOne({ where: { publicKey } })
      : null;
    if (!settings || !settings.enabled) throw new NotFoundException('No widget with this key');
    return settings;
  }

  /** The calling page's Origin must be one the organization allowed. */
  checkOrigin(settings: WidgetSettings, origin: string | undefined): string {
    const normalised = origin ? normaliseOrigin(origin) : null;
    if (!normalised || !settings.allowedOrigins.includes(normalised))
      throw problem(
        HttpStatus.FORBIDDEN,
        'origin_not_allowed',
        origin
          ? `This widget may not be embedded on ${origin}: add the site in Settings > Website widget.`
          : 'The Origin header is missing: the widget only answers pages of the allowed sites.',
        'Origin not allowed',
      );
    return normalised;
  }

  /** Per address and per key, over one minute; Redis-backed with REDIS_URL, memory when embedded. */
  async rateLimit(settings: WidgetSettings, ip: string): Promise<void> {
    const [byIp, byKey] = await Promise.all([
      this.cache.increment(`widget-ip:${ip}`, RATE_WINDOW_SECONDS),
      this.cache.increment(`widget-key:${settings.publicKey}`, RATE_WINDOW_SECONDS),
    ]);
    const { ratePerIpPerMinute, ratePerKeyPerMinute } = this.config.widget;
    if (byIp > ratePerIpPerMinute || byKey > ratePerKeyPerMinute)
      throw problem(
        HttpStatus.TOO_MANY_REQUESTS,
        'too_many_requests',
        byIp > ratePerIpPerMinute
          ? 'Too many messages from this address. Try again in a minute.'
          : 'This website is receiving many messages right now. Try again in a minute.',
        'Too many requests',
        { retryAfterSeconds: RATE_WINDOW_SECONDS },
      );
  }

  /** Signed with the server secret: when the form was shown, for the minimum fill time. */
  formToken(settings: WidgetSettings, now = Date.now()): string {
    const issued = String(now);
    return `${issued}.${this.sign(`${settings.publicKey}.${issued}`)}`;
  }

  get minFillSeconds(): number {
    return this.config.widget.minFillMs / 1000;
  }

  private checkFormToken(settings: WidgetSettings, token: string, now = Date.now()): void {
    const [issued, signature] = token.split('.');
    const expected = issued ? this.sign(`${settings.publicKey}.${issued}`) : '';
    const valid =
      /^\d{10,16}$/.test(issued ?? '') &&
      typeof signature === 'string' &&
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    const age = now - Number(issued);
    if (!valid || age > FORM_TOKEN_TTL_MS)
      throw problem(
        HttpStatus.BAD_REQUEST,
        'form_expired',
        'The form is out of date: reload the page and send it again.',
        'Form expired',
        { errors: [{ field: 'formToken', reason: 'is not a current form token of this widget' }] },
      );
    if (age < this.config.widget.minFillMs) throw this.rejected();
  }

  private rejected() {
    return problem(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'submission_rejected',
      'The form could not be accepted. Wait a moment and send it again.',
      'Submission rejected',
    );
  }

  private sign(value: string): string {
    return createHmac('sha256', this.secret).update(`widget-form:${value}`).digest('base64url');
  }

  /**
   * The visitor's first message: a lead (source widget; an existing lead with the
   * same email or phone is reused), a widget conversation in the inbox, and the
   * assistant's answer. Answers the visitor token that reads this conversation.
   */
  async capture(
    settings: WidgetSettings,
    input: CaptureInput,
  ): Promise<{ visitorToken: string; conversation: Conversation; messages: ConversationMessage[] }> {
    if (input.website) throw this.rejected();
    this.checkFormToken(settings, input.formToken);
    if (!input.consent)
      throw problem(HttpStatus.BAD_REQUEST, 'validation_failed', 'consent: must be given', 'Validation failed', {
        errors: [{ field: 'consent', reason: 'must be accepted to send the form' }],
      });
    const email = input.email?.trim().toLowerCase() || null;
    let phone: string | null = null;
    if (input.phone) {
      const parsed = parsePhone(input.phone);
      if ('reason' in parsed)
        throw problem(HttpStatus.BAD_REQUEST, 'validation_failed', `phone: ${parsed.reason}`, 'Validation failed', {
          errors: [{ field: 'phone', reason: parsed.reason }],
        });
      phone = parsed.phone ?? null;
    }
    if (!email && !phone)
      throw problem(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'email: give an email or a phone',
        'Validation failed',
        {
          errors: [{ field: 'email', reason: 'an email or a phone is needed to answer you' }],
        },
      );
    const [firstName, ...rest] = input.name.trim().split(/\s+/);
    const visitorToken = randomBytes(32).toString('base64url');
    const organizationId = settings.organizationId;
    const stored = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .getRepository(Conversation)
        .createQueryBuilder()
        .insert()
        .values({
          organizationId,
          channel: 'widget',
          contactAddress: (email ?? phone) as string,
          contactName: input.name.trim(),
          status: 'open',
          lastMessageAt: new Date(),
          lastMessagePreview: '',
          visitorTokenHash: hashToken(visitorToken),
        })
        .returning(['id'])
        .execute();
      const conversationId = (inserted.raw as { id: string }[])[0].id;
      // A widget conversation always starts new (one per visitor token); storeInbound attaches its lead.
      const result = await this.inbox.storeInbound(manager, organizationId, {
        channel: 'widget',
        address: (email ?? phone) as string,
        name: input.name.trim(),
        body: input.message,
        kind: 'text',
        providerMessageId: null,
        at: new Date(),
        lead: {
          email,
          phone,
          firstName: firstName || null,
          lastName: rest.join(' ') || null,
          source: LeadSource.Widget,
        },
        systemLabel: 'Website widget',
        conversationId,
      });
      return { conversationId, result };
    });
    const conversation = await this.conversations.findOneOrFail({ where: { id: stored.conversationId } });
    if (stored.result)
      await this.inbox.announce(organizationId, conversation.id, stored.result.messageId, 'message.created');
    await this.answer(settings, conversation, input.message);
    const page = await this.inbox.pageMessages(organizationId, conversation.id, 50, undefined, 'ASC');
    return { visitorToken, conversation, messages: page.items };
  }

  /** The conversation a visitor token reads, in this widget's organization only. */
  async conversationOf(settings: WidgetSettings, visitorToken: string | undefined): Promise<Conversation> {
    const conversation =
      visitorToken && visitorToken.length >= 32 && visitorToken.length <= 64
        ? await this.conversations.findOne({
            where: { visitorTokenHash: hashToken(visitorToken), organizationId: settings.organizationId },
          })
        : null;
    if (!conversation)
      throw problem(
        HttpStatus.UNAUTHORIZED,
        'visitor_unknown',
        'This conversation is not known here any more: start a new one.',
        'Unknown visitor',
      );
    return conversation;
  }

  /** A visitor's next message, and the assistant's answer. */
  async post(settings: WidgetSettings, conversation: Conversation, text: string): Promise<ConversationMessage[]> {
    const stored = await this.dataSource.transaction((manager) =>
      this.inbox.storeInbound(manager, settings.organizationId, {
        channel: 'widget',
        address: conversation.contactAddress,
        name: conversation.contactName,
        body: text,
        kind: 'text',
        providerMessageId: null,
        at: new Date(),
        lead: { email: conversation.contactAddress, source: LeadSource.Widget },
        systemLabel: 'Website widget',
        conversationId: conversation.id,
      }),
    );
    if (stored)
      await this.inbox.announce(settings.organizationId, conversation.id, stored.messageId, 'message.created');
    const answer = await this.answer(settings, conversation, text);
    const messages: ConversationMessage[] = [];
    if (stored) messages.push(await this.inbox.getMessage(settings.organizationId, conversation.id, stored.messageId));
    if (answer) messages.push(answer);
    return messages;
  }

  /** Everything after `after` (a message cursor), oldest first: agents' replies appear here. */
  messages(settings: WidgetSettings, conversation: Conversation, limit: number, after?: string) {
    return this.inbox.pageMessages(settings.organizationId, conversation.id, limit, after, 'ASC');
  }

  /**
   * The help assistant answers from its sources (Kapa.ai, or the local docs).
   * Busy or failing, it says a teammate will answer: the visitor's message is
   * in the inbox either way.
   */
  private async answer(
    settings: WidgetSettings,
    conversation: Conversation,
    question: string,
  ): Promise<ConversationMessage | null> {
    const actor: Actor = {
      principal: {
        kind: 'api-key',
        id: conversation.id,
        organizationId: settings.organizationId,
        role: Role.Viewer,
        permissions: [Permission.AssistantUse],
        label: 'Website widget',
      },
      ip: null,
      requestId: null,
    };
    let body: string;
    try {
      const answer = await this.assistant.ask(actor, question);
      const text = plainText(answer.answer);
      body = answer.isUncertain ? `${text}\n\nA teammate will also read your message and answer here.` : text;
      const titles = answer.sources.map((s) => s.title).slice(0, 3);
      if (titles.length > 0) body += `\n\nSources: ${titles.join('; ')}`;
    } catch (err) {
      this.logger.warn(`The assistant did not answer a widget question: ${(err as Error).message}`);
      body = 'Thanks! A teammate will read your message and answer here.';
    }
    const saved = await this.dataSource.getRepository(ConversationMessage).save({
      organizationId: settings.organizationId,
      conversationId: conversation.id,
      direction: 'out' as const,
      kind: 'assistant' as const,
      body,
      status: 'sent' as const,
      authorLabel: 'Assistant',
    });
    await this.conversations.update(
      { id: conversation.id },
      { lastMessageAt: saved.createdAt, lastMessagePreview: preview(body) },
    );
    await this.inbox.announce(settings.organizationId, conversation.id, saved.id, 'message.created');
    return saved;
  }
}

/** The assistant writes Markdown; the widget and WhatsApp show plain text. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*-{3,}\s*$/gm, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newPublicKey = () => `wk_${randomBytes(18).toString('base64url')}`;
