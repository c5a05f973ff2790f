import type { TestApp } from './test-app';

/**
 * Ledger rows for the tracking and consent suites, straight into the tables
 * of the campaigns module: a sending campaign and one recipient already sent.
 */
export interface SeededRecipient {
  id: string;
  organizationId: string;
  campaignId: string;
  campaignName: string;
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
  const channel = input.channel ?? 'email';
  let campaignId = input.campaignId;
  let campaignName: string;
  if (campaignId) {
    [{ name: campaignName }] = await t.db.query<{ name: string }>('SELECT name FROM campaigns WHERE id = $1', [
      campaignId,
    ]);
  } else {
    campaignName = `Spring ${Math.random().toString(36).slice(2, 7)}`;
    [{ id: campaignId }] = await t.db.query<{ id: string }>(
      `INSERT INTO campaigns (organization_id, name, channel, status, materialized, total, sent, started_at)
       VALUES ($1, $2, $3, 'sending', true, 1, 1, now()) RETURNING id`,
      [input.organizationId, campaignName, channel],
    );
  }
  const [{ id }] = await t.db.query<{ id: string }>(
    `INSERT INTO campaign_recipients (organization_id, campaign_id, lead_id, channel, address, status, attempts, sent_at)
     VALUES ($1, $2, $3, $4, $5, 'sent', 1, now()) RETURNING id`,
    [input.organizationId, campaignId, input.leadId, channel, input.address],
  );
  if (input.campaignId)
    await t.db.query('UPDATE campaigns SET total = total + 1, sent = sent + 1 WHERE id = $1', [campaignId]);
  // The SMTP sender stores the Message-ID it gave the message as the provider's id.
  await t.db.query(`UPDATE campaign_recipients SET provider_message_id = '<' || id || '@localhost>' WHERE id = $1`, [
    id,
  ]);
  return {
    id,
    organizationId: input.organizationId,
    campaignId,
    campaignName,
    leadId: input.leadId,
    channel,
    address: input.address,
  };
}

/** What the ledger holds for a recipient, and its campaign's counters. */
export async function ledgerState(t: TestApp, recipientId: string) {
  const [row] = await t.db.query<{
    status: string;
    open_count: number;
    click_count: number;
    opened_at: Date | null;
    clicked_at: Date | null;
    delivered_at: Date | null;
    unsubscribed_at: Date | null;
    error: string | null;
    opened: number;
    clicked: number;
    sent: number;
    delivered: number;
    bounced: number;
    unsubscribed: number;
  }>(
    `SELECT r.status, r.open_count, r.click_count, r.opened_at, r.clicked_at, r.delivered_at, r.unsubscribed_at, r.error,
            c.opened, c.clicked, c.sent, c.delivered, c.bounced, c.unsubscribed
       FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1`,
    [recipientId],
  );
  if (!row) return null;
  return {
    status: row.status,
    openCount: row.open_count,
    clickCount: row.click_count,
    openedAt: row.opened_at,
    clickedAt: row.clicked_at,
    deliveredAt: row.delivered_at,
    unsubscribed: row.unsubscribed_at !== null,
    error: row.error,
    campaign: {
      opened: row.opened,
      clicked: row.clicked,
      sent: row.sent,
      delivered: row.delivered,
      bounced: row.bounced,
      unsubscribed: row.unsubscribed,
    },
  };
}
