import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
/** text: typed by a person; template: an approved WhatsApp template; assistant: answered by the help assistant (widget). */
export const MESSAGE_KINDS = ['text', 'template', 'media', 'assistant'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/** received: inbound; pending → sent → delivered → read for replies (failed at any point). */
export const MESSAGE_STATUSES = ['received', 'pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One message of a conversation. Inbound WhatsApp messages are unique by wamid: a replay inserts nothing. */
@Entity({ name: 'conversation_messages' })
@Index('idx_conversation_messages_thread', ['conversationId', 'createdAt', 'id'])
@Index('uq_conversation_messages_provider_id', ['providerMessageId'], {
  unique: true,
  where: '"provider_message_id" IS NOT NULL',
})
export class ConversationMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @Column({ type: 'text' })
  direction: MessageDirection;

  @Column({ type: 'text', default: 'text' })
  kind: MessageKind;

  @Column({ type: 'text', default: '' })
  body: string;

  @Column({ name: 'template_name', type: 'text', nullable: true })
  templateName: string | null;

  /** The wamid (WhatsApp), or the outbox row id when WhatsApp goes to the outbox. */
  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'text' })
  status: MessageStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId: string | null;

  @Column({ name: 'author_label', type: 'text', nullable: true })
  authorLabel: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
