import type { INestApplicationContext } from '@nestjs/common';
import { FakeWhatsApp, sendStatusWebhook } from '../fakes/fake-whatsapp';
import { testRedisUrl } from '../support/env';
import { startTestApp, TestApp } from '../support/test-app';
import { CampaignsApi, ledgerCounts, seedLeads, startWorker, statsWithoutExtras } from './support';

const WA_TOKEN = 'wa-access-token-e2e-0123456789';
const WA_PHONE_ID = '106540352242922';
const WA_APP_SECRET = 'wa-app-secret-e2e-0123456789';

/** A WhatsApp campaign through the local Cloud API fake, and Meta's status webhooks back into the ledger. */
describe('campaigns: WhatsApp through the Cloud API, status webhooks update the ledger', () => {
  let fake: FakeWhatsApp;
  let t: TestApp;
  let worker: INestApplicationContext;
  let c: CampaignsApi;
  let orgId: string;

  beforeAll(async () => {
    fake = await new FakeWhatsApp({ accessToken: WA_TOKEN, phoneNumberId: WA_PHONE_ID }).start();
    const env = {
      REDIS_URL: testRedisUrl(),
      WHATSAPP_API_URL: fake.url,
      WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
      WHATSAPP_APP_SECRET: WA_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'wa-verify-token-e2e',
      CAMPAIGN_WHATSAPP_RATE_PER_SECOND: '80',
      CAMPAIGN_SEND_SLOTS: '2',
      CAMPAIGN_BATCH_SIZE: '10',
      CAMPAIGN_LEASE_SECONDS: '5',
    };
    t = await startTestApp(env);
    worker = await startWorker(t, env);
    c = new CampaignsApi(t, await t.login());
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await fake?.stop();
  });

  it('sends template messages (throttled answers retried), then delivered/read/failed statuses move the ledger forward only', async () => {
    await seedLeads(t, orgId, 6, 'wa', { consentWhatsapp: true, phone: true });
    const count = await c.call('POST', '/api/audiences/count', { channel: 'whatsapp', filter: { tag: ['wa'] } });
    expect(count.body).toMatchObject({ matching: 6, eligible: 6 });

    const created = await c.call('POST', '/api/campaigns', {
      name: 'Spring on WhatsApp',
      channel: 'whatsapp',
      audience: { filter: { tag: ['wa'] } },
      whatsapp: {
        templateName: 'spring_sale',
        language: 'en_US',
        bodyParameters: ['{{ firstName | default: "there" }}', '20%'],
        previewText: 'Hi {{1}}, {{2}} off everything.',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const preview = await c.call('POST', '/api/campaign-previews', {
      channel: 'whatsapp',
      whatsapp: created.body.whatsapp,
    });
    expect(preview.body.whatsapp).toMatchObject({ bodyParameters: ['Ana', '20%'] });

    fake.throttleNext(2, 'code');
    const scheduled = await c.call('POST', `/api/campaigns/${id}/schedule`, {});
    expect(scheduled.body.status).toBe('sending');
    const done = await c.waitFor(id, 'completed');
    expect(done.stats).toMatchObject({ total: 6, sent: 6, failed: 0 });
    // Throttled calls were answered with an error, then retried: one accepted message per recipient.
    expect(fake.sent).toHaveLength(6);
    const recipients = await c.recipients(id);
    const byId = new Map(recipients.map((r) => [r.id, r]));
    for (const m of fake.sent) {
      expect(m.template).toBe('spring_sale');
      expect(byId.get(m.callbackData ?? '')?.providerMessageId).toBe(m.wamid);
    }
    expect(recipients.every((r) => r.attempts === 1)).toBe(true);

    const [r1, r2, r3, r4, r5] = fake.sent;
    const status = (m: (typeof fake.sent)[number], s: 'delivered' | 'read' | 'failed' | 'sent') => ({
      wamid: m.wamid,
      status: s,
      recipientId: m.to.replace(/\D/g, ''),
      callbackData: m.callbackData,
      ...(s === 'failed' ? { error: { code: 131026, title: 'Message undeliverable' } } : {}),
    });
    const webhook = `${t.baseUrl}/api/webhooks/whatsapp`;
    const post = async (updates: ReturnType<typeof status>[]) => {
      const res = await sendStatusWebhook(webhook, WA_APP_SECRET, WA_PHONE_ID, updates);
      expect(res.status).toBe(200);
    };
    await post([status(r1, 'sent'), status(r1, 'delivered'), status(r2, 'delivered'), status(r2, 'read')]);
    await post([status(r3, 'read'), status(r4, 'failed')]);
    // Late and repeated events never move a row back, nor count twice.
    await post([status(r2, 'delivered'), status(r1, 'delivered'), status(r5, 'sent')]);

    const after = new Map((await c.recipients(id)).map((r) => [r.id, r]));
    expect(after.get(r1.callbackData ?? '')).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
    expect(after.get(r2.callbackData ?? '')).toMatchObject({
      status: 'opened',
      openedAt: expect.any(String),
      openCount: 1,
    });
    expect(after.get(r3.callbackData ?? '')).toMatchObject({ status: 'opened', deliveredAt: expect.any(String) });
    expect(after.get(r4.callbackData ?? '')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/131026/),
    });
    expect(after.get(r5.callbackData ?? '')).toMatchObject({ status: 'sent' });

    const campaign = await c.campaign(id);
    expect(campaign.stats).toMatchObject({ total: 6, sent: 5, delivered: 3, opened: 2, failed: 1, remaining: 0 });
    expect(statsWithoutExtras(campaign.stats)).toEqual(await ledgerCounts(t, id));
  });
});
