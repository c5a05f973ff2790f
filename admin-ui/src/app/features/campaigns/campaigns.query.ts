import {
  CampaignChannel,
  CampaignStatus,
  ListCampaignRecipients$Params,
  ListCampaigns$Params,
  RecipientStatus,
} from '@meridian/api-client';

/** The filters of the campaigns list. */
export interface CampaignFilters {
  status: CampaignStatus | null;
  channel: CampaignChannel | null;
  q: string;
}

export const NO_CAMPAIGN_FILTERS: CampaignFilters = { status: null, channel: null, q: '' };

export function isCampaignFiltered(filters: CampaignFilters): boolean {
  return filters.status !== null || filters.channel !== null || filters.q.trim() !== '';
}

/** The query of one page of campaigns: only what is set. */
export function campaignListParams(
  filters: CampaignFilters,
  limit: number,
  cursor: string | undefined,
): ListCampaigns$Params {
  const params: ListCampaigns$Params = { limit };
  if (filters.status) {
    params.status = filters.status;
  }
  if (filters.channel) {
    params.channel = filters.channel;
  }
  const q = filters.q.trim();
  if (q) {
    params.q = q;
  }
  if (cursor) {
    params.cursor = cursor;
  }
  return params;
}

/** The filters of a campaign's recipients table: a status chip and a search over name and address. */
export interface RecipientFilters {
  status: RecipientStatus | null;
  q: string;
}

export const NO_RECIPIENT_FILTERS: RecipientFilters = { status: null, q: '' };

/** The query of one page of a campaign's recipients (the cursor belongs to the same filter). */
export function recipientListParams(
  campaignId: string,
  filters: RecipientFilters,
  limit: number,
  cursor: string | undefined,
): ListCampaignRecipients$Params {
  const params: ListCampaignRecipients$Params = { id: campaignId, limit };
  if (filters.status) {
    params.status = filters.status;
  }
  const q = filters.q.trim();
  if (q) {
    params.q = q;
  }
  if (cursor) {
    params.cursor = cursor;
  }
  return params;
}
