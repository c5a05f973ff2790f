import { defineConfig, devices } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Browser tests of the built console against the real built API (embedded profile).
 * Build first: `npm run build` (nest build + ng build admin-ui), then `npx playwright test`.
 */
// E2E_PORT lets two suites run side by side (CI uses the default).
const PORT = Number(process.env.E2E_PORT ?? 3199);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// One fresh data directory per run. The config is evaluated again in every worker: the
// first evaluation (the runner) creates it and passes it on through the environment.
const DATA_DIR_ENV = 'MERIDIAN_E2E_DATA_DIR';
if (!process.env[DATA_DIR_ENV]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-e2e-'));
  process.env[DATA_DIR_ENV] = dataDir;
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: 'e2e-browser',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
        headless: true,
      },
    },
  ],
  webServer: {
    command: 'node dist/backend/main.js',
    url: `${BASE_URL}/health/ready`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      DATA_DIR: process.env[DATA_DIR_ENV] ?? '',
      LOG_LEVEL: 'warn',
      // The first owner, created at the first start of the fresh data directory (see e2e-browser/support).
      ADMIN_EMAIL: 'owner@e2e.test',
      ADMIN_PASSWORD: 'owner-password-e2e-1',
      // Always the embedded profile, even where CI exports production URLs.
      DATABASE_URL: '',
      REDIS_URL: '',
      // The inbox spec signs WhatsApp webhooks like Meta; without an access token replies still go to the outbox.
      WHATSAPP_APP_SECRET: 'e2e-whatsapp-app-secret',
      // The widget spec fills its form faster than a person would.
      WIDGET_MIN_FILL_SECONDS: '0',
    },
  },
});
