import { Page } from '@playwright/test';

import { OWNER, expect, signInThroughApi, test } from './support/session';

/** Relative luminance (0 black .. 1 white) of the page background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

test.describe('console shell', () => {
  test('loads at / and navigates to System Status', async ({ page }) => {
    await page.goto('/');

    await expect(page).toHaveTitle('Dashboard · Meridian');
    await expect(page.getByRole('banner')).toContainText('Meridian');
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await page.screenshot({ path: 'artifacts/screenshots/dashboard.png', animations: 'disabled' });

    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText([
      'Dashboard',
      'Leads',
      'Inbox',
      'Campaigns',
      'Outbox',
      'Background tasks',
      'Users',
      'API keys',
      'Organization',
      'Lead fields',
      'Website widget',
      'Audit log',
      'System status',
      'Assistant insights',
      'Help',
    ]);
    await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');

    await nav.getByRole('link', { name: 'System status' }).click();

    await expect(page).toHaveURL(/\/system-status$/);
    await expect(page).toHaveTitle('System status · Meridian');
    await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'System status' })).toHaveAttribute('aria-current', 'page');
  });

  test('serves deep links and unknown pages through the console', async ({ page }) => {
    await page.goto('/system-status');
    await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();

    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the dashboard', exact: true }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('keeps the chosen theme across reloads', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('theme-toggle').click();
    await page.getByRole('menuitemradio', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveClass(/theme-dark/);

    await page.reload();
    await expect(page.locator('html')).toHaveClass(/theme-dark/);
    expect(await backgroundLuminance(page)).toBeLessThan(0.3);

    await page.getByTestId('theme-toggle').click();
    await page.getByRole('menuitemradio', { name: 'System' }).click();
    await expect(page.locator('html')).not.toHaveClass(/theme-dark/);
    // Playwright's default colour scheme is light.
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.7);
  });

  test('follows the system colour scheme by default', async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    // A session of its own: sharing the test's rotating refresh cookie would end both.
    await signInThroughApi(context, OWNER);
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await backgroundLuminance(page)).toBeLessThan(0.3);
    await context.close();
  });

  test('keeps the navigation in view while a long page scrolls', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 600 });
    await page.goto('/system-status');
    await expect(page.getByTestId('system-info')).toBeVisible();

    // Over the page, not the navigation: at 600 px the navigation is taller than the screen and scrolls on its own.
    await page.mouse.move(800, 400);
    await page.mouse.wheel(0, 5000);
    await expect(page.getByTestId('system-info')).toBeInViewport();
    // The current page's link; a navigation taller than the screen keeps it in view.
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System status' }),
    ).toBeInViewport();
    await expect(page.getByRole('banner')).toBeInViewport();
  });

  test('slides the navigation over the content on a phone', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    await page.getByRole('button', { name: 'Navigation menu' }).click();
    await expect(nav).toBeVisible();
    await page.screenshot({ path: 'artifacts/screenshots/shell-mobile-nav.png', animations: 'disabled' });

    await nav.getByRole('link', { name: 'System status' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();
    await expect(nav).toBeHidden();
  });
});
