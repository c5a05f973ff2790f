import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { CampaignChannel, RecipientStatus } from './campaign.types';

/**
 * THE LEDGER: one row per (campaign, lead), the source of truth of what was
 * sent. UNIQUE (campaign_id, lead_id) is the idempotency key per recipient;
 * a row is claimed (claim_token + claimed_until) before its message goes out,
 * and its outcome is written only by the holder of the claim.
 */
@Entity({ name: 'campaign_recipients' })
@Unique('uq_campaign_recipients_campaign_lead', ['campaignId', 'leadId'])
@Index('idx_campaign_recipients_claim', ['campaignId', 'status', 'id'])
@Index('idx_campaign_recipients_list', ['campaignId', 'id'])
// Only WhatsApp statuses arrive by the provider's id (the wamid); an email's Message-ID names its row already.
@Index('idx_campaign_recipients_provider_id', ['providerMessageId'], { where: "channel = 'whatsapp'" })
export class CampaignRecipient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'lead_id', type: 'uuid' })
  leadId: string;

  @Column({ type: 'text' })
  channel: CampaignChannel;

  /** Email lower-cased or E.164 phone, as it was when the audience was materialized. */
  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text', default: 'queued' })
  status: RecipientStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken: string | null;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  @Column({ name: 'clicked_at', type: 'timestamptz', nullable: true })
  clickedAt: Date | null;

  /** Set once, so the campaign's `unsubscribed` counts each recipient once. */
  @Column({ name: 'unsubscribed_at', type: 'timestamptz', nullable: true })
  unsubscribedAt: Date | null;

  @Column({ name: 'open_count', type: 'integer', default: 0 })
  openCount: number;

  @Column({ name: 'click_count', type: 'integer', default: 0 })
  clickCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
