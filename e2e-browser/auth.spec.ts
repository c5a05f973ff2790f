import { Browser, Page, test as anonymous } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

import {
  OWNER,
  SCREENSHOTS,
  expect,
  signInThroughApi,
  submitSignIn,
  test,
  uniqueEmail,
  useDarkTheme,
} from './support/session';

const FORBIDDEN = "You don't have access to this page";

const PERIOD_MS = 30_000;

/**
 * The code an authenticator app holding `secret` (as shown, spaces and all) shows at `at`.
 * The API accepts each time step once and one step of drift either way, so a second code
 * within the same 30 s is taken from the next step rather than waited for.
 */
function totp(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

async function openUserMenu(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('user-menu-identity')).toBeVisible();
}

async function newSignedOutPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

anonymous.describe('signing in', () => {
  anonymous('sends a visitor to the sign-in page, then to the page they asked for', async ({ page }) => {
    await page.goto('/system-status');

    await expect(page).toHaveURL(/\/sign-in\?returnUrl=%2Fsystem-status$/);
    await expect(page).toHaveTitle('Sign in · Meridian');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in.png`, animations: 'disabled' });

    await submitSignIn(page, OWNER);

    await expect(page).toHaveURL(/\/system-status$/);
    await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();
    await expect(page.getByTestId('overall-status')).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Meridian');

    // The session survives a reload: the access token is only in memory, the refresh cookie brings it back.
    await page.reload();
    await expect(page.getByTestId('overall-status')).toBeVisible();
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain('eyJ');

    await openUserMenu(page);
    await expect(page.getByTestId('user-menu-identity')).toContainText(OWNER.email);
    await expect(page.getByTestId('user-menu-identity')).toContainText('Owner');
    await page.getByRole('menuitem', { name: 'Sign out' }).click();

    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  });

  anonymous('explains what is wrong with the form and with the credentials', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Email is required')).toBeVisible();
    await expect(page.getByText('Password is required')).toBeVisible();

    await submitSignIn(page, { email: 'nobody@e2e.test', password: 'not-the-password' });
    await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.');
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-error.png`, animations: 'disabled' });

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-dark.png`, animations: 'disabled' });
  });
});

test.describe('users and permissions', () => {
  test('the owner adds a viewer, who then sees only what a viewer may', async ({ page, browser }) => {
    const email = uniqueEmail('vera');
    await page.goto('/users');
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await expect(page.locator(`[data-user-email="${OWNER.email}"]`)).toContainText('You');

    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Name').fill('Vera Viewer');
    await dialog.getByLabel('Email').fill(email);
    await expect(dialog.getByTestId('user-role')).toContainText('Viewer');
    await dialog.getByRole('button', { name: 'Add user' }).click();

    const secret = page.getByRole('dialog', { name: 'Vera Viewer was added' });
    await expect(secret).toContainText('This is the only time the password is shown');
    const temporaryPassword = (await secret.getByTestId('secret-value').textContent())?.trim() ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: `${SCREENSHOTS}/users-temporary-password.png`, animations: 'disabled' });
    await secret.getByRole('button', { name: 'I have stored it' }).click();

    const row = page.locator(`[data-user-email="${email}"]`);
    await expect(row).toContainText('Vera Viewer');
    await expect(row).toContainText('Viewer');
    await expect(row).toContainText('New password pending');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/users.png`, animations: 'disabled' });

    // The viewer, in a browser of their own: first sign-in asks for a new password.
    const viewerPage = await newSignedOutPage(browser);
    await viewerPage.goto('/users');
    await submitSignIn(viewerPage, { email, password: temporaryPassword });
    await expect(viewerPage.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
    await viewerPage.screenshot({ path: `${SCREENSHOTS}/sign-in-change-password.png`, animations: 'disabled' });
    await viewerPage.getByLabel('Current (temporary) password').fill(temporaryPassword);
    await viewerPage.getByLabel('New password', { exact: true }).fill('vera-chose-this-1');
    await viewerPage.getByLabel('Repeat the new password').fill('vera-chose-this-1');
    await viewerPage.getByRole('button', { name: 'Save and continue' }).click();

    // Back to where they were going, which a viewer may not open: the 403 page, at the same address.
    await expect(viewerPage.getByRole('heading', { level: 1, name: FORBIDDEN })).toBeVisible();
    await expect(viewerPage).toHaveURL(/\/users$/);
    await expect(viewerPage.getByTestId('forbidden')).toContainText('Your role, Viewer, does not include');
    await viewerPage.screenshot({ path: `${SCREENSHOTS}/forbidden.png`, animations: 'disabled' });

    await viewerPage.getByRole('link', { name: 'Go to the dashboard' }).click();
    await expect(viewerPage.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(viewerPage.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([
      'Dashboard',
      'Leads',
      'Inbox',
      'Campaigns',
      'Outbox',
      'Help',
    ]);

    // /api-keys is left out until the API serves the console there (see the fixme test below).
    for (const path of ['/users', '/audit', '/system-status']) {
      await viewerPage.goto(path);
      await expect(viewerPage.getByRole('heading', { level: 1, name: FORBIDDEN }), path).toBeVisible();
    }
    await viewerPage.context().close();

    // Back in the owner's browser: the viewer has signed in and has a password of their own now.
    await page.reload();
    await expect(row).toContainText('Active');
    await expect(row).not.toContainText('New password pending');
  });

  test('the owner changes a role and deactivates a user, with confirmation', async ({ page, owner }) => {
    const email = uniqueEmail('ada');
    await owner.api.post('/api/users', { name: 'Ada Agent', email, role: 'agent', password: 'ada-password-123' });

    await page.goto('/users');
    const row = page.locator(`[data-user-email="${email}"]`);
    await row.getByRole('button', { name: 'Actions for Ada Agent' }).click();
    await page.getByRole('menuitem', { name: 'Change role…' }).click();
    const roleDialog = page.getByRole('dialog', { name: 'Change the role of Ada Agent' });
    await roleDialog.getByTestId('change-role-select').click();
    await page.getByRole('option', { name: /^Manager/ }).click();
    await roleDialog.getByRole('button', { name: 'Change role' }).click();
    await expect(row).toContainText('Manager');

    await row.getByRole('button', { name: 'Actions for Ada Agent' }).click();
    await page.getByRole('menuitem', { name: 'Deactivate…' }).click();
    await page
      .getByRole('dialog', { name: 'Deactivate Ada Agent?' })
      .getByRole('button', { name: 'Deactivate' })
      .click();
    await expect(row).toContainText('Deactivated');

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/users-dark.png`, animations: 'disabled' });
  });
});

test.describe('API keys', () => {
  test('creates a key, shows its secret once, and revokes it', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();

    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Name').fill('CRM sync');
    await dialog.getByRole('radio', { name: /Custom/ }).check();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect(dialog.getByText('Choose at least one permission.')).toBeVisible();
    await dialog.getByRole('checkbox', { name: 'Read leads' }).check();
    await dialog.getByRole('checkbox', { name: 'Export leads' }).check();
    await page.screenshot({ path: `${SCREENSHOTS}/api-key-create.png`, animations: 'disabled' });
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const secretDialog = page.getByRole('dialog', { name: 'API key “CRM sync” created' });
    await expect(secretDialog).toContainText('This is the only time it is shown');
    const secret = (await secretDialog.getByTestId('secret-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^mk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: `${SCREENSHOTS}/api-key-secret.png`, animations: 'disabled' });
    await secretDialog.getByRole('button', { name: 'I have stored it' }).click();

    // The key works, with its own permissions.
    const asKey = await page.request.get('/api/auth/me', { headers: { Authorization: `Bearer ${secret}` } });
    expect(asKey.status()).toBe(200);
    expect(((await asKey.json()) as { permissions: string[] }).permissions.sort()).toEqual([
      'leads:export',
      'leads:read',
    ]);

    const row = page.locator('[data-api-key="CRM sync"]').first();
    await expect(row).toContainText(secret.slice(0, 11));
    await expect(row).toContainText('2 permissions');
    await expect(row).toContainText('Active');
    await page.screenshot({ path: `${SCREENSHOTS}/api-keys.png`, animations: 'disabled' });

    await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page.getByRole('dialog', { name: 'Revoke “CRM sync”?' }).getByRole('button', { name: 'Revoke key' }).click();
    await expect(row).toContainText('Revoked');
    const revoked = await page.request.get('/api/auth/me', { headers: { Authorization: `Bearer ${secret}` } });
    expect(revoked.status()).toBe(401);
  });
});

test.describe('API keys, deep link', () => {
  // /api-keys is a console page, not an API path: the fallback must serve the console for it.
  test('opens the API keys page from its address', async ({ page }) => {
    await page.goto('/api-keys');
    await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
  });
});

test.describe('audit log', () => {
  test('lists changes newest first and filters them', async ({ page, owner }) => {
    const email = uniqueEmail('audrey');
    await owner.api.post('/api/users', { name: 'Audrey Audit', email, role: 'viewer' });
    await owner.api.post('/api/api-keys', { name: 'Audit reader', scope: 'read-only' });

    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    const rows = page.locator('[data-testid="audit-table"] tr[data-action]');
    await expect(rows.first()).toHaveAttribute('data-action', 'api_key.created');
    await expect(rows.nth(1)).toHaveAttribute('data-action', 'user.created');
    await expect(rows.nth(1)).toContainText(email);
    await expect(rows.first()).toContainText(OWNER.email);
    await page.screenshot({ path: `${SCREENSHOTS}/audit.png`, animations: 'disabled' });

    await page.getByTestId('filter-action').click();
    await page.getByRole('option', { name: 'User added' }).click();
    await expect(rows.first()).toHaveAttribute('data-action', 'user.created');
    await expect(
      page.locator('[data-testid="audit-table"] tr[data-action]:not([data-action="user.created"])'),
    ).toHaveCount(0);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByTestId('filter-entity').click();
    await page.getByRole('option', { name: 'API key' }).click();
    await expect(rows.first()).toHaveAttribute('data-action', /^api_key\./);
    await expect(page.locator('[data-testid="audit-table"] tr[data-action^="user."]')).toHaveCount(0);
  });
});

test.describe('account', () => {
  test('an admin changes their password and turns MFA on, signs in with it, and turns it off', async ({
    browser,
    owner,
  }) => {
    const admin = { email: uniqueEmail('alex'), password: 'alex-first-password' };
    await owner.api.post('/api/users', { name: 'Alex Admin', role: 'admin', ...admin });

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await signInThroughApi(context, admin);
    const page = await context.newPage();
    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
    await expect(page.getByTestId('profile')).toContainText(admin.email);
    await expect(page.getByTestId('profile')).toContainText('Admin');
    await expect(page.getByTestId('mfa-state')).toContainText('Off');
    await page.screenshot({ path: `${SCREENSHOTS}/account.png`, fullPage: true, animations: 'disabled' });

    // Password: a wrong current password is shown at its field; then a real change.
    const passwordForm = page.getByTestId('change-password-form');
    await passwordForm.getByLabel('Current password').fill('not-my-password');
    await passwordForm.getByLabel('New password', { exact: true }).fill('alex-second-password');
    await passwordForm.getByLabel('Repeat the new password').fill('alex-second-password');
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await expect(passwordForm.getByText('Current password is not your current password')).toBeVisible();
    await passwordForm.getByLabel('Current password').fill(admin.password);
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await expect(passwordForm.getByRole('status')).toHaveText('Your password was changed.');
    admin.password = 'alex-second-password';

    // MFA on: QR code and key, a first code, then the recovery codes once.
    const mfa = page.getByTestId('mfa-card');
    await mfa.getByRole('button', { name: 'Turn on' }).click();
    await expect(mfa.getByRole('img', { name: /QR code/ })).toBeVisible();
    const secret = (await mfa.getByTestId('mfa-secret').textContent()) ?? '';
    await mfa.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/account-mfa-setup.png`, animations: 'disabled' });
    await mfa.getByLabel('Authenticator code').fill(totp(secret));
    await mfa.getByRole('button', { name: 'Turn on MFA' }).click();
    await expect(mfa.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
    const recoveryCode = (await mfa.getByTestId('recovery-codes').getByRole('listitem').first().textContent())?.trim();
    await page.screenshot({ path: `${SCREENSHOTS}/account-mfa-codes.png`, animations: 'disabled' });
    await mfa.getByRole('checkbox', { name: 'I have saved these codes somewhere safe' }).check();
    await mfa.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('mfa-state')).toContainText('On');

    // Signing in now takes a code: here one of the recovery codes.
    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await submitSignIn(page, admin);
    await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-mfa.png`, animations: 'disabled' });
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCode ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    // MFA off: password and a current code.
    await page.goto('/account');
    await page.getByTestId('mfa-disable').click();
    const disable = page.getByTestId('disable-mfa-form');
    await disable.getByLabel('Password').fill(admin.password);
    await disable.getByLabel('Authenticator code').fill(totp(secret, Date.now() + PERIOD_MS));
    await disable.getByRole('button', { name: 'Turn off MFA' }).click();
    await expect(page.getByTestId('mfa-state')).toContainText('Off');
    await page.getByRole('button', { name: 'Dismiss' }).click();

    await useDarkTheme(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOTS}/account-dark.png`, fullPage: true, animations: 'disabled' });
    await context.close();
  });
});
