import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CONVERSATION_CHANNELS = ['whatsapp', 'widget'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];
export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * One thread with one contact on one channel: a WhatsApp number (one thread
 * per number, reopened when they write again), or a website visitor of the
 * widget. The list order (last message first) has its index.
 */
@Entity({ name: 'conversations' })
@Index('idx_conversations_org_last', ['organizationId', 'lastMessageAt', 'id'])
@Index('uq_conversations_whatsapp_contact', ['organizationId', 'contactAddress'], {
  unique: true,
  where: `"channel" = 'whatsapp'`,
})
@Index('uq_conversations_visitor_token', ['visitorTokenHash'], {
  unique: true,
  where: '"visitor_token_hash" IS NOT NULL',
})
export class Conversation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'lead_id', type: 'uuid', nullable: true })
  leadId: string | null;

  @Column({ type: 'text' })
  channel: ConversationChannel;

  /** E.164 phone (WhatsApp), or the visitor's email or phone (widget). */
  @Column({ name: 'contact_address', type: 'text' })
  contactAddress: string;

  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName: string | null;

  @Column({ type: 'text', default: 'open' })
  status: ConversationStatus;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  /** Messages from the contact since a teammate last opened the thread. */
  @Column({ name: 'unread_count', type: 'integer', default: 0 })
  unreadCount: number;

  @Column({ name: 'last_message_at', type: 'timestamptz', precision: 3 })
  lastMessageAt: Date;

  /** The contact's last message: WhatsApp allows free text for 24 hours after it. */
  @Column({ name: 'last_inbound_at', type: 'timestamptz', precision: 3, nullable: true })
  lastInboundAt: Date | null;

  @Column({ name: 'last_message_preview', type: 'text', default: '' })
  lastMessagePreview: string;

  /** sha256 of the widget visitor's token (widget conversations only). */
  @Column({ name: 'visitor_token_hash', type: 'text', nullable: true })
  visitorTokenHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
