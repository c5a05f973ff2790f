import { Page } from '@playwright/test';

import { OwnerFixture, SCREENSHOTS, expect, test, useDarkTheme } from './support/session';

/**
 * A custom dashboard range (checked, shared in the URL, with its comparison period) and the
 * organization's time zone (picked from the IANA list, saved, followed by the dashboard).
 * Serial: the second test changes the organization's time zone and puts it back.
 */
test.describe.configure({ mode: 'serial' });

const auth = (owner: OwnerFixture) => ({ Authorization: `Bearer ${owner.token}` });
const DAY_MS = 86_400_000;
const dayAgo = (today: string, n: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
/** How the date inputs (native adapter, en-US) take a day. */
const typed = (day: string) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}/${day.slice(0, 4)}`;

async function organization(
  page: Page,
  owner: OwnerFixture,
): Promise<{ name: string; timeZone: string; mfaRequired: boolean }> {
  const res = await page.request.get('/api/organization', { headers: auth(owner) });
  expect(res.status()).toBe(200);
  return (await res.json()) as { name: string; timeZone: string; mfaRequired: boolean };
}

async function todayOfOrganization(page: Page, owner: OwnerFixture): Promise<string> {
  const { timeZone } = await organization(page, owner);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

async function pickRange(page: Page, from: string, to: string): Promise<void> {
  await page.getByTestId('range-start').fill(typed(from));
  await page.getByTestId('range-end').fill(typed(to));
  await page.getByTestId('range-end').press('Tab');
}

test('a custom range: checked, shared in the URL, compared with the days before it', async ({ page, owner }) => {
  test.setTimeout(90_000);
  const today = await todayOfOrganization(page, owner);
  // One lead today, so the range ending today has a figure to compare.
  const lead = await page.request.post('/api/leads', {
    headers: auth(owner),
    data: { firstName: 'Ranged', email: `ranged-${Date.now()}@range.test`, source: 'web' },
  });
  expect(lead.status(), await lead.text()).toBe(201);
  // The rollups are folded every 15 s on the embedded profile.
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/analytics/dashboard?period=7d', { headers: auth(owner) });
        return ((await res.json()) as { kpis: { newLeads: { value: number } } }).kpis.newLeads.value;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  await page.goto('/');
  await expect(page.getByTestId('dashboard-freshness')).toContainText('figures as of', { timeout: 30_000 });

  await page.getByTestId('dashboard-period').getByRole('radio', { name: 'Custom range' }).click();
  // The picker opens on the days on screen (the last 30).
  await expect(page.getByTestId('range-start')).toHaveValue(typed(dayAgo(today, 29)));
  await expect(page.getByTestId('range-end')).toHaveValue(typed(today));

  // The calendar refuses days after today.
  await page.getByTestId('range-toggle').click();
  await expect(page.locator('mat-calendar')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-custom-range-calendar.png`, animations: 'disabled' });
  await page.keyboard.press('Escape');
  await expect(page.locator('mat-calendar')).toHaveCount(0);

  // End before start, an end after today, more than two years: said on the field, not loaded.
  const shown = page.getByTestId('dashboard-freshness');
  await pickRange(page, dayAgo(today, 3), dayAgo(today, 5));
  await expect(page.getByTestId('range-error')).toHaveText('The last day must not be before the first');
  await expect(shown).not.toContainText(`to ${dayAgo(today, 5)}`);
  await pickRange(page, dayAgo(today, 3), dayAgo(today, -1));
  await expect(page.getByTestId('range-error')).toHaveText('The last day cannot be after today');
  await expect(shown).not.toContainText(`to ${dayAgo(today, -1)}`);
  await pickRange(page, dayAgo(today, 800), today);
  await expect(page.getByTestId('range-error')).toHaveText('A range spans at most 731 days (two years)');
  await expect(shown).not.toContainText(dayAgo(today, 800));

  // Ten days ending today, compared with the ten days before them.
  const from = dayAgo(today, 9);
  const to = today;
  await pickRange(page, from, to);
  await expect(page.getByTestId('range-error')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`period=custom&from=${from}&to=${to}`));
  await expect(page.getByTestId('dashboard-freshness')).toContainText(`${from} to ${to}`);
  await expect(page.getByTestId('dashboard-comparison')).toHaveText(
    `(compared with ${dayAgo(today, 19)} to ${dayAgo(today, 10)})`,
  );
  await expect(page.getByTestId('kpi-newLeads')).toContainText('vs previous 10 days');
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-custom-range.png`, fullPage: true, animations: 'disabled' });

  // The link opens on the same range; a preset takes the range out of the URL.
  await page.reload();
  await expect(page.getByTestId('dashboard-freshness')).toContainText(`${from} to ${to}`, { timeout: 30_000 });
  await expect(page.getByTestId('range-start')).toHaveValue(typed(from));
  await expect(page.getByTestId('dashboard-period').getByRole('radio', { name: 'Custom range' })).toBeChecked();
  await page.getByTestId('dashboard-period').getByRole('radio', { name: '7 days' }).click();
  await expect(page).toHaveURL(/period=7d/);
  await expect(page).not.toHaveURL(/from=/);
  await expect(page.getByTestId('dashboard-freshness')).toContainText(`${dayAgo(today, 6)} to ${today}`);

  // Phone width, dark: the range field fits.
  await page.getByTestId('dashboard-period').getByRole('radio', { name: 'Custom range' }).click();
  await useDarkTheme(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('range-start')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
    .toBeLessThanOrEqual(1);
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-custom-range-phone-dark.png`, animations: 'disabled' });
});

