import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { WhatsAppWebhookEvent } from './whatsapp-webhook-event.entity';

/** Meta re-delivers for up to 7 days; keys are kept a little longer than that. */
export const WEBHOOK_EVENT_RETENTION_MS = 14 * 24 * 3600_000;

/** Replay protection of the WhatsApp webhook (`whatsapp_webhook_events`). */
@Injectable()
export class WhatsAppWebhookLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The keys not recorded yet (the events not handled yet). */
  async unseen(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.dataSource.query<{ key: string }[]>(
      `SELECT k AS key FROM unnest($1::text[]) AS k
       WHERE NOT EXISTS (SELECT 1 FROM whatsapp_webhook_events e WHERE e.event_key = k)`,
      [keys],
    );
    return new Set(rows.map((r) => r.key));
  }

  /** Records the keys of handled events; answers those that were not there yet. */
  async record(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.dataSource.query<{ event_key: string }[]>(
      `INSERT INTO whatsapp_webhook_events (event_key)
       SELECT DISTINCT unnest($1::text[])
       ON CONFLICT (event_key) DO NOTHING
       RETURNING event_key`,
      [keys],
    );
    return new Set(rows.map((r) => r.event_key));
  }

  async removeExpired(now = new Date()): Promise<number> {
    const result = await this.dataSource
      .getRepository(WhatsAppWebhookEvent)
      .delete({ receivedAt: LessThan(new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_MS)) });
    return result.affected ?? 0;
  }
}
