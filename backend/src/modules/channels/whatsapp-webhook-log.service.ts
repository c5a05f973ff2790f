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

  /** Records the keys; answers those that were not there yet (the new events). */
  async claim(keys: string[]): Promise<Set<string>> {
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

  /** Forgets keys whose handling failed, so Meta's retry is handled again. */
  async release(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(`DELETE FROM whatsapp_webhook_events WHERE event_key = ANY($1::text[])`, [keys]);
  }

  async removeExpired(now = new Date()): Promise<number> {
    const result = await this.dataSource
      .getRepository(WhatsAppWebhookEvent)
      .delete({ receivedAt: LessThan(new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_MS)) });
    return result.affected ?? 0;
  }
}
