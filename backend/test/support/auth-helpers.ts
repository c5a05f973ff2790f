/**
 * Helpers of the auth e2e suites: an HTTP client that keeps every answer (so a
 * suite can prove at its end that no secret ever left the server), sign-in,
 * users of each role, cookies, hand-made JWTs and TOTP codes.
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { Role } from '../../src/modules/auth/permissions';
import { TEST_JWT_SECRET } from './test-app';

export { Role };

export const PROBLEM_JSON = /^application\/problem\+json/;
export const REFRESH_COOKIE = 'meridian_refresh';
/** The whole API key, as the create answer shows it once. */
export const API_KEY_PATTERN = /mk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/g;

/** Untyped JSON as the API answers it: the suites read fields they assert on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of the API under test, checked by the assertions
export type Json = any;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: { field: string; reason: string; constraint?: string }[];
  [extension: string]: unknown;
}

export interface ApiResponse<T = Json> {
  method: string;
  path: string;
  status: number;
  contentType: string;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: T;
  text: string;
  requestId: string | null;
  setCookies: string[];
}

export interface RequestOptions {
  /** `Authorization: Bearer <token>` (an access token or an API key). */
  token?: string;
  /** `X-API-Key: <key>`. */
  apiKey?: string;
  /** JSON body; `{}` is sent as `{}`. */
  body?: unknown;
  /** The refresh cookie value to send. */
  refreshCookie?: string;
  headers?: Record<string, string>;
  /** Client address, through X-Forwarded-For (the app trusts loopback proxies outside production). */
  ip?: string;
}

/** A secret the server hands out once: it may appear in the answer that created it and nowhere else. */
interface OneTimeSecret {
  kind: string;
  value: string;
  /** Index of the answer allowed to hold it, or -1 for none (values the client sent). */
  origin: number;
}

/** A random private address, so sign-ins of one suite never share the per-IP budget of another (nor of an earlier run: Redis outlives the app). */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function uniqueEmail(tag: string): string {
  return `${tag}-${randomBytes(5).toString('hex')}@e2e.test`;
}

export function strongPassword(): string {
  return `pw-${randomBytes(12).toString('base64url')}`;
}

/**
 * fetch() against the app, recording every answer. Secrets the server hands
 * out once (API keys, temporary passwords, TOTP secrets, recovery codes,
 * refresh tokens) and passwords the client sent are registered as they pass,
 * so `leaks()` can tell whether any of them was ever echoed elsewhere.
 */
export class ApiClient {
  readonly responses: ApiResponse[] = [];
  private readonly secrets: OneTimeSecret[] = [];

  constructor(
    readonly baseUrl: string,
    readonly ip: string = randomIp(),
  ) {}

  async request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? this.ip, ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
    if (options.refreshCookie !== undefined) headers.cookie = `${REFRESH_COOKIE}=${options.refreshCookie}`;
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
      this.rememberSentPasswords(options.body);
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
    // An event stream stays open: take its status and headers, then hang up.
    const streaming = res.ok && (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    if (streaming) await res.body?.cancel();
    const text = streaming ? '' : await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const response: ApiResponse<T> = {
      method,
      path,
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      headers: res.headers,
      body: body as T,
      text,
      requestId: res.headers.get('x-request-id'),
      setCookies: res.headers.getSetCookie(),
    };
    this.responses.push(response);
    this.rememberHandedOutSecrets(response, this.responses.length - 1);
    return response;
  }

