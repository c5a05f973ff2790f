import { CampaignDto, CampaignStatsDto, RecipientDto } from '@meridian/api-client';

export function stats(overrides: Partial<CampaignStatsDto> = {}): CampaignStatsDto {
  return {
    total: 0,
    remaining: 0,
    sent: 0,
    delivered: 0,
    opened: 0,
    clicked: 0,
    failed: 0,
    bounced: 0,
    skipped: 0,
    cancelled: 0,
    unsubscribed: 0,
    excluded: { noAddress: 0, noConsent: 0, suppressed: 0 },
    ...overrides,
  };
}

export const CAMPAIGN_ID = 'c0000000-0000-4000-8000-000000000001';

export function campaign(overrides: Partial<CampaignDto> = {}): CampaignDto {
  return {
    id: CAMPAIGN_ID,
    name: 'Spring launch',
    channel: 'email',
    status: 'draft',
    audience: { segmentId: null, segmentName: null, filter: null },
    email: { subject: 'Hello', html: '<p>Hi</p>', preheader: null, text: null, fromName: null },
    whatsapp: null,
    sendAt: null,
    timeZone: 'Europe/Berlin',
    stats: stats(),
    lastError: null,
    createdBy: null,
    createdByLabel: 'Olivia Owner',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    startedAt: null,
    completedAt: null,
    ...overrides,
  };
}

export function recipient(overrides: Partial<RecipientDto> = {}): RecipientDto {
  return {
    id: 'r0000000-0000-4000-8000-000000000001',
    leadId: 'a0000000-0000-4000-8000-000000000001',
    leadName: 'Ana Lima',
    address: 'ana@acme.example',
    status: 'sent',
    attempts: 1,
    providerMessageId: '<r1@meridian>',
    error: null,
    sentAt: '2026-12-01T10:01:00.000Z',
    deliveredAt: null,
    openedAt: null,
    clickedAt: null,
    openCount: 0,
    clickCount: 0,
    updatedAt: '2026-12-01T10:01:00.000Z',
    ...overrides,
  };
}
