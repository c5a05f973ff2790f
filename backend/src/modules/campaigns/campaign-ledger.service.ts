import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChannelEventsService, type WhatsAppStatusEvent } from '../channels/channel-events.service';
import type { CampaignChannel, RecipientStatus } from './campaign.types';
import { counterMoves, rankSql } from './ledger-sql';

export interface LedgerRecipient {
  id: string;
  organizationId: string;
  campaignId: string;
  leadId: string;
  channel: CampaignChannel;
  address: string;
  status: RecipientStatus;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Statuses an engagement event may move forward (a row not recorded as sent yet only keeps the timestamps). */
const ADVANCEABLE = "('sent', 'delivered', 'opened', 'clicked')";

/**
 * Writes engagement and provider events to the ledger: monotonic (a status
 * only moves forward in rank, timestamps are set once), idempotent where the
 * event is (a repeated delivered/read changes nothing), and the campaign's
 * counters move in the same statement. Used by tracking (opens, clicks,
 * unsubscribes), email events (bounces) and the WhatsApp status webhook.
 */
@Injectable()
export class CampaignLedgerService implements OnModuleInit {
  private readonly logger = new Logger(CampaignLedgerService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly channelEvents: ChannelEventsService,
  ) {}

  onModuleInit(): void {
    this.channelEvents.onWhatsAppStatuses((events) => this.onWhatsAppStatuses(events));
  }

  async findRecipient(recipientId: string): Promise<LedgerRecipient | null> {
    if (!UUID.test(recipientId)) return null;
    const [row] = await this.dataSource.query<LedgerRecipient[]>(
      `SELECT id, organization_id AS "organizationId", campaign_id AS "campaignId", lead_id AS "leadId",
              channel, address, status
       FROM campaign_recipients WHERE id = $1`,
      [recipientId],
    );
    return row ?? null;
  }

  /** null when there is no such recipient. */
  async recordOpen(recipientId: string, at: Date): Promise<{ first: boolean } | null> {
    return this.advance(recipientId, 'opened', at, { opens: 1 });
  }

  /** A click proves an open too (images may be blocked): opened_at is set if it was not. */
  async recordClick(recipientId: string, _url: string, at: Date): Promise<{ first: boolean } | null> {
    return this.advance(recipientId, 'clicked', at, { clicks: 1 });
  }

  /** campaign.unsubscribed + 1, once per recipient. */
  async recordUnsubscribe(recipientId: string): Promise<void> {
    if (!UUID.test(recipientId)) return;
    await this.dataSource.query(
      `WITH r AS (
         UPDATE campaign_recipients SET unsubscribed_at = now(), updated_at = now()
         WHERE id = $1 AND unsubscribed_at IS NULL RETURNING campaign_id)
       UPDATE campaigns c SET unsubscribed = unsubscribed + 1 FROM r WHERE c.id = r.campaign_id`,
      [recipientId],
    );
  }

  /**
   * Hard bounce or complaint after the message was accepted: a sent or
   * delivered row becomes bounced (it no longer counts as sent). Soft
   * bounces only note the reason. Suppressing the address is the caller's.
   */
  async recordBounce(recipientId: string, kind: 'hard' | 'soft' | 'complaint', reason: string): Promise<void> {
    if (!UUID.test(recipientId)) return;
    const error = `${kind === 'hard' ? 'bounced' : kind === 'soft' ? 'soft bounce' : 'complaint'}: ${reason}`.slice(
      0,
      1000,
    );
    if (kind !== 'hard') {
      await this.dataSource.query(`UPDATE campaign_recipients SET error = $2, updated_at = now() WHERE id = $1`, [
        recipientId,
        error,
      ]);
      return;
    }
    await this.terminal(`id = $1`, [recipientId], 'bounced', error, "('sent', 'delivered')");
  }

  /** An email delivery reported by an ESP or a relay (the recipient is known by its id). */
  async recordDelivered(recipientId: string, at: Date): Promise<void> {
    await this.recordStatusOf(recipientId, 'delivered', at, null);
  }

  private async recordStatusOf(
    recipientId: string,
    status: 'delivered' | 'opened' | 'failed',
    at: Date,
    error: string | null,
  ): Promise<void> {
    if (status === 'failed') {
      await this.terminal(
        `id = $1`,
        [recipientId],
        'failed',
        (error ?? 'failed after sending').slice(0, 1000),
        "('sent', 'delivered')",
      );
      return;
    }
    await this.advance(recipientId, status, at, { opens: status === 'opened' ? 'once' : 0 });
  }

