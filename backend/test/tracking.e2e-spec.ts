import { randomUUID } from 'node:crypto';
import { CampaignTemplatesService } from '../src/modules/campaigns/templates/campaign-templates.service';
import { TrackingTokens, TrackingUrls } from '../src/modules/tracking/tracking-tokens';
import { ApiClient, PROBLEM_JSON } from './support/auth-helpers';
import { ledgerState, seedRecipient, SeededRecipient } from './support/campaign-ledger-fixture';
import { eventually } from './support/processes';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://mail.meridian.test';

interface Activity {
  type: string;
  actorId: string | null;
  actorLabel: string;
  data: Record<string, unknown>;
}

describe('tracking: open pixel, signed click redirect, unsubscribe (one-click)', () => {
  let t: TestApp;
  let token: string;
  let orgId: string;
  let tokens: TrackingTokens;
  let templates: CampaignTemplatesService;
  const api = () => new ApiClient(t.baseUrl);
  const call = (method: string, path: string, body?: unknown) => api().request(method, path, { token, body });
  /** The app answers at baseUrl; links in emails name PUBLIC_URL. */
  const local = (url: string) => url.replace(PUBLIC_URL, t.baseUrl);
  const raw = (path: string, init: RequestInit = {}) => fetch(local(path), { redirect: 'manual', ...init });

  async function createLead(body: Record<string, unknown>): Promise<string> {
    const res = await call('POST', '/api/leads', { consentEmail: true, consentWhatsapp: true, ...body });
    if (res.status !== 201) throw new Error(`lead create answered ${res.status}: ${res.text}`);
    return res.body.id as string;
  }

  async function newRecipient(tag: string): Promise<SeededRecipient> {
    const email = `${tag}-${randomUUID().slice(0, 8)}@example.com`;
    const leadId = await createLead({ firstName: tag, email, phone: `+4915${Math.floor(1e8 + Math.random() * 8e8)}` });
    return seedRecipient(t, { organizationId: orgId, leadId, address: email });
  }

  const timeline = async (leadId: string): Promise<Activity[]> =>
    (await call('GET', `/api/leads/${leadId}/activities?limit=200`)).body.items as Activity[];
  const suppressionsOf = (address: string) =>
    t.db.query<{ channel: string; reason: string; campaign_id: string | null }>(
      'SELECT channel, reason, campaign_id FROM suppressions WHERE address = $1 ORDER BY channel',
      [address],
    );

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
    token = await t.login();
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
    tokens = t.app.get(TrackingTokens, { strict: false });
    templates = new CampaignTemplatesService(t.app.get(TrackingUrls, { strict: false }));
  });
  afterAll(() => t?.close());

  function render(r: SeededRecipient) {
    const compiled = templates.compile(
      'email',
      {
        subject: 'Hi {{ firstName }}',
        html: '<html><body><p><a href="https://shop.example.com/offer?a=1&amp;b=2">Offer</a></p><p><a href="{{ unsubscribeUrl }}">Unsubscribe</a></p></body></html>',
      },
      { organizationName: 'E2E', campaignName: 'Spring', customFieldKeys: [] },
    );
    return compiled.renderEmail(
      {
        id: r.leadId,
        firstName: 'A',
        lastName: null,
        email: r.address,
        phone: null,
        company: null,
        title: null,
        source: 'web',
        status: 'new',
        customFields: {},
      },
      { id: r.id, campaignId: r.campaignId },
    );
  }

  it('renders links under PUBLIC_URL, with the unsubscribe headers', async () => {
    const r = await newRecipient('render');
    const mail = render(r);
    const t0 = tokens.sign(r.id);
    expect(mail.headers['List-Unsubscribe']).toBe(`<${PUBLIC_URL}/u/${t0}>`);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.messageId).toBe(`<${r.id}@mail.meridian.test>`);
    expect(mail.html).toContain(`${PUBLIC_URL}/t/o/${t0}`);
    expect(mail.html).toContain(`${PUBLIC_URL}/t/c/${t0}?u=`);
  });

  it('open pixel: always a GIF, never cached; the ledger counts every open, the timeline the first', async () => {
    const r = await newRecipient('open');
    const pixel = /<img src="([^"]+)"/.exec(render(r).html)?.[1] ?? '';
    const before = (await call('GET', `/api/leads/${r.leadId}`)).body.score as number;

    for (let i = 0; i < 3; i++) {
      const res = await raw(pixel);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
      expect(res.headers.get('cache-control')).toContain('no-store');
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 6)
          .toString(),
      ).toBe('GIF89a');
    }
    // The ledger counts every open; the campaign's counter and the status move once.
    expect(await ledgerState(t, r.id)).toMatchObject({ status: 'opened', openCount: 3, campaign: { opened: 1 } });
    const opens = (await timeline(r.leadId)).filter((a) => a.type === 'campaign_opened');
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ actorId: null, data: { campaignId: r.campaignId, recipientId: r.id } });
    expect(opens[0].actorLabel).toBe(`Campaign ${r.campaignName}`);
    // An open is engagement: the lead is rescored (+5) by the leads queue.
    await eventually(async () => {
      const score = (await call('GET', `/api/leads/${r.leadId}`)).body.score as number;
      return score === before + 5 ? score : undefined;
    }, 15_000);

    for (const bad of ['/t/o/garbage', `/t/o/${tokens.sign(randomUUID())}`]) {
      const res = await raw(`${t.baseUrl}${bad}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    }
  });

  it('click: a signed link redirects (302) and is recorded; anything else is a 400 problem', async () => {
    const r = await newRecipient('click');
    const link = (/href="([^"]+)">Offer/.exec(render(r).html)?.[1] ?? '').replace(/&#38;/g, '&');
    const res = await raw(link);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example.com/offer?a=1&b=2');
    expect(await ledgerState(t, r.id)).toMatchObject({
      status: 'clicked',
      clickCount: 1,
      campaign: { clicked: 1 },
    });
    const clicks = (await timeline(r.leadId)).filter((a) => a.type === 'campaign_clicked');
    expect(clicks).toHaveLength(1);
    expect(clicks[0].data).toMatchObject({ url: 'https://shop.example.com/offer?a=1&b=2', campaignId: r.campaignId });

    const url = new URL(local(link));
    const tok = url.pathname.split('/').pop() ?? '';
    const sig = url.searchParams.get('s') ?? '';
    const evil = 'https://evil.example/phish';
    const attempts = [
      `/t/c/${tok}?u=${encodeURIComponent(evil)}&s=${sig}`, // other target, same signature
      `/t/c/${tok}?u=${encodeURIComponent('https://shop.example.com/offer?a=1&b=2')}&s=${sig.slice(0, -2)}AA`, // tampered signature
      `/t/c/${tok}?u=${encodeURIComponent('https://shop.example.com/offer?a=1&b=2')}`, // no signature
      `/t/c/${tokens.sign(randomUUID())}?u=${encodeURIComponent('https://shop.example.com/offer?a=1&b=2')}&s=${sig}`, // other token
      `/t/c/${tok}?u=${encodeURIComponent('javascript:alert(1)')}&s=${tokens.signClick(tok, 'javascript:alert(1)')}`, // signed, but not http(s)
      `/t/c/not-a-token?u=${encodeURIComponent(evil)}&s=${tokens.signClick('not-a-token', evil)}`,
    ];
    for (const path of attempts) {
      const bad = await raw(`${t.baseUrl}${path}`);
      expect({ path, status: bad.status }).toEqual({ path, status: 400 });
      expect(bad.headers.get('location')).toBeNull();
      expect(bad.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(((await bad.json()) as { code: string }).code).toBe('invalid_tracking_link');
    }
    expect(await ledgerState(t, r.id)).toMatchObject({ clickCount: 1 });
  });

  it('unsubscribe page: GET shows the form and changes nothing (link scanners)', async () => {
    const r = await newRecipient('page');
    const page = await raw(`${t.baseUrl}/u/${tokens.sign(r.id)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="/u/${tokens.sign(r.id)}">`);
    expect(html).toContain('name="whatsapp"');
    expect(html).toContain('Also stop WhatsApp messages');
    expect(html).toContain('prefers-color-scheme: dark');
    expect(html).not.toContain(r.address); // masked
    const lead = (await call('GET', `/api/leads/${r.leadId}`)).body;
    expect(lead).toMatchObject({ unsubscribedAt: null, consentEmail: true, consentWhatsapp: true });
    expect(await suppressionsOf(r.address)).toEqual([]);
    expect(await ledgerState(t, r.id)).toMatchObject({ unsubscribed: false });

    const invalid = await raw(`${t.baseUrl}/u/${tokens.sign(randomUUID())}`);
    expect(invalid.status).toBe(404);
    expect(await invalid.text()).toContain('This link is not valid');
  });

  it('one-click POST (RFC 8058) stops email only, idempotently', async () => {
    const r = await newRecipient('oneclick');
    const url = /^<(.+)>$/.exec(render(r).headers['List-Unsubscribe'])?.[1] ?? '';
    const post = () =>
      raw(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    const first = await post();
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('You are unsubscribed');
    const lead = (await call('GET', `/api/leads/${r.leadId}`)).body;
    expect(lead.unsubscribedAt).not.toBeNull();
    expect(lead.consentWhatsapp).toBe(true);
    expect(await suppressionsOf(r.address)).toEqual([
      { channel: 'email', reason: 'unsubscribed', campaign_id: r.campaignId },
    ]);
    const phoneRows = await t.db.query('SELECT 1 FROM suppressions WHERE channel = $1 AND address = $2', [
      'whatsapp',
      lead.phone,
    ]);
    expect(phoneRows).toEqual([]);
    expect(await ledgerState(t, r.id)).toMatchObject({ unsubscribed: true, campaign: { unsubscribed: 1 } });

    const again = await post();
    expect(again.status).toBe(200);
    expect((await timeline(r.leadId)).filter((a) => a.type === 'unsubscribed')).toHaveLength(1);
    expect(await suppressionsOf(r.address)).toHaveLength(1);
    expect(await ledgerState(t, r.id)).toMatchObject({ campaign: { unsubscribed: 1 } });
    const unsubscribedAt = (await call('GET', `/api/leads/${r.leadId}`)).body.unsubscribedAt;
    expect(unsubscribedAt).toBe(lead.unsubscribedAt);

    const audit = await call('GET', `/api/audit?action=lead.unsubscribed&entityId=${r.leadId}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorType: 'system',
      actorId: null,
      changes: { suppressed: ['email'], consentWithdrawn: ['email'], campaignId: r.campaignId },
    });
  });

  it('the page form with the box ticked also stops WhatsApp', async () => {
    const r = await newRecipient('both');
    const res = await raw(`${t.baseUrl}/u/${tokens.sign(r.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click&whatsapp=1',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('WhatsApp messages either');
    const lead = (await call('GET', `/api/leads/${r.leadId}`)).body;
    expect(lead).toMatchObject({ consentWhatsapp: false, consentEmail: true });
    expect(lead.unsubscribedAt).not.toBeNull();
    const rows = await t.db.query<{ channel: string; address: string }>(
      'SELECT channel, address FROM suppressions WHERE lead_id = $1 ORDER BY channel',
      [r.leadId],
    );
    expect(rows).toEqual([
      { channel: 'email', address: r.address },
      { channel: 'whatsapp', address: lead.phone },
    ]);
    const entry = (await timeline(r.leadId)).find((a) => a.type === 'unsubscribed');
    expect(entry?.data).toMatchObject({ channels: ['email', 'whatsapp'], campaignId: r.campaignId });
  });

  it('one-click as multipart/form-data (RFC 8058 allows it) works too', async () => {
    const r = await newRecipient('multipart');
    const form = new FormData();
    form.append('List-Unsubscribe', 'One-Click');
    const res = await raw(`${t.baseUrl}/u/${tokens.sign(r.id)}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const lead = (await call('GET', `/api/leads/${r.leadId}`)).body;
    expect(lead.unsubscribedAt).not.toBeNull();
    expect(lead.consentWhatsapp).toBe(true);
  });

  it('accepts form bodies only on the unsubscribe route', async () => {
    const res = await fetch(`${t.baseUrl}/api/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'firstName=Form',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const multipart = new FormData();
    multipart.append('firstName', 'Form');
    const res2 = await fetch(`${t.baseUrl}/api/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: multipart,
    });
    expect(res2.status).toBe(415);
    const bad = await raw(`${t.baseUrl}/u/nonsense`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(bad.status).toBe(404);
  });
});