  get<T = Json>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = Json>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T = Json>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  /** Every answer that holds a secret it should not: a password hash, the JWT secret, or a one-time secret outside the answer that created it. */
  leaks(): string[] {
    const found: string[] = [];
    this.responses.forEach((res, index) => {
      const where = `#${index} ${res.method} ${res.path} (${res.status})`;
      if (res.text.includes('$argon2')) found.push(`${where}: a password hash ($argon2...)`);
      if (res.text.includes(TEST_JWT_SECRET)) found.push(`${where}: the JWT secret`);
      // Whole API keys this client never saw created are leaks wherever they appear.
      for (const key of res.text.match(API_KEY_PATTERN) ?? []) {
        if (!this.secrets.some((s) => s.value === key)) found.push(`${where}: an API key ${key.slice(0, 11)}...`);
      }
      for (const secret of this.secrets) {
        // A temporary password is later sent back to sign in: the answer that created it stays its one allowed place.
        const allowedHere = this.secrets.some((s) => s.value === secret.value && s.origin === index);
        if (!allowedHere && res.text.includes(secret.value)) found.push(`${where}: ${secret.kind}`);
      }
    });
    return [...new Set(found)];
  }

  private remember(kind: string, value: unknown, origin: number): void {
    if (typeof value === 'string' && value.length >= 8) this.secrets.push({ kind, value, origin });
  }

  private rememberSentPasswords(body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    for (const field of ['password', 'currentPassword', 'newPassword'])
      this.remember(`the password sent as ${field}`, (body as Record<string, unknown>)[field], -1);
  }

  private rememberHandedOutSecrets(res: ApiResponse, index: number): void {
    const body = res.body as Record<string, Json> | undefined;
    if (res.method === 'POST' && res.path === '/api/api-keys' && res.status === 201)
      this.remember('an API key', body?.secret, index);
    if (res.path.startsWith('/api/users') && typeof body?.temporaryPassword === 'string')
      this.remember('a temporary password', body.temporaryPassword, index);
    if (res.path === '/api/auth/mfa/setup' && res.status === 200) this.remember('a TOTP secret', body?.secret, index);
    if (res.path === '/api/auth/mfa/enable' && Array.isArray(body?.recoveryCodes))
      for (const code of body.recoveryCodes) this.remember('a recovery code', code, index);
    const cookie = refreshCookieOf(res);
    if (cookie?.value) this.remember('a refresh token', cookie.value, -1);
  }
}

/* ------------------------------------------------------------- assertions */

/** Compares "METHOD path → status" strings, so a failure names the call and what it answered. */
export function expectStatus(res: ApiResponse, status: number): void {
  const detail = res.status === status ? '' : ` ${res.text.slice(0, 300)}`;
  expect(`${res.method} ${res.path} → ${res.status}${detail}`).toBe(`${res.method} ${res.path} → ${status}`);
}

/** An RFC 9457 problem with this status and code, carrying the request id of the answer. */
export function expectProblem(res: ApiResponse<Problem>, status: number, code?: string): void {
  expectStatus(res, status);
  expect(res.contentType).toMatch(PROBLEM_JSON);
  expect(res.body).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(typeof res.body.code).toBe('string');
  expect(res.body.detail).toEqual(expect.any(String));
  expect(res.body.requestId).toBe(res.requestId);
}

/** The fields a validation problem names, sorted. */
export function problemFields(res: ApiResponse<Problem>): string[] {
  return [...new Set((res.body.errors ?? []).map((e) => e.field))].sort();
}

/* ---------------------------------------------------------------- cookies */

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flags (HttpOnly) map to true. */
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...attrs] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    if (i < 0) attributes[attr.toLowerCase()] = true;
    else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
}

export function refreshCookieOf(res: ApiResponse): SetCookie | undefined {
  return res.setCookies.map(parseSetCookie).find((c) => c.name === REFRESH_COOKIE);
}

/* ---------------------------------------------------------------- sign-in */

export interface Session {
  res: ApiResponse;
  accessToken: string;
  mfa: 'none' | 'verify' | 'setup';
  /** The refresh cookie value, when one was set. */
  refreshCookie?: string;
  userId: string;
}

