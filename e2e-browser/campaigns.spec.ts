import { APIRequestContext, Page } from '@playwright/test';

import { OwnerFixture, SCREENSHOTS, expect, test, useDarkTheme } from './support/session';

/**
 * Campaigns in the console, on the embedded profile: no SMTP_URL and no WhatsApp token, so
 * both channels use the outbox driver and the campaign jobs run inline in the API process.
 */

/** A word of its own per test: the audience is "leads whose company is this word". */
function word(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}`;
}

function auth(owner: OwnerFixture): Record<string, string> {
  return { Authorization: `Bearer ${owner.token}` };
}

async function createLead(request: APIRequestContext, owner: OwnerFixture, data: Record<string, unknown>) {
  const response = await request.post('/api/leads', { headers: auth(owner), data });
  expect(response.status(), `POST /api/leads: ${await response.text()}`).toBe(201);
  return (await response.json()) as { id: string };
}

/** Many leads at once through the CSV import API (one upload, one task). */
async function importLeads(request: APIRequestContext, owner: OwnerFixture, csv: string): Promise<void> {
  const upload = await request.post('/api/lead-imports?filename=audience.csv', {
    headers: { ...auth(owner), 'Content-Type': 'text/csv' },
    data: Buffer.from(csv, 'utf-8'),
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const preview = (await upload.json()) as { id: string; headers: string[] };
  const mapping = Object.fromEntries(preview.headers.map((header) => [header, header]));
  const start = await request.post(`/api/lead-imports/${preview.id}/start`, {
    headers: auth(owner),
    data: { mapping, duplicatePolicy: 'create' },
  });
  expect(start.ok(), await start.text()).toBe(true);
  const task = (await start.json()) as { id: string };
  await expect
    .poll(
      async () => {
        const answer = await request.get(`/api/tasks/${task.id}`, { headers: auth(owner) });
        return ((await answer.json()) as { status: string }).status;
      },
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe('succeeded');
}

/** Presses the visible "Next" of the stepper (each step has its own) and waits for the step it opens. */
async function nextStep(page: Page, step: 'Audience' | 'Content' | 'Schedule' | 'Review'): Promise<void> {
  await page.locator('[data-testid="step-next"]:visible').click();
  await expect(page.getByRole('tab', { name: new RegExp(step) })).toHaveAttribute('aria-selected', 'true');
}

interface Stats {
  total: number;
  remaining: number;
  sent: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

async function stats(request: APIRequestContext, owner: OwnerFixture, campaignId: string): Promise<Stats> {
  const response = await request.get(`/api/campaigns/${campaignId}`, { headers: auth(owner) });
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { stats: Stats }).stats;
}

/** The campaign's messages in the outbox, test sends left out. */
async function outboxCount(request: APIRequestContext, owner: OwnerFixture, campaignId: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const query: string = `campaignId=${campaignId}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await request.get(`/api/outbox?${query}`, { headers: auth(owner) });
    expect(response.ok(), await response.text()).toBe(true);
    const page = (await response.json()) as { items: { test: boolean }[]; nextCursor: string | null };
    // Test sends of the campaign are kept too, with their badge: they are not recipients.
    count += page.items.filter((message) => !message.test).length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