  /** WhatsApp statuses: delivered → delivered, read → opened, failed → failed; "sent" was recorded at send time. */
  async onWhatsAppStatuses(events: WhatsAppStatusEvent[]): Promise<void> {
    for (const event of events) {
      const status =
        event.status === 'delivered'
          ? 'delivered'
          : event.status === 'read'
            ? 'opened'
            : event.status === 'failed'
              ? 'failed'
              : null;
      if (!status) continue;
      const error = event.error ? `${event.error.code} ${event.error.title}` : null;
      // callbackData is the recipient id; the wamid also finds it (a message sent before callbackData existed).
      const byCallback = event.callbackData && UUID.test(event.callbackData) ? event.callbackData : null;
      const [row] = await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM campaign_recipients
         WHERE (channel = 'whatsapp' AND provider_message_id = $1) OR id = $2::uuid LIMIT 1`,
        [event.providerMessageId, byCallback],
      );
      if (!row) {
        this.logger.debug?.(`WhatsApp status for an unknown message ${event.providerMessageId}`);
        continue;
      }
      await this.recordStatusOf(row.id, status, event.timestamp, error);
    }
  }

  /**
   * Moves a row forward to `target` (never back), sets the first-time
   * timestamps, counts the event, and moves the counters in the same
   * statement. A row not yet recorded as sent keeps only the timestamps: the
   * send's outcome statement folds them in (see CampaignSender).
   */
  private async advance(
    recipientId: string,
    target: 'delivered' | 'opened' | 'clicked',
    at: Date,
    count: { opens?: number | 'once'; clicks?: number },
  ): Promise<{ first: boolean } | null> {
    if (!UUID.test(recipientId)) return null;
    const opens = count.opens === 'once' ? 'greatest(r.open_count, 1)' : `r.open_count + ${count.opens ?? 0}`;
    const rows = await this.dataSource.query<{ first: boolean }[]>(
      `WITH old AS (
         SELECT id, campaign_id, status, opened_at, clicked_at, delivered_at FROM campaign_recipients WHERE id = $1 FOR UPDATE),
       rel AS (
         UPDATE campaign_recipients r SET
           status = CASE WHEN old.status IN ${ADVANCEABLE} AND ${rankSql('old.status')} < ${rankSql('$2::text')}
                         THEN $2::text ELSE old.status END,
           delivered_at = coalesce(old.delivered_at, $3),
           opened_at = CASE WHEN $2::text IN ('opened', 'clicked') THEN coalesce(old.opened_at, $3) ELSE old.opened_at END,
           clicked_at = CASE WHEN $2::text = 'clicked' THEN coalesce(old.clicked_at, $3) ELSE old.clicked_at END,
           open_count = ${opens},
           click_count = r.click_count + $4,
           updated_at = now()
         FROM old WHERE r.id = old.id
         RETURNING r.campaign_id, old.status AS before, r.status AS after,
           CASE $2::text WHEN 'opened' THEN old.opened_at IS NULL WHEN 'clicked' THEN old.clicked_at IS NULL
                         ELSE old.delivered_at IS NULL END AS first),
       counted AS (
         UPDATE campaigns SET ${counterMoves('rel', 'rel.before', 'rel.after')}
         WHERE id = (SELECT campaign_id FROM rel) AND EXISTS (SELECT 1 FROM rel WHERE rel.before <> rel.after)
         RETURNING 1)
       SELECT first FROM rel`,
      [recipientId, target, at, count.clicks ?? 0],
    );
    return rows[0] ? { first: rows[0].first } : null;
  }

  /** Moves rows in `from` to a terminal status with its reason, counters in the same statement. */
  private async terminal(where: string, params: unknown[], status: 'failed' | 'bounced', error: string, from: string) {
    const n = params.length;
    await this.dataSource.query(
      `WITH old AS (SELECT id, campaign_id, status FROM campaign_recipients WHERE ${where} AND status IN ${from} FOR UPDATE),
       rel AS (
         UPDATE campaign_recipients r SET status = $${n + 1}::text, error = $${n + 2}, updated_at = now()
         FROM old WHERE r.id = old.id
         RETURNING r.campaign_id, old.status AS before, r.status AS after)
       UPDATE campaigns SET ${counterMoves('rel', 'rel.before', 'rel.after')}
       WHERE id IN (SELECT campaign_id FROM rel)`,
      [...params, status, error],
    );
  }
}
