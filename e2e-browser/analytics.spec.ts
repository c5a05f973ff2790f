import { APIRequestContext } from '@playwright/test';

import { OwnerFixture, SCREENSHOTS, expect, test, useDarkTheme } from './support/session';

/**
 * The dashboard on the embedded profile: the rollups are folded by the inline job runner
 * every 15 s (and once at the first view of a new organization). Runs in file order: the
 * organization is empty first, then gets leads and a sent campaign.
 */
test.describe.configure({ mode: 'serial' });

const auth = (owner: OwnerFixture) => ({ Authorization: `Bearer ${owner.token}` });

async function dashboard(request: APIRequestContext, owner: OwnerFixture) {
  const res = await request.get('/api/analytics/dashboard?period=30d', { headers: auth(owner) });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as {
    kpis: { newLeads: { value: number }; campaignsSent: { value: number } };
    engagementByDay: { sent: number }[];
  };
  return { ...body.kpis, sentByDay: body.engagementByDay.reduce((n, d) => n + d.sent, 0) };
}

const LEADS: { source: string; status: string; tags?: string[] }[] = [
  { source: 'web', status: 'new' },
  { source: 'web', status: 'contacted' },
  { source: 'web', status: 'qualified', tags: ['vip-dash'] },
  { source: 'web', status: 'converted' },
  { source: 'import', status: 'new' },
  { source: 'import', status: 'new' },
  { source: 'import', status: 'contacted' },
  { source: 'import', status: 'converted', tags: ['vip-dash'] },
  { source: 'referral', status: 'qualified' },
  { source: 'referral', status: 'converted' },
  { source: 'api', status: 'lost' },
  { source: 'campaign', status: 'contacted' },
];

test('an empty organization sees what to do next instead of zeros', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible({ timeout: 30_000 });
  const empty = page.getByTestId('dashboard-empty');
  await expect(empty).toBeVisible({ timeout: 30_000 });
  await expect(empty).toContainText('No leads or campaigns in this period yet');
  await expect(page.getByTestId('empty-add-leads')).toHaveAttribute('href', '/leads');
  await expect(page.getByTestId('empty-new-campaign')).toHaveAttribute('href', '/campaigns/new');
  await expect(page.getByTestId('dashboard-freshness')).toContainText('figures as of');
  await page.screenshot({ path: `${SCREENSHOTS}/analytics-dashboard-empty.png`, animations: 'disabled' });

  // The campaigns list of a fresh install says what to do, too (this file runs first, on an empty database).
  await page.goto('/campaigns');
  await expect(page.getByTestId('campaigns-empty')).toContainText('Create your first campaign', { timeout: 30_000 });
  await expect(page.getByTestId('campaigns-empty')).toContainText('Leads');
  await page.screenshot({ path: `${SCREENSHOTS}/campaigns-empty.png`, animations: 'disabled' });
  await page.getByTestId('empty-new-campaign').click();
  await expect(page).toHaveURL(/\/campaigns\/new$/);
});

