import { APIRequestContext, BrowserContext, Page, expect, test as base } from '@playwright/test';

/** The first owner, created by the API at first start from ADMIN_EMAIL/ADMIN_PASSWORD (playwright.config.ts). */
export const OWNER = { email: 'owner@e2e.test', password: 'owner-password-e2e-1' } as const;
export const SCREENSHOTS = 'artifacts/screenshots';

const REFRESH_COOKIE = 'meridian_refresh';

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The owner's refresh cookie, carried from one test to the next (the suite runs in one
 * worker, one test at a time). The API rotates the cookie on every refresh and caps
 * sign-ins per client address, so each test continues the session of the one before
 * instead of signing in again; it signs in only when a test ended the session.
 */
let ownerRefreshCookie: string | null = null;

async function refreshCookieOf(context: BrowserContext): Promise<string | null> {
  const cookies = await context.cookies();
  return cookies.find((cookie) => cookie.name === REFRESH_COOKIE)?.value ?? null;
}

/** Signs a browser context in through the API: its cookie jar gets the refresh cookie, as after the sign-in form. */
export async function signInThroughApi(context: BrowserContext, credentials: Credentials): Promise<string> {
  const response = await context.request.post('/api/auth/login', { data: credentials });
  expect(response.status(), `sign-in of ${credentials.email}`).toBe(200);
  const body = (await response.json()) as { accessToken: string; mfa: string };
  expect(body.mfa, `${credentials.email} signs in without an MFA step`).toBe('none');
  return body.accessToken;
}

/** Gives the context the owner's session; resolves with an access token for direct API calls. */
export async function signInAsOwner(context: BrowserContext, baseURL: string): Promise<string> {
  if (ownerRefreshCookie) {
    await context.addCookies([
      {
        name: REFRESH_COOKIE,
        value: ownerRefreshCookie,
        url: `${baseURL}/api/auth`,
        httpOnly: true,
        sameSite: 'Strict',
      },
    ]);
    const refreshed = await context.request.post('/api/auth/refresh');
    if (refreshed.ok()) {
      return ((await refreshed.json()) as { accessToken: string }).accessToken;
    }
  }
  return signInThroughApi(context, OWNER);
}

/** Keeps the owner's (rotated) cookie for the next test. */
export async function keepOwnerSession(context: BrowserContext): Promise<void> {
  ownerRefreshCookie = await refreshCookieOf(context);
}

/** Calls the API as someone, with their access token. */
export class ApiAs {
  constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  async post<T>(path: string, data: unknown, expectedStatus = 201): Promise<T> {
    const response = await this.request.post(path, {
      data,
      headers: { Authorization: `Bearer ${this.token}` },
    });
    expect(response.status(), `POST ${path}: ${await response.text()}`).toBe(expectedStatus);
    return (await response.json()) as T;
  }
}

export interface OwnerFixture {
  /** An access token of the owner, for setting up data through the API. */
  token: string;
  api: ApiAs;
}

/**
 * `test` of the signed-in console: every test starts with the owner's session in its
 * browser context (restored by the app from the refresh cookie, like after a reload).
 */
export const test = base.extend<{ owner: OwnerFixture }>({
  owner: [
    async ({ context, baseURL }, use) => {
      const token = await signInAsOwner(context, baseURL ?? '');
      await use({ token, api: new ApiAs(context.request, token) });
      await keepOwnerSession(context);
    },
    { auto: true },
  ],
});

export { expect };

/** Fills the sign-in form and submits it. */
export async function submitSignIn(page: Page, credentials: Credentials): Promise<void> {
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Switches the console to the dark theme through the theme menu. */
export async function useDarkTheme(page: Page): Promise<void> {
  await page.getByTestId('theme-toggle').click();
  await page.getByRole('menuitemradio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveClass(/theme-dark/);
  await expect(page.getByRole('menu')).toHaveCount(0);
}

let counter = 0;
/** A unique email per run and call, so tests never collide on "email already used". */
export function uniqueEmail(name: string): string {
  counter += 1;
  return `${name}-${Date.now().toString(36)}-${counter}@e2e.test`;
}
