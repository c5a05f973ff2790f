import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** owner_id of leads without an owner (a primary key column cannot be null). */
export const NO_OWNER = '00000000-0000-0000-0000-000000000000';

/**
 * Leads created on `day` (in the organization's time zone), by their current
 * source, owner and status. A bucket is recomputed whole from `leads` when
 * any of its leads changes (see analytics-rollup.service.ts), never
 * incremented, so refolding it twice gives the same row.
 */
@Entity({ name: 'analytics_lead_daily' })
export class AnalyticsLeadDaily {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'text' }) source: string;
  @PrimaryColumn({ name: 'owner_id', type: 'uuid' }) ownerId: string;
  @PrimaryColumn({ type: 'text' }) status: string;
  @Column({ type: 'integer' }) leads: number;
}

/** The same buckets without the owner: what the dashboard reads when no owner or tag filter is set (far fewer rows). */
@Entity({ name: 'analytics_lead_source_daily' })
export class AnalyticsLeadSourceDaily {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'text' }) source: string;
  @PrimaryColumn({ type: 'text' }) status: string;
  @Column({ type: 'integer' }) leads: number;
}

/** The same buckets split by tag (a lead with two tags counts once under each): the tag filter reads these. */
@Entity({ name: 'analytics_lead_tag_daily' })
@Index('idx_analytics_lead_tag_daily_tag', ['organizationId', 'tag', 'day'])
export class AnalyticsLeadTagDaily {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'text' }) tag: string;
  @PrimaryColumn({ type: 'text' }) source: string;
  @PrimaryColumn({ name: 'owner_id', type: 'uuid' }) ownerId: string;
  @PrimaryColumn({ type: 'text' }) status: string;
  @Column({ type: 'integer' }) leads: number;
}

/**
 * What a campaign's ledger did on `day` (organization time zone): each
 * recipient counts on the day of each step it reached, so the days of a
 * campaign add up to its counters exactly.
 */
@Entity({ name: 'analytics_campaign_daily' })
@Index('idx_analytics_campaign_daily_org_day', ['organizationId', 'day'])
export class AnalyticsCampaignDaily {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @Column({ type: 'integer', default: 0 }) sent: number;
  @Column({ type: 'integer', default: 0 }) delivered: number;
  @Column({ type: 'integer', default: 0 }) opened: number;
  @Column({ type: 'integer', default: 0 }) clicked: number;
  @Column({ type: 'integer', default: 0 }) bounced: number;
  @Column({ type: 'integer', default: 0 }) failed: number;
  @Column({ type: 'integer', default: 0 }) unsubscribed: number;
}

/** The campaign counters (and time zone) the campaign's daily rows were folded from: a campaign whose counters moved is refolded. */
@Entity({ name: 'analytics_campaign_state' })
@Index('idx_analytics_campaign_state_org', ['organizationId'])
export class AnalyticsCampaignState {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  @Column({ type: 'text' }) signature: string;
  @Column({ name: 'folded_at', type: 'timestamptz' }) foldedAt: Date;
}

/** Per organization: the watermark of the lead fold, committed with the buckets it produced. */
@Entity({ name: 'analytics_fold_state' })
export class AnalyticsFoldState {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId: string;
  /** The time zone the buckets were cut in: a change rebuilds them. */
  @Column({ name: 'time_zone', type: 'text' }) timeZone: string;
  /** Leads changed after this (minus the overlap) are refolded next time. */
  @Column({ name: 'leads_watermark', type: 'timestamptz' }) leadsWatermark: Date;
  /** Last full rebuild: one runs periodically to catch what a watermark cannot see (hard deletes). */
  @Column({ name: 'rebuilt_at', type: 'timestamptz' }) rebuiltAt: Date;
  /** End of the last complete fold (leads and campaigns): the `asOf` of the figures. */
  @Column({ name: 'folded_at', type: 'timestamptz' }) foldedAt: Date;
}
