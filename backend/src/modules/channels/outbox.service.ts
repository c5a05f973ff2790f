import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { ProblemException } from '../../common/errors/problem';
import { Page, pageByCreation } from '../../common/pagination';
import type { ChannelName, SendMeta } from './channel.types';
import { OutboxMessage } from './outbox-message.entity';

/** How long the outbox keeps a message. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600_000;

export interface OutboxEntry {
  channel: ChannelName;
  to: string;
  from: string;
  subject: string | null;
  html: string | null;
  text: string;
  headers: Record<string, string>;
  messageId: string;
}

export interface OutboxFilter {
  channel?: ChannelName;
  campaignId?: string;
}

/** Where the outbox drivers keep what they would have sent; read by the outbox API. */
@Injectable()
export class OutboxService {
  constructor(@InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>) {}

  /**
   * Stores the message once per messageId: a re-send answers the id of the
   * row already there (`created: false`). A messageId already used by
   * another organization answers null (never that tenant's id).
   */
  async store(entry: OutboxEntry, meta: SendMeta): Promise<{ id: string; created: boolean } | null> {
    const inserted = await this.messages.query<{ id: string }[]>(
      `INSERT INTO outbox_messages
         (organization_id, channel, to_address, from_address, subject, html, text, headers, message_id, campaign_id, recipient_id, test)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12)
       ON CONFLICT (message_id) DO NOTHING
       RETURNING id`,
      [
        meta.organizationId,
        entry.channel,
        entry.to,
        entry.from,
        entry.subject,
        entry.html,
        entry.text,
        JSON.stringify(entry.headers),
        entry.messageId,
        meta.campaignId ?? null,
        meta.recipientId ?? null,
        meta.test ?? false,
      ],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true };
    const existing = await this.messages.findOne({
      where: { messageId: entry.messageId },
      select: { id: true, organizationId: true },
    });
    if (!existing || existing.organizationId !== meta.organizationId) return null;
    return { id: existing.id, created: false };
  }

  async list(
    organizationId: string,
    filter: OutboxFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<OutboxMessage>> {
    const qb = this.messages
      .createQueryBuilder('m')
      .select([
        'm.id',
        'm.organizationId',
        'm.channel',
        'm.toAddress',
        'm.fromAddress',
        'm.subject',
        'm.text',
        'm.campaignId',
        'm.recipientId',
        'm.test',
        'm.createdAt',
      ])
      .where('m.organization_id = :organizationId', { organizationId });
    if (filter.channel) qb.andWhere('m.channel = :channel', { channel: filter.channel });
    if (filter.campaignId) qb.andWhere('m.campaign_id = :campaignId', { campaignId: filter.campaignId });
    return pageByCreation(qb, 'm', 'DESC', limit, cursor);
  }

  /** One message of the organization; another tenant's id answers 404 like a missing one. */
  async get(organizationId: string, id: string): Promise<OutboxMessage> {
    const message = await this.messages.findOne({ where: { id, organizationId } });
    if (!message) throw new ProblemException(HttpStatus.NOT_FOUND, 'not_found', 'No outbox message with this id.');
    return message;
  }

  async removeExpired(now = new Date()): Promise<number> {
    const result = await this.messages.delete({ createdAt: LessThan(new Date(now.getTime() - OUTBOX_RETENTION_MS)) });
    return result.affected ?? 0;
  }
}
