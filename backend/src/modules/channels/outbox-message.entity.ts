import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ChannelName } from './channel.types';

/**
 * A message the outbox driver kept instead of sending (no SMTP_URL, no
 * WhatsApp credentials): what would have gone out, for review in the
 * console. `message_id` is unique: a re-send of the same message is absorbed.
 * Rows older than 7 days are removed hourly.
 */
@Entity({ name: 'outbox_messages' })
@Index('idx_outbox_messages_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_outbox_messages_created', ['createdAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  channel: ChannelName;

  @Column({ name: 'to_address', type: 'text' })
  toAddress: string;

  @Column({ name: 'from_address', type: 'text' })
  fromAddress: string;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  headers: Record<string, string>;

  @Column({ name: 'message_id', type: 'text', unique: true })
  messageId: string;

  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId: string | null;

  @Column({ name: 'recipient_id', type: 'uuid', nullable: true })
  recipientId: string | null;

  @Column({ type: 'boolean', default: false })
  test: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