test('with leads and a sent campaign: KPIs, charts, funnel, sources and top campaigns, light and dark', async ({
  page,
  owner,
}) => {
  test.setTimeout(120_000);
  for (const [i, lead] of LEADS.entries()) {
    const res = await page.request.post('/api/leads', {
      headers: auth(owner),
      data: {
        firstName: `Dash${i}`,
        email: `dash${i}@analytics.test`,
        source: lead.source,
        status: lead.status,
        tags: [...(lead.tags ?? []), 'dash'],
        consentEmail: true,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  const campaign = await owner.api.post<{ id: string }>('/api/campaigns', {
    name: 'Spring dashboard',
    channel: 'email',
    audience: { filter: { tag: ['dash'] } },
    email: {
      subject: 'Hello {{ firstName }}',
      html: '<p>Hi {{ firstName }}</p><p><a href="https://example.com/offer">Offer</a></p>',
    },
  });
  await owner.api.post(`/api/campaigns/${campaign.id}/schedule`, {}, 200);
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/api/campaigns/${campaign.id}`, { headers: auth(owner) });
        return ((await res.json()) as { status: string }).status;
      },
      { timeout: 60_000, intervals: [500, 1000] },
    )
    .toBe('completed');
  // The next fold (every 15 s) brings them in.
  await expect
    .poll(async () => dashboard(page.request, owner), { timeout: 60_000, intervals: [1000, 2000] })
    .toMatchObject({ newLeads: { value: LEADS.length }, campaignsSent: { value: 1 }, sentByDay: LEADS.length });

  await page.goto('/');
  // The console boots slowly on a busy machine: the first figure may take a while.
  await expect(page.getByTestId('kpi-newLeads')).toContainText(String(LEADS.length), { timeout: 30_000 });
  await expect(page.getByTestId('kpi-converted')).toContainText('3');
  await expect(page.getByTestId('kpi-conversionRate')).toContainText('25.0%');
  await expect(page.getByTestId('kpi-campaignsSent')).toContainText('1');
  await expect(page.getByTestId('chart-leads').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-engagement').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('dashboard-funnel')).toContainText('Qualified');
  await expect(page.getByTestId('dashboard-by-source')).toContainText('Web');
  await expect(page.getByTestId('dashboard-top-campaigns')).toContainText('Spring dashboard');
  // The chart canvases are drawn (not blank).
  const drawn = await page
    .getByTestId('chart-leads')
    .locator('canvas')
    .evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d');
      const data = ctx?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    });
  expect(drawn).toBeGreaterThan(500);
  await page.screenshot({ path: `${SCREENSHOTS}/analytics-dashboard.png`, fullPage: true, animations: 'disabled' });

  await useDarkTheme(page);
  await expect(page.getByTestId('chart-leads').locator('canvas')).toBeVisible();
  await page.waitForTimeout(300); // the charts redraw with the dark palette on the next frame
  await page.screenshot({
    path: `${SCREENSHOTS}/analytics-dashboard-dark.png`,
    fullPage: true,
    animations: 'disabled',
  });

  // Phone width: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('kpi-newLeads')).toBeVisible();
  // The charts follow the new width on their next resize.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
    .toBeLessThanOrEqual(1);
  await page.screenshot({
    path: `${SCREENSHOTS}/analytics-dashboard-phone-dark.png`,
    fullPage: true,
    animations: 'disabled',
  });
  await page.setViewportSize({ width: 1280, height: 800 });

  // A filter narrows the lead figures; a figure opens the filtered leads list.
  await page.getByTestId('filter-tag').fill('vip-dash');
  await page.getByTestId('filter-tag').press('Enter');
  await expect(page.getByTestId('kpi-newLeads')).toContainText('2');
  await page.getByTestId('kpi-converted').click();
  await expect(page).toHaveURL(/\/leads\?.*status=converted/);
  await expect(page).toHaveURL(/tag=vip-dash/);
  await expect(page.getByText('Dash7', { exact: true })).toBeVisible();
  await expect(page.getByText('Dash3', { exact: true })).toHaveCount(0);

  // The campaign report, from the top campaigns.
  await page.goto(`/campaigns/${campaign.id}/report`);
  await expect(page.getByTestId('report-name')).toContainText('Spring dashboard', { timeout: 30_000 });
  await expect(page.getByTestId('report-funnel')).toContainText('Queued');
  await expect(page.getByTestId('report-funnel')).toContainText(String(LEADS.length));
  await expect(page.getByTestId('report-chart').locator('canvas')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('report-export').click();
  expect((await download).suggestedFilename()).toMatch(/^campaign-report-.*\.csv$/);
  await page.screenshot({ path: `${SCREENSHOTS}/campaign-report-dark.png`, fullPage: true, animations: 'disabled' });
});

// The leads of this file go to the recycle bin, so the specs after it start from their own leads only.
// (The dashboard figures above were read before; deleted leads are left out of lists and audiences.)
test('moves its leads to the recycle bin when done', async ({ page, owner }) => {
  const res = await page.request.get('/api/leads?tag=dash&limit=200', { headers: auth(owner) });
  expect(res.status()).toBe(200);
  const { items } = (await res.json()) as { items: { id: string }[] };
  expect(items.length).toBe(LEADS.length);
  for (const lead of items) {
    expect((await page.request.delete(`/api/leads/${lead.id}`, { headers: auth(owner) })).status()).toBe(204);
  }
});
