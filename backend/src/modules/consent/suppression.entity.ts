import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { CampaignChannel } from '../campaigns/templates/campaign-template.types';

export enum SuppressionReason {
  Unsubscribed = 'unsubscribed',
  HardBounce = 'hard_bounce',
  Complaint = 'complaint',
  Manual = 'manual',
}

/**
 * An address that must not receive a channel any more, whatever lead it is
 * on now (a re-imported lead with the same address stays suppressed).
 * `address` is normalized: email lower-cased and trimmed, phone E.164.
 */
@Entity({ name: 'suppressions' })
@Unique('uq_suppressions_org_channel_address', ['organizationId', 'channel', 'address'])
@Index('idx_suppressions_org_created', ['organizationId', 'createdAt', 'id'])
export class Suppression {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  channel: CampaignChannel;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text' })
  reason: SuppressionReason;

  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId: string | null;

  @Column({ name: 'lead_id', type: 'uuid', nullable: true })
  leadId: string | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
