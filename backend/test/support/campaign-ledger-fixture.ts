import { randomUUID } from 'node:crypto';
import { CampaignLedgerService } from '../../src/modules/tracking/campaign-ledger.stub';
import type { TestApp } from './test-app';

/**
 * Ledger rows for the tracking and consent suites. Until the campaigns
 * module's ledger is merged this seeds the in-memory stub; afterwards it
 * inserts campaigns + campaign_recipients rows with SQL (one place to change).
 */
export interface SeededRecipient {
  id: string;
  organizationId: string;
  campaignId: string;
  leadId: string;
  channel: 'email' | 'whatsapp';
  address: string;
}

export async function seedRecipient(
  t: TestApp,
  input: {
    organizationId: string;
    leadId: string;
    address: string;
    channel?: 'email' | 'whatsapp';
    campaignId?: string;
  },
): Promise<SeededRecipient> {
  const recipient: SeededRecipient = {
    id: randomUUID(),
    organizationId: input.organizationId,
    campaignId: input.campaignId ?? randomUUID(),
    leadId: input.leadId,
    channel: input.channel ?? 'email',
    address: input.address,
  };
  t.app.get(CampaignLedgerService, { strict: false }).seed({ ...recipient, status: 'sent' });
  return Promise.resolve(recipient);
}

/** What the ledger knows of a recipient: opens, clicks, unsubscribe, bounce. */
export function ledgerState(t: TestApp, recipientId: string) {
  const row = t.app.get(CampaignLedgerService, { strict: false }).peek(recipientId);
  return Promise.resolve(
    row ? { openCount: row.opens, clickCount: row.clicks, unsubscribed: row.unsubscribed, bounce: row.bounce } : null,
  );
}