/** POST /api/auth/login from a fresh address; fails unless the answer is 200. */
export async function signIn(api: ApiClient, email: string, password: string): Promise<Session> {
  const res = await api.post('/api/auth/login', { email, password }, { ip: randomIp() });
  if (res.status !== 200) throw new Error(`login as ${email} answered ${res.status}: ${res.text}`);
  return {
    res,
    accessToken: res.body.accessToken,
    mfa: res.body.mfa,
    refreshCookie: refreshCookieOf(res)?.value,
    userId: res.body.user.id,
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/** POST /api/users with a known password; fails unless the answer is 201. */
export async function createUser(
  api: ApiClient,
  token: string,
  role: Role,
  overrides: Partial<{ email: string; name: string; password: string }> = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail(role);
  const password = overrides.password ?? strongPassword();
  const res = await api.post(
    '/api/users',
    { email, name: overrides.name ?? `${role} user`, role, password },
    { token },
  );
  if (res.status !== 201) throw new Error(`creating a ${role} answered ${res.status}: ${res.text}`);
  return { id: res.body.user.id, email, password, role };
}

/** A new user of `role`, signed in. */
export async function createSignedInUser(
  api: ApiClient,
  token: string,
  role: Role,
): Promise<TestUser & { token: string; session: Session }> {
  const user = await createUser(api, token, role);
  const session = await signIn(api, user.email, user.password);
  return { ...user, token: session.accessToken, session };
}

/** POST /api/api-keys; fails unless the answer is 201. */
export async function createApiKey(
  api: ApiClient,
  token: string,
  body: { name?: string; scope: 'read-only' | 'custom'; permissions?: string[]; expiresAt?: string },
): Promise<{ id: string; secret: string; prefix: string; permissions: string[] }> {
  const res = await api.post('/api/api-keys', { name: 'e2e key', ...body }, { token });
  if (res.status !== 201) throw new Error(`creating an API key answered ${res.status}: ${res.text}`);
  return {
    id: res.body.key.id,
    secret: res.body.secret,
    prefix: res.body.key.prefix,
    permissions: res.body.key.permissions,
  };
}

/** An item of a list answer, with the fields the suites look at. */
export interface Row {
  id: string;
  email?: string;
  requestId?: string | null;
  entityId?: string | null;
  actorId?: string | null;
  [field: string]: unknown;
}

/** Follows nextCursor to the end; fails on any answer but 200. */
export async function listAll<T = Row>(
  api: ApiClient,
  path: string,
  options: RequestOptions & { limit?: number } = {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = `${path}${sep}limit=${options.limit ?? 200}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: ApiResponse<{ items: T[]; nextCursor: string | null }> = await api.get(url, options);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${res.text}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${path}: more than 1000 pages, the cursor does not advance`);
}

/* -------------------------------------------------------------------- JWT */

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An HS256 (or any header you give) JWT, signed with HMAC-SHA256 over `secret`. */
export function signJwt(
  payload: Record<string, unknown>,
  options: { secret?: string; header?: Record<string, unknown> } = {},
): string {
  const header = options.header ?? { alg: 'HS256', typ: 'JWT' };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', options.secret ?? TEST_JWT_SECRET)
    .update(signingInput)
    .digest('base64url');
  return `${signingInput}.${signature}`;
}

/** An unsigned token: `alg: none` and an empty signature. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.`;
}

export function decodeJwt(token: string): { header: Record<string, Json>; payload: Record<string, Json> } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

/* ------------------------------------------------------------------- TOTP */

/** The authenticator code of `secret` at now + offsetSeconds (RFC 6238: SHA-1, 6 digits, 30 s). */
export function totpCode(secret: string, offsetSeconds = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSeconds * 1000,
  });
}

/** Six digits that are none of the codes the server could accept now (it allows one period of drift each side). */
export function wrongTotpCode(secret: string, seed: number): string {
  const near = new Set([-90, -60, -30, 0, 30, 60, 90].map((s) => totpCode(secret, s)));
  for (let n = seed; ; n++) {
    const candidate = String(n % 1_000_000).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
