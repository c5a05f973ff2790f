import { NO_CAMPAIGN_FILTERS, campaignListParams, isCampaignFiltered, recipientListParams } from './campaigns.query';
import { CAMPAIGN_ID } from './testing/campaign.fixtures';

describe('recipients query', () => {
  it('sends only what is set, with the campaign id and the page size', () => {
    expect(recipientListParams(CAMPAIGN_ID, { status: null, q: '  ' }, 50, undefined)).toEqual({
      id: CAMPAIGN_ID,
      limit: 50,
    });
  });

  it('carries the status, the trimmed search and the cursor of the next page', () => {
    expect(recipientListParams(CAMPAIGN_ID, { status: 'failed', q: ' ana ' }, 50, 'cursor-2')).toEqual({
      id: CAMPAIGN_ID,
      limit: 50,
      status: 'failed',
      q: 'ana',
      cursor: 'cursor-2',
    });
  });
});

describe('campaigns list query', () => {
  it('filters by status, channel and name', () => {
    expect(campaignListParams(NO_CAMPAIGN_FILTERS, 25, undefined)).toEqual({ limit: 25 });
    expect(campaignListParams({ status: 'sending', channel: 'whatsapp', q: ' spring ' }, 25, 'c')).toEqual({
      limit: 25,
      status: 'sending',
      channel: 'whatsapp',
      q: 'spring',
      cursor: 'c',
    });
    expect(isCampaignFiltered(NO_CAMPAIGN_FILTERS)).toBe(false);
    expect(isCampaignFiltered({ ...NO_CAMPAIGN_FILTERS, q: 'x' })).toBe(true);
  });
});
