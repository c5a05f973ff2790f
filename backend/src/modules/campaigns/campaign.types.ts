/** Vocabulary of campaigns and their ledger (brief: "Vocabulary and statuses"). */

export const CAMPAIGN_CHANNELS = ['email', 'whatsapp'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const RECIPIENT_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'failed',
  'bounced',
  'skipped',
  'cancelled',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** Delivery progress: a status only moves forward in this order. */
export const PROGRESS_RANK: Readonly<Partial<Record<RecipientStatus, number>>> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  opened: 4,
  clicked: 5,
};

/** Statuses that count in `sent` (accepted by the provider, not bounced since). */
export const SENT_OR_LATER: readonly RecipientStatus[] = ['sent', 'delivered', 'opened', 'clicked'];

/** Why leads of an audience were left out. */
export interface AudienceExcluded {
  noAddress: number;
  noConsent: number;
  suppressed: number;
}

export const NO_EXCLUSIONS: AudienceExcluded = { noAddress: 0, noConsent: 0, suppressed: 0 };
