import { Page } from '@playwright/test';

import { expect, test } from './support/session';

const SERVICES = ['database', 'cache', 'queue', 'kapa', 'ai_provider', 'email', 'whatsapp'];
const SCREENSHOTS = 'artifacts/screenshots';

/** Opens the page and waits until the first check has been rendered. */
async function openSystemStatus(page: Page): Promise<void> {
  await page.goto('/system-status');
  await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();
  await expect(page.getByTestId('overall-status')).toBeVisible();
  await expect(page.getByTestId('refresh')).toBeEnabled();
}

test.describe('System Status page', () => {
  test('shows every service and the overall status', async ({ page }) => {
    await openSystemStatus(page);

    const overall = page.getByTestId('overall-status');
    await expect(overall).toHaveAttribute('data-status', /^(healthy|degraded|unhealthy)$/);
    await expect(overall.getByRole('heading')).toHaveText(
      /All systems operational|Some services are degraded|One or more services are down/,
    );

    for (const name of SERVICES) {
      const card = page.locator(`[data-service="${name}"]`);
      await expect(card, `card of ${name}`).toBeVisible();
      await expect(card.locator('app-status-chip')).toHaveText(/Healthy|Degraded|Unhealthy|Not configured/);
    }
    await expect(page.locator('[data-service="database"]')).toHaveAttribute('data-status', 'healthy');

    await expect(page.getByRole('meter')).toHaveCount(3);
    await expect(page.getByTestId('round-trip')).toHaveText(/\d+(\.\d+)? (ms|s)/);
    await expect(page.getByTestId('connectivity-request-id')).not.toBeEmpty();
    await expect(page.getByTestId('system-info')).toContainText('Version');
    await expect(page.getByTestId('last-checked')).toContainText('Last checked');
    await expect(page.getByTestId('error')).toHaveCount(0);

    await page.screenshot({ path: `${SCREENSHOTS}/system-status.png`, fullPage: true, animations: 'disabled' });
  });

  test('refreshes on demand', async ({ page }) => {
    await openSystemStatus(page);
    const before = await page.getByTestId('connectivity-request-id').textContent();

    const health = page.waitForResponse((response) => response.url().endsWith('/api/system/health'));
    await page.getByTestId('refresh').click();
    expect((await health).ok()).toBe(true);

    await expect(page.getByTestId('refresh')).toBeEnabled();
    await expect(page.getByTestId('connectivity-request-id')).not.toHaveText(before ?? '');
  });

  test('renders in dark mode', async ({ page }) => {
    await openSystemStatus(page);
    await page.getByTestId('theme-toggle').click();
    await page.getByRole('menuitemradio', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveClass(/theme-dark/);
    // Let the menu close before the screenshot.
    await expect(page.getByRole('menu')).toHaveCount(0);

    await page.screenshot({ path: `${SCREENSHOTS}/system-status-dark.png`, fullPage: true, animations: 'disabled' });
  });

  test('fits a phone screen', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openSystemStatus(page);

    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    for (const name of SERVICES) {
      await expect(page.locator(`[data-service="${name}"]`)).toBeAttached();
    }

    await page.screenshot({ path: `${SCREENSHOTS}/system-status-mobile.png`, fullPage: true, animations: 'disabled' });
  });

  test('shows an error and keeps the last data as stale when the API stops answering', async ({ page }) => {
    await openSystemStatus(page);

    await page.route('**/api/system/**', (route) => route.abort('connectionrefused'));
    await page.getByTestId('refresh').click();

    const error = page.getByRole('alert');
    await expect(error).toContainText('Cannot reach the Meridian API');
    await expect(page.getByTestId('stale-note')).toBeVisible();
    await expect(page.getByTestId('overall-status')).toContainText('Last known');
    await expect(page.locator('[data-service]')).toHaveCount(SERVICES.length);
    await page.screenshot({ path: `${SCREENSHOTS}/system-status-error.png`, fullPage: true, animations: 'disabled' });

    await page.unroute('**/api/system/**');
    await page.getByTestId('retry').click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByTestId('overall-status')).not.toContainText('Last known');
  });
});