test.describe('campaigns', () => {
  test('builds an email campaign from a new segment, previews, test-sends, sends it to 100 % and lists the recipients', async ({
    page,
    owner,
  }) => {
    test.setTimeout(120_000);
    const company = word('Springco');
    for (const [first, last] of [
      ['Ada', 'Lovelace'],
      ['Bo', 'Berg'],
      ['Cy', 'Chan'],
    ]) {
      await createLead(page.request, owner, {
        firstName: first,
        lastName: last,
        company,
        email: `${first.toLowerCase()}-${company}@e2e.test`.toLowerCase(),
        consentEmail: true,
      });
    }
    // Another company's lead with consent: only the search keeps it out of the count.
    await createLead(page.request, owner, {
      firstName: 'Eve',
      company: 'Elsewhere',
      email: `eve-${Date.now()}@elsewhere.test`,
      consentEmail: true,
    });
    // Matches the audience, but without consent: counted as excluded.
    await createLead(page.request, owner, {
      firstName: 'Dee',
      company,
      email: `dee-${company}@e2e.test`.toLowerCase(),
    });

    // The empty list of a fresh install is checked in analytics.spec.ts, which runs first.
    await page.goto('/campaigns');
    // The first page of a freshly started API may take a while on a busy machine.
    await page.getByTestId('new-campaign').click({ timeout: 30_000 });
    await expect(page).toHaveURL(/\/campaigns\/new$/);

    // 1. Basics: the first Next saves the draft, and the address becomes its edit page.
    await page.getByTestId('campaign-name-input').fill(`Spring ${company}`);
    await nextStep(page, 'Audience');
    await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}\/edit$/);

    // 2. Audience: no segment yet, so a filter; 3 of the 4 matching leads may get email.
    await expect(page.getByTestId('audience-filter').locator('input')).toBeChecked();
    // Every lead first (at least the five above), then the search narrows the count.
    await expect(page.getByTestId('audience-count')).toContainText('matching');
    await page.getByTestId('audience-search').fill(company);
    await expect(page.getByTestId('audience-eligible')).toHaveText('3');
    await expect(page.getByTestId('audience-count')).toContainText('of 4 matching');
    await expect(page.getByTestId('audience-count')).toContainText('1 without consent or unsubscribed');
    await page.getByTestId('save-as-segment').click();
    await page.getByTestId('segment-name').fill(`Customers ${company}`);
    await page.getByTestId('segment-save').click();
    await expect(page.getByTestId('audience-segment').locator('input')).toBeChecked();
    await expect(page.getByTestId('segment-select')).toContainText(`Customers ${company}`);
    await expect(page.getByTestId('audience-eligible')).toHaveText('3');
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-editor-audience.png`, animations: 'disabled' });
    await nextStep(page, 'Content');

    // 3. Content: an unknown variable is refused on its field; "Insert variable" writes a fallback.
    const subject = page.getByTestId('email-subject');
    await subject.fill('Hello {{ nobody }}');
    await expect(page.getByTestId('email-subject-error')).toBeVisible();
    await subject.fill('Hello ');
    await subject.focus();
    await page.getByTestId('variable-fallback').fill('friend');
    await page.getByTestId('insert-variable').click();
    await page.getByRole('menuitem', { name: /First name/ }).click();
    await expect(subject).toHaveValue('Hello {{ firstName | default: "friend" }}');
    await expect(page.getByTestId('email-subject-error')).toHaveCount(0);
    // The preview, as Ada.
    await page.getByTestId('preview-lead').fill('Ada');
    await page.getByRole('option', { name: /Ada Lovelace/ }).click();
    await expect(page.getByTestId('preview-subject')).toHaveText('Hello Ada');
    const frame = page.getByTestId('preview-frame');
    await expect(frame).toHaveAttribute('sandbox', '');
    await expect(page.frameLocator('[data-testid="preview-frame"]').locator('body')).toContainText('Hello Ada');
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-editor-content.png`, animations: 'disabled' });
    await nextStep(page, 'Schedule');

    // 4. Schedule: now (the default), 5. Review.
    await expect(page.getByTestId('schedule-now').locator('input')).toBeChecked();
    await nextStep(page, 'Review');
    await expect(page.getByTestId('campaign-review')).toContainText(`Customers ${company}`);
    await expect(page.getByTestId('review-eligible')).toHaveText('3 recipients');

    // A test send goes to the outbox, not to the ledger.
    await page.getByTestId('test-send').click();
    await expect(page.getByTestId('test-send-to')).toHaveValue('owner@e2e.test');
    await page.getByTestId('test-send-submit').click();
    await expect(page.getByTestId('test-send-result')).toContainText('Outbox');
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-test-send.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-editor-review.png`, animations: 'disabled' });

    // Send now, confirmed with the count.
    await page.getByTestId('launch').click();
    await expect(page.getByRole('dialog')).toContainText('3 eligible recipients');
    await page.getByTestId('confirm').click();
    await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop() ?? '';

    // The live page follows it to 100 %.
    await expect(page.getByTestId('campaign-progress')).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
    await expect(page.getByTestId('campaign-status')).toContainText('Completed');
    await expect(page.getByTestId('counter-sent')).toContainText('3');
    await expect(page.getByTestId('counter-failed')).toContainText('0');
    await expect(page.getByTestId('campaign-excluded')).toContainText('No consent or unsubscribed');
    const rows = page.getByTestId('recipients-table').locator('tr[data-recipient]');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'Ada Lovelace' })).toContainText(`ada-${company}@e2e.test`.toLowerCase());
    await expect(page.getByTestId('recipients-table')).toContainText('Sent');
    // Filters: nobody failed; the search (the start of the address) finds one.
    await page.getByTestId('recipient-status-filter').getByRole('option', { name: 'Failed' }).click();
    await expect(page.getByTestId('recipients-empty')).toContainText('No recipient matches');
    await page.getByTestId('recipient-status-filter').getByRole('option', { name: 'All' }).click();
    await page.getByTestId('recipient-search').fill('ada-');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('Ada Lovelace');
    await page.getByTestId('recipient-search').fill('');
    await expect(rows).toHaveCount(3);
    await page.screenshot({
      path: `${SCREENSHOTS}/campaign-live-completed.png`,
      fullPage: true,
      animations: 'disabled',
    });
    // Exactly once: three messages of this campaign in the outbox (the test send is not one of them).
    expect(await outboxCount(page.request, owner, campaignId)).toBe(3);

    // The list shows it.
    await page.goto('/campaigns');
    const row = page.getByTestId('campaigns-table').locator(`tr[data-campaign="Spring ${company}"]`);
    await expect(row).toContainText('Completed');
    await expect(row).toContainText('3 sent');
    await page.screenshot({ path: `${SCREENSHOTS}/campaigns-list.png`, animations: 'disabled' });

    // The outbox: in the navigation (no provider configured), with the test badge and the HTML sandboxed.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click();
    await expect(page).toHaveURL(/\/outbox$/);
    await expect(page.getByTestId('outbox-banner')).toContainText('SMTP_URL');
    const messages = page.getByTestId('outbox-message');
    const testMessage = messages.filter({ has: page.getByTestId('outbox-test-badge') }).first();
    await expect(testMessage).toContainText('owner@e2e.test');
    await testMessage.click();
    await expect(page.getByTestId('outbox-detail-subject')).toContainText('[Test]');
    await expect(page.getByTestId('outbox-frame')).toHaveAttribute('sandbox', '');
    await messages.filter({ hasText: `ada-${company}@e2e.test`.toLowerCase() }).click();
    await expect(page.getByTestId('outbox-detail-subject')).toHaveText('Hello Ada');
    await expect(page.frameLocator('[data-testid="outbox-frame"]').locator('body')).toContainText('Hello Ada');
    await page.screenshot({ path: `${SCREENSHOTS}/outbox.png`, animations: 'disabled' });

    // Dark theme and phone width.
    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/outbox-dark.png`, animations: 'disabled' });
    await page.goto(`/campaigns/${campaignId}`);
    await expect(page.getByTestId('campaign-status')).toContainText('Completed');
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-live-dark.png`, fullPage: true, animations: 'disabled' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByTestId('campaign-status')).toContainText('Completed');
    await page.screenshot({
      path: `${SCREENSHOTS}/campaign-live-phone-dark.png`,
      fullPage: true,
      animations: 'disabled',
    });
    await page.goto('/campaigns');
    await expect(row).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/campaigns-list-phone-dark.png`, animations: 'disabled' });
    await page.getByTestId('theme-toggle').click();
    await page.getByRole('menuitemradio', { name: 'Light' }).click();
    await page.screenshot({ path: `${SCREENSHOTS}/campaigns-list-phone.png`, animations: 'disabled' });
    await page.getByTestId('theme-toggle').click();
    await page.getByRole('menuitemradio', { name: 'System' }).click();
  });

  test('pauses, resumes and cancels a WhatsApp campaign to a saved segment, each message at most once', async ({
    page,
    owner,
  }) => {
    test.setTimeout(180_000);
    // WhatsApp goes out at 80 messages/s by default: 4,000 recipients would take 50 s, time enough to
    // pause, resume and cancel on a busy machine. Cancelling (not waiting for the end) keeps it short.
    const audience = 4000;
    const company = word('Waco');
    const lines = ['firstName,company,phone,consentWhatsapp'];
    for (let i = 0; i < audience; i++) {
      lines.push(`Wanda${i},${company},+49151${String(10000000 + i)},yes`);
    }
    await importLeads(page.request, owner, lines.join('\n'));
    const segment = await owner.api.post<{ id: string; name: string }>('/api/segments', {
      name: `WhatsApp ${company}`,
      filter: { q: company },
    });

    await page.goto('/campaigns/new');
    await page.getByTestId('campaign-name-input').fill(`Offer ${company}`);
    await page.getByTestId('channel-whatsapp').click();
    await nextStep(page, 'Audience');
    await expect(page).toHaveURL(/\/edit$/);

    // A saved segment this time.
    await expect(page.getByTestId('audience-segment').locator('input')).toBeChecked();
    await page.getByTestId('segment-select').click();
    await page.getByRole('option', { name: new RegExp(segment.name) }).click();
    await expect(page.getByTestId('audience-eligible')).toHaveText(audience.toLocaleString('en'), { timeout: 15_000 });
    await nextStep(page, 'Content');

    await page.getByTestId('whatsapp-template').fill('spring_offer');
    await page.getByTestId('whatsapp-add-param').click();
    await page.getByTestId('whatsapp-param-0').fill('{{ firstName }}');
    await page.getByTestId('whatsapp-preview-text').fill('Hi {{1}}, our spring offer is here.');
    await page.getByTestId('preview-lead').fill('Wanda0');
    await page
      .getByRole('option', { name: /Wanda0\b/ })
      .first()
      .click();
    await expect(page.getByTestId('preview-whatsapp')).toContainText('Hi Wanda0, our spring offer is here.');
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-editor-whatsapp.png`, animations: 'disabled' });
    await nextStep(page, 'Schedule');
    await nextStep(page, 'Review');
    await page.getByTestId('launch').click();
    await expect(page.getByRole('dialog')).toContainText(`${audience.toLocaleString('en')} eligible recipients`);
    await page.getByTestId('confirm').click();
    await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop() ?? '';

    // Pause while it sends: it stops short of the end.
    await page.getByTestId('campaign-pause').click();
    await expect(page.getByTestId('campaign-status')).toContainText('Paused');
    await expect(page.getByTestId('campaign-resume')).toBeVisible();
    const paused = await stats(page.request, owner, campaignId);
    expect(paused.remaining).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('campaign-progress').getAttribute('aria-valuenow'))).toBeLessThan(100);
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-live-paused.png`, animations: 'disabled' });

    // Resume: it sends again.
    await page.getByTestId('campaign-resume').click();
    await expect(page.getByTestId('campaign-status')).toContainText('Sending');
    await expect(page.getByTestId('campaign-pause')).toBeVisible();

    // Cancel, confirmed: what was not sent is not sent; what went out went out once.
    await page.getByTestId('campaign-cancel').click();
    await expect(page.getByRole('dialog')).toContainText('will not be sent');
    await page.getByTestId('confirm').click();
    await expect(page.getByTestId('campaign-status')).toContainText('Cancelled');
    await expect(page.getByTestId('campaign-actions').getByTestId('campaign-pause')).toHaveCount(0);
    await expect(page.getByTestId('campaign-actions').getByTestId('campaign-resume')).toHaveCount(0);
    await expect
      .poll(async () => (await stats(page.request, owner, campaignId)).remaining, { timeout: 30_000 })
      .toBe(0);
    const final = await stats(page.request, owner, campaignId);
    expect(final.total).toBe(audience);
    expect(final.sent).toBeGreaterThan(0);
    expect(final.cancelled).toBeGreaterThan(0);
    expect(final.sent + final.failed + final.skipped + final.cancelled).toBe(audience);
    expect(await outboxCount(page.request, owner, campaignId)).toBe(final.sent);
    await page.reload();
    await expect(page.getByTestId('campaign-progress')).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByTestId('recipients-table').locator('tr[data-recipient]')).toHaveCount(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect(page.getByTestId('recipients-table').locator('tr[data-recipient]')).toHaveCount(100);
    await page.getByTestId('recipient-status-filter').getByRole('option', { name: 'Cancelled' }).click();
    await expect(page.getByTestId('recipients-table')).toContainText('Cancelled');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOTS}/campaign-live-cancelled.png`, animations: 'disabled' });
  });
});
