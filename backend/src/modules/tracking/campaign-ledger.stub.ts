import { Injectable } from '@nestjs/common';

/**
 * STAND-IN for the campaigns helper's `campaigns/campaign-ledger.service.ts`
 * (interface of the shared brief), so this branch compiles and its tests run
 * before that service lands. In memory; the lead deletes this file at merge
 * time and the imports point at the real service.
 */
export interface LedgerRecipient {
  id: string;
  organizationId: string;
  campaignId: string;
  leadId: string;
  channel: 'email' | 'whatsapp';
  address: string;
  status: string;
}

@Injectable()
export class CampaignLedgerService {
  private readonly rows = new Map<
    string,
    LedgerRecipient & { opens: number; clicks: number; unsubscribed: boolean; bounce: string | null }
  >();

  /** Test hook of the stub only. */
  seed(recipient: LedgerRecipient): void {
    this.rows.set(recipient.id, { ...recipient, opens: 0, clicks: 0, unsubscribed: false, bounce: null });
  }

  /** Test hook of the stub only. */
  peek(recipientId: string) {
    return this.rows.get(recipientId);
  }

  findRecipient(recipientId: string): Promise<LedgerRecipient | null> {
    const row = this.rows.get(recipientId);
    return Promise.resolve(row ? { ...row } : null);
  }

  recordOpen(recipientId: string, _at: Date): Promise<{ first: boolean } | null> {
    const row = this.rows.get(recipientId);
    if (!row) return Promise.resolve(null);
    row.opens++;
    return Promise.resolve({ first: row.opens === 1 });
  }

  recordClick(recipientId: string, _url: string, _at: Date): Promise<{ first: boolean } | null> {
    const row = this.rows.get(recipientId);
    if (!row) return Promise.resolve(null);
    row.clicks++;
    return Promise.resolve({ first: row.clicks === 1 });
  }

  recordUnsubscribe(recipientId: string): Promise<void> {
    const row = this.rows.get(recipientId);
    if (row) row.unsubscribed = true;
    return Promise.resolve();
  }

  recordBounce(recipientId: string, kind: 'hard' | 'soft' | 'complaint', _reason: string): Promise<void> {
    const row = this.rows.get(recipientId);
    if (row) row.bounce = kind;
    return Promise.resolve();
  }

  recordProviderStatus(
    _providerMessageId: string,
    _status: 'delivered' | 'opened' | 'failed',
    _at: Date,
    _error?: string | null,
  ): Promise<void> {
    return Promise.resolve();
  }
}