test("the organization's time zone: picked from the list, saved, followed by the dashboard", async ({
  page,
  owner,
}) => {
  test.setTimeout(90_000);
  const before = await organization(page, owner);
  try {
    await page.goto('/');
    await page.getByRole('link', { name: 'Organization' }).click();
    await expect(page).toHaveURL(/\/settings\/organization$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Organization settings' })).toBeVisible();
    await expect(page.getByTestId('org-name')).toHaveValue(before.name);
    const zone = page.getByTestId('org-time-zone');
    await expect(zone).toHaveValue(before.timeZone);
    await expect(page.locator('.explain')).toContainText('Changing it rebuilds every figure');
    await expect(page.getByTestId('org-save')).toBeDisabled();

    // The sign-in rule shows the organization's setting, and changing it is a change to save.
    const mfa = page.getByTestId('org-mfa-required').getByRole('switch');
    await expect(mfa).toHaveAttribute('aria-checked', String(before.mfaRequired));
    await mfa.click();
    await expect(page.getByTestId('org-save')).toBeEnabled();
    await mfa.click();
    await expect(page.getByTestId('org-save')).toBeDisabled();

    // A name the browser does not know is refused before any request.
    await zone.fill('Mars/Olympus');
    await zone.blur();
    await expect(page.getByText('Choose a time zone from the list, such as Europe/Paris')).toBeVisible();

    // Typed words filter the list; each zone shows its offset now.
    await zone.fill('new york');
    const option = page.getByRole('option', { name: /America \/ New York/ });
    await expect(option).toBeVisible();
    await expect(page.getByRole('option')).toHaveCount(1);
    const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')!
      .value.replace('GMT', 'UTC')
      .replace('-', '−');
    await expect(option).toContainText(offset);
    await page.screenshot({ path: `${SCREENSHOTS}/organization-settings-picker.png`, animations: 'disabled' });
    await option.click();
    await expect(zone).toHaveValue('America/New_York');
    await expect(page.getByTestId('org-time-zone-offset')).toHaveText(`Now ${offset}`);

    // The API's field error lands on its field: a blank name.
    await page.getByTestId('org-name').fill('   ');
    await page.getByTestId('org-save').click();
    await expect(page.getByText('Name must not be empty')).toBeVisible();
    expect((await organization(page, owner)).timeZone).toBe(before.timeZone);

    await page.getByTestId('org-name').fill(before.name);
    await page.getByTestId('org-save').click();
    await expect(page.locator('mat-snack-bar-container')).toContainText(
      'Saved. The figures are being rebuilt in America/New_York.',
    );
    expect(await organization(page, owner)).toMatchObject({ name: before.name, timeZone: 'America/New_York' });
    await expect(page.getByTestId('org-save')).toBeDisabled();
    await page.screenshot({ path: 'docs/images/organization-settings.png', animations: 'disabled' });

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/organization-settings-dark.png`, animations: 'disabled' });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
      .toBeLessThanOrEqual(1);
    await page.screenshot({
      path: `${SCREENSHOTS}/organization-settings-phone-dark.png`,
      fullPage: true,
      animations: 'disabled',
    });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The dashboard cuts its days in the new zone.
    await page.goto('/');
    await expect(page.getByTestId('dashboard-freshness')).toContainText('days in America/New_York', {
      timeout: 30_000,
    });
  } finally {
    const res = await page.request.patch('/api/organization', {
      headers: auth(owner),
      data: { timeZone: before.timeZone, name: before.name },
    });
    expect(res.status()).toBe(200);
  }
});
