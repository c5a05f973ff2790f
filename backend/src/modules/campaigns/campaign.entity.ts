import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AudienceExcluded, CampaignChannel, CampaignStatus } from './campaign.types';
import type { EmailContentDto, WhatsAppContentDto } from './dto/campaign-content.dto';

/** Who a campaign goes to: a saved segment, or a filter of its own (LeadFilter as JSON). */
export interface CampaignAudience {
  segmentId: string | null;
  filter: Record<string, unknown> | null;
}

/** Email or WhatsApp content, by the campaign's channel. */
export interface CampaignContent {
  email?: EmailContentDto | null;
  whatsapp?: WhatsAppContentDto | null;
}

/**
 * A campaign. Its counters move in the same statement as the ledger rows
 * they count (campaign_recipients), so they always agree with the ledger.
 */
@Entity({ name: 'campaigns' })
@Index('idx_campaigns_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_campaigns_status', ['status', 'sendAt'])
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  channel: CampaignChannel;

  @Column({ type: 'text', default: 'draft' })
  status: CampaignStatus;

  @Column({ type: 'jsonb', default: () => `'{"filter": null, "segmentId": null}'` })
  audience: CampaignAudience;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  content: CampaignContent;

  @Column({ name: 'send_at', type: 'timestamptz', nullable: true })
  sendAt: Date | null;

  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone: string;

  /** The audience has been written to the ledger in full. */
  @Column({ type: 'boolean', default: false })
  materialized: boolean;

  /** Where materialization resumes: the (created_at, id) of the last lead written, or null. */
  @Column({ name: 'materialize_cursor', type: 'jsonb', nullable: true })
  materializeCursor: { createdAt: string; id: string } | null;

  @Column({ type: 'integer', default: 0 }) total: number;
  @Column({ type: 'integer', default: 0 }) sent: number;
  @Column({ type: 'integer', default: 0 }) delivered: number;
  @Column({ type: 'integer', default: 0 }) opened: number;
  @Column({ type: 'integer', default: 0 }) clicked: number;
  @Column({ type: 'integer', default: 0 }) failed: number;
  @Column({ type: 'integer', default: 0 }) bounced: number;
  @Column({ type: 'integer', default: 0 }) skipped: number;
  @Column({ type: 'integer', default: 0 }) cancelled: number;
  @Column({ type: 'integer', default: 0 }) unsubscribed: number;

  @Column({
    name: 'audience_excluded',
    type: 'jsonb',
    default: () => `'{"noAddress": 0, "noConsent": 0, "suppressed": 0}'`,
  })
  audienceExcluded: AudienceExcluded;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_by_label', type: 'text', nullable: true })
  createdByLabel: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
