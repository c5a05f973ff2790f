import { createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIRequestContext } from '@playwright/test';

import { OwnerFixture, SCREENSHOTS, expect, test, useDarkTheme } from './support/session';

/**
 * The inbox and the website widget on the embedded profile. WhatsApp has no access token
 * here, so replies go to the outbox driver (the same code path as the Cloud API driver up
 * to the HTTP call; backend/test/conversations.e2e-spec.ts covers the Cloud API itself);
 * WHATSAPP_APP_SECRET is set in playwright.config.ts, so the test signs webhooks like Meta.
 */
const APP_SECRET = 'e2e-whatsapp-app-secret';

function auth(owner: OwnerFixture): Record<string, string> {
  return { Authorization: `Bearer ${owner.token}` };
}

/** A customer writes to the business number: the webhook Meta would post, signed with the app secret. */
async function inbound(request: APIRequestContext, from: string, text: string, name: string): Promise<void> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.${randomBytes(20).toString('base64url')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  const response = await request.post('/api/webhooks/whatsapp', {
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    data: body,
  });
  expect(response.status(), await response.text()).toBe(200);
}

const number = () => `49151${String(Date.now()).slice(-8)}`;

test.describe('inbox', () => {
  // Many steps on a shared, busy machine: more than the default 30 s, never a fixed wait.
  test.describe.configure({ timeout: 120_000 });

  test('an inbound WhatsApp message appears live; the reply goes out; status, assign and close', async ({
    page,
    owner,
  }) => {
    await page.goto('/inbox');
    await expect(page.getByTestId('inbox-live')).toHaveText(/Live/, { timeout: 30_000 });
    const first = number();
    // No reload from here on: everything arrives through the live stream.
    await inbound(page.request, first, 'Hello! Is the spring offer still on?', 'Grace Hopper');
    const conversation = page.getByTestId('inbox-conversation').filter({ hasText: 'Grace Hopper' });
    await expect(conversation).toBeVisible();
    await expect(conversation.getByTestId('inbox-unread-badge')).toHaveText('1');
    await conversation.click();
    await expect(page.getByTestId('inbox-thread-name')).toHaveText('Grace Hopper');
    await expect(page.getByTestId('inbox-message')).toHaveText([/Is the spring offer still on\?/]);
    await expect(conversation.getByTestId('inbox-unread-badge')).toHaveCount(0);

    await page.getByTestId('inbox-reply').fill('Yes, until Sunday. Shall I send you the details?');
    await page.getByTestId('inbox-send').click();
    const reply = page.getByTestId('inbox-message').filter({ hasText: 'until Sunday' });
    await expect(reply).toBeVisible();
    await expect(reply.getByTestId('inbox-tick')).toHaveAttribute('data-status', 'sent');
    await expect(page.getByTestId('inbox-reply')).toHaveValue('');

    // The reply left through the WhatsApp driver: here the outbox, to the customer's E.164 number.
    const outbox = await page.request.get('/api/outbox?channel=whatsapp', { headers: auth(owner) });
    const sent = ((await outbox.json()) as { items: { to: string; text: string }[] }).items;
    expect(sent).toContainEqual(
      expect.objectContaining({ to: `+${first}`, text: 'Yes, until Sunday. Shall I send you the details?' }),
    );

    // A second message arrives while the thread is open.
    await inbound(page.request, first, 'Yes please!', 'Grace Hopper');
    await expect(page.getByTestId('inbox-message').last()).toContainText('Yes please!');

    await page.getByTestId('inbox-lead-status').click();
    await page.getByRole('option', { name: 'Contacted' }).click();
    await expect(page.getByTestId('inbox-lead-status')).toContainText('Contacted');
    await page.getByTestId('inbox-assign').click();
    await page.getByRole('menuitem', { name: 'Assign to me' }).click();
    await expect(page.getByTestId('inbox-assign')).toContainText('You');

    await inbound(page.request, number(), 'Do you ship to Norway?', 'Ada Lovelace');
    await expect(page.getByTestId('inbox-conversation').filter({ hasText: 'Ada Lovelace' })).toBeVisible();
    await page.screenshot({ path: 'docs/images/inbox.png', animations: 'disabled' });
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-light.png`, animations: 'disabled' });
    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-dark.png`, animations: 'disabled' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-phone-thread.png`, animations: 'disabled' });
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-phone-list.png`, animations: 'disabled' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('inbox-conversation').filter({ hasText: 'Grace Hopper' }).click();
    await page.getByTestId('inbox-close').click();
    await expect(page.getByTestId('inbox-conversation').filter({ hasText: 'Grace Hopper' })).toHaveCount(0);
    await page.getByTestId('inbox-mine').click();
    await expect(page.getByTestId('inbox-empty')).toContainText('Nothing assigned to you');
    await page.getByTestId('inbox-closed').click();
    await expect(page.getByTestId('inbox-conversation').filter({ hasText: 'Grace Hopper' })).toBeVisible();

    // The lead shows the conversation on its timeline, and its new status.
    const leads = await page.request.get(`/api/leads?q=${encodeURIComponent('Grace')}`, { headers: auth(owner) });
    const lead = ((await leads.json()) as { items: { id: string; status: string; source: string }[] }).items[0];
    expect(lead).toMatchObject({ status: 'contacted', source: 'whatsapp' });
  });

  test('outside the 24-hour window the inbox explains it and offers a template', async ({ page, owner }) => {
    // A conversation whose customer wrote long ago: the window is computed from last_inbound_at,
    // so a message with an old timestamp (Meta delivers late messages with their own time) closes it.
    const from = number();
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'Old Timer' }, wa_id: from }],
                messages: [
                  {
                    from,
                    id: `wamid.${randomBytes(20).toString('base64url')}`,
                    timestamp: String(Math.floor(Date.now() / 1000) - 26 * 3600),
                    type: 'text',
                    text: { body: 'Are you open on Sundays?' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
    const posted = await page.request.post('/api/webhooks/whatsapp', {
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      data: body,
    });
    expect(posted.status()).toBe(200);
    await page.goto('/inbox');
    await page.getByTestId('inbox-conversation').filter({ hasText: 'Old Timer' }).click();
    await expect(page.getByTestId('inbox-window-closed')).toContainText('24-hour window is closed');
    await expect(page.getByTestId('inbox-reply')).toHaveCount(0);
    await page.getByTestId('inbox-template-name').fill('opening_hours');
    await page.getByTestId('inbox-send-template').click();
    await expect(page.getByTestId('inbox-message').last()).toContainText('Template opening_hours');
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-window-closed.png`, animations: 'disabled' });
    const outbox = await page.request.get('/api/outbox?channel=whatsapp', { headers: auth(owner) });
    const sent = ((await outbox.json()) as { items: { to: string; text: string }[] }).items;
    expect(sent).toContainEqual(
      expect.objectContaining({ to: `+${from}`, text: expect.stringContaining('opening_hours') }),
    );
  });
});

test.describe('website widget', () => {
  test.describe.configure({ timeout: 120_000 });
  let site: http.Server;
  let siteUrl = '';
  let snippet = '';
  /** The visitor's browser storage (their conversation token) at the end of the first test. */
  let visitorStorage: Record<string, string> = {};

  test.afterAll(async () => {
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  });

  test('embedded on a test page, it captures a lead that shows in the leads list and the inbox', async ({
    page,
    owner,
  }) => {
    // A customer's website on its own origin, with the snippet and a stylesheet that must not leak in.
    site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>Shop</title><style>* { font-family: serif !important; color: red !important; } button { background: yellow !important; }</style></head>` +
          `<body><h1>Our shop</h1><p>Welcome.</p>${snippet}</body></html>`,
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    await page.goto('/settings/widget');
    await page.getByTestId('widget-origins').fill(siteUrl);
    await page.getByTestId('widget-save').click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expect(page.getByTestId('widget-no-origin')).toHaveCount(0);
    snippet = (await page.getByTestId('widget-snippet').textContent())?.trim() ?? '';
    expect(snippet).toMatch(/^<script src="http:\/\/127\.0\.0\.1:\d+\/widget\/v1\/wk_[\w-]{24}\.js" async><\/script>$/);
    await page.screenshot({ path: `${SCREENSHOTS}/widget-settings.png`, animations: 'disabled' });

    const visitor = await page.context().newPage();
    // Replies come on the live stream: the widget only polls GET messages when the stream is down.
    const polls: string[] = [];
    visitor.on('request', (r) => {
      if (r.method() === 'GET' && /\/api\/public\/widget\/[^/]+\/messages/.test(r.url())) polls.push(r.url());
    });
    await visitor.goto(siteUrl);
    const widget = visitor.locator('#meridian-widget');
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    const email = `hedy-${Date.now().toString(36)}@example.test`;
    await widget.getByLabel('Name').fill('Hedy Lamarr');
    await widget.getByLabel('Email').fill(email);
    await widget.getByLabel('Your question').fill('How do I import leads from a CSV file?');
    await widget.getByLabel('I agree that you store my details to answer me.').check();
    // The host page's CSS does not reach into the widget (shadow root).
    const launcherBackground = await widget
      .getByRole('button', { name: 'Chat with us' })
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(launcherBackground).not.toBe('rgb(255, 255, 0)');
    await widget.getByRole('button', { name: 'Send' }).click();
    await expect(widget.locator('.msg.in')).toHaveText(/import leads from a CSV/);
    await expect(widget.locator('.msg.out[data-kind="assistant"]')).toBeVisible({ timeout: 20_000 });
    await visitor.screenshot({ path: `${SCREENSHOTS}/widget-on-site.png`, animations: 'disabled' });

    // The lead is in the leads list, with its source.
    await page.goto('/leads');
    await expect(page.getByRole('row', { name: /Hedy Lamarr/ })).toContainText(email, { timeout: 20_000 });
    const leads = await page.request.get(`/api/leads?q=${encodeURIComponent(email)}`, { headers: auth(owner) });
    expect(((await leads.json()) as { items: { source: string }[] }).items).toEqual([
      expect.objectContaining({ source: 'widget', firstName: 'Hedy', lastName: 'Lamarr' }),
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}/widget-lead-in-list.png`, animations: 'disabled' });

    // ... and the conversation in the inbox; a reply from there reaches the visitor's widget.
    await page.goto('/inbox');
    await page.getByTestId('inbox-conversation').filter({ hasText: 'Hedy Lamarr' }).click();
    await page.getByTestId('inbox-reply').fill('Hi Hedy, I will send you a sample file.');
    await page.getByTestId('inbox-send').click();
    // Well before the fallback poll (every 20 s) could have fetched it.
    await expect(widget.locator('.msg.out').filter({ hasText: 'sample file' })).toBeVisible({ timeout: 5_000 });
    expect(polls).toEqual([]);

    // With the chat closed, a reply shows as an unread badge on the launcher; opening the chat clears it.
    const launcher = widget.locator('button.launcher');
    await widget.getByRole('button', { name: 'Close' }).click();
    await expect(widget.locator('.badge')).toBeHidden();
    await page.getByTestId('inbox-reply').fill('Here it is: sample.csv');
    await page.getByTestId('inbox-send').click();
    await expect(widget.locator('.badge')).toHaveText('1', { timeout: 5_000 });
    await expect(launcher).toHaveAttribute('aria-label', 'Chat with us (1 new reply)');
    await visitor.screenshot({ path: `${SCREENSHOTS}/widget-unread-badge.png`, animations: 'disabled' });
    await visitor.setViewportSize({ width: 390, height: 780 });
    await visitor.screenshot({ path: `${SCREENSHOTS}/widget-unread-badge-phone.png`, animations: 'disabled' });
    await launcher.click();
    await expect(widget.locator('.badge')).toBeHidden();
    await expect(widget.locator('.msg.out').filter({ hasText: 'sample.csv' })).toBeVisible();
    await visitor.screenshot({ path: `${SCREENSHOTS}/widget-live-reply-phone.png`, animations: 'disabled' });

    // The team closes the conversation: the widget says so at once; the visitor writing again reopens it.
    const list = await page.request.get('/api/conversations?channel=widget', { headers: auth(owner) });
    const thread = ((await list.json()) as { items: { id: string; contactAddress: string }[] }).items.find(
      (c) => c.contactAddress === email,
    );
    const closed = await page.request.patch(`/api/conversations/${thread?.id}`, {
      headers: auth(owner),
      data: { status: 'closed' },
    });
    expect(closed.status()).toBe(200);
    await expect(widget.getByRole('status')).toHaveText(/conversation was closed/, { timeout: 5_000 });
    await visitor.screenshot({ path: `${SCREENSHOTS}/widget-closed-note-phone.png`, animations: 'disabled' });
    await widget.getByLabel('Message').fill('One more question');
    await widget.getByRole('button', { name: 'Send' }).click();
    await expect(widget.locator('.msg.in').filter({ hasText: 'One more question' })).toBeVisible();
    await expect(widget.getByRole('status')).toHaveCount(0, { timeout: 5_000 });
    // The assistant answers this one too; it comes after her message, so wait for it while the chat is
    // open (read), or it would land on the closed launcher as an unread reply.
    await expect(widget.locator('.msg.out[data-kind="assistant"]')).toHaveCount(2, { timeout: 20_000 });

    // Back on the site later: the conversation is there, read; a reply that came while away is unread.
    await widget.getByRole('button', { name: 'Close' }).click();
    await visitor.reload();
    await expect(widget.locator('.msg.out').filter({ hasText: 'sample.csv' })).toBeAttached();
    await expect(widget.locator('.badge')).toBeHidden();
    await page.getByTestId('inbox-reply').fill('Did the file work?');
    await page.getByTestId('inbox-send').click();
    await expect(widget.locator('.badge')).toHaveText('1', { timeout: 5_000 });
    expect(polls).toEqual([]);
    visitorStorage = await visitor.evaluate(() => ({ ...localStorage }));
    await visitor.close();
  });

  test('without its live stream (refused here), the widget polls every 20 s and still shows replies', async ({
    page,
  }) => {
    // Hedy comes back to the site (her browser storage from the test above), whose proxy refuses the stream.
    const visitor = await page.context().newPage();
    await visitor.addInitScript((stored: Record<string, string>) => {
      for (const [k, v] of Object.entries(stored)) localStorage.setItem(k, v);
    }, visitorStorage);
    let refused = 0;
    await visitor.route('**/api/public/widget/*/stream', (route) => {
      refused++;
      return route.fulfill({
        status: 429,
        headers: {
          'content-type': 'application/problem+json',
          'retry-after': '60',
          'access-control-allow-origin': siteUrl,
          'access-control-expose-headers': 'retry-after',
        },
        body: JSON.stringify({ status: 429, code: 'too_many_streams', detail: 'Too many live chats.' }),
      });
    });
    const polls: number[] = [];
    visitor.on('request', (r) => {
      if (r.method() === 'GET' && /\/api\/public\/widget\/[^/]+\/messages/.test(r.url())) polls.push(Date.now());
    });
    await visitor.goto(siteUrl);
    const widget = visitor.locator('#meridian-widget');
    await expect(widget.locator('.msg.out').filter({ hasText: 'Did the file work?' })).toBeAttached();
    expect(refused).toBe(1);
    expect(polls).toHaveLength(1);
    // The reply that came while she was away is still unread.
    await expect(widget.locator('.badge')).toHaveText('1');

    await page.goto('/inbox');
    await page.getByTestId('inbox-conversation').filter({ hasText: 'Hedy Lamarr' }).click();
    await page.getByTestId('inbox-reply').fill('Polled reply');
    await page.getByTestId('inbox-send').click();
    await expect(widget.locator('.badge')).toHaveText('2', { timeout: 25_000 });
    expect(polls.length).toBeGreaterThanOrEqual(2);
    await expect(widget.getByRole('button', { name: 'Chat with us (2 new replies)' })).toBeVisible();
    // Retry-After 60: no second stream attempt yet.
    expect(refused).toBe(1);
    await widget.getByRole('button', { name: /Chat with us/ }).click();
    await expect(widget.locator('.msg.out').filter({ hasText: 'Polled reply' })).toBeVisible();
    await visitor.close();
  });
});
