import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum LeadActivityType {
  Created = 'created',
  StatusChanged = 'status_changed',
  Assigned = 'assigned',
  Note = 'note',
  Updated = 'updated',
  Deleted = 'deleted',
  Restored = 'restored',
  /** On the survivor of a merge: the other lead's id and a snapshot of all its values. */
  Merged = 'merged',
  /** On the lead that was merged away: which lead it now lives in. */
  MergedInto = 'merged_into',
  /** Created or updated by a CSV import. */
  Imported = 'imported',
  /** First open of a campaign email (later opens only count on the ledger). */
  CampaignOpened = 'campaign_opened',
  /** Each click on a tracked link: `{ campaignId, url }`. */
  CampaignClicked = 'campaign_clicked',
  /** Unsubscribed (email; `channels` lists WhatsApp too when asked), or a complaint. */
  Unsubscribed = 'unsubscribed',
  /** A hard bounce: the address no longer receives campaigns. */
  Bounced = 'bounced',
  /** A conversation opened (first message, or a closed one written to again): `{ conversationId, channel }`. */
  ConversationStarted = 'conversation_started',
  /** A message from the lead (WhatsApp or the website widget): `{ conversationId, channel, preview }`. */
  MessageReceived = 'message_received',
  /** A reply sent from the inbox: `{ conversationId, channel, kind, preview }`. */
  MessageSent = 'message_sent',
  /** Closed in the inbox: `{ conversationId }`. */
  ConversationClosed = 'conversation_closed',
}

/** The timeline of a lead, including campaign events (recorded by the system, not a user). */
@Entity({ name: 'lead_activities' })
@Index('idx_lead_activities_lead_seq', ['organizationId', 'leadId', 'seq'])
/** Campaign events by campaign (data->>'campaignId'), partial: created by the analytics migration for campaign reports. */
@Index('idx_lead_activities_campaign', { synchronize: false })
export class LeadActivity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of recording: changes in one transaction share a timestamp, never a sequence number. */
  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity', insert: false, update: false })
  seq: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'lead_id', type: 'uuid' })
  leadId: string;

  @Column({ type: 'text' })
  type: LeadActivityType;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel: string;

  /** Details: the note text, `{ from, to }` of a change... */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
