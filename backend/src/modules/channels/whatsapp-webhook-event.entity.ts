import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Replay protection for WhatsApp webhooks: one row per event already handled
 * (`status:<wamid>:<status>` or `message:<wamid>`). Meta re-delivers until it
 * gets a 200, so the same event may arrive many times.
 */
@Entity({ name: 'whatsapp_webhook_events' })
@Index('idx_whatsapp_webhook_events_received', ['receivedAt'])
export class WhatsAppWebhookEvent {
  @PrimaryColumn({ name: 'event_key', type: 'text' })
  eventKey: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt: Date;
}
