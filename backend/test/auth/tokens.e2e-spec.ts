import {
  ApiClient,
  createUser,
  decodeJwt,
  expectProblem,
  expectStatus,
  refreshCookieOf,
  Role,
  Session,
  signIn,
  signJwt,
  TestUser,
  unsignedJwt,
} from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from '../support/test-app';

describe('access tokens and refresh sessions', () => {
  let t: TestApp;
  let api: ApiClient;
  let owner: Session;
  let user: TestUser;
  /** Claims of a real access token of the owner: a live user and a live session. */
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
    api = new ApiClient(t.baseUrl);
    owner = await signIn(api, OWNER_EMAIL, OWNER_PASSWORD);
    claims = decodeJwt(owner.accessToken).payload;
    user = await createUser(api, owner.accessToken, Role.Agent);
  });

  afterAll(async () => {
    await t?.close();
  });

  const me = (token: string) => api.get('/api/auth/me', { token });
  const refresh = (cookie?: string) => api.post('/api/auth/refresh', undefined, { refreshCookie: cookie });
  const now = () => Math.floor(Date.now() / 1000);

  describe('JWT checks', () => {
    it('a token crafted here with the right secret and claims is accepted (the crafting below is sound)', async () => {
      expect(decodeJwt(owner.accessToken).header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(claims).toMatchObject({ iss: 'meridian', aud: 'meridian-api', sub: owner.userId });
      const res = await me(signJwt(claims));
      expectStatus(res, 200);
      expect(res.body.email).toBe(OWNER_EMAIL);
    });

    it.each([
      ['a bad signature', () => signJwt(claims, { secret: 'not-the-secret-0123456789abcdef0123456789' })],
      [
        'a signature of another token',
        () =>
          `${signJwt({ ...claims, role: 'viewer' })
            .split('.')
            .slice(0, 2)
            .join('.')}.${owner.accessToken.split('.')[2]}`,
      ],
      ['alg: none', () => unsignedJwt(claims)],
      ['alg: none with the real signature kept', () => `${unsignedJwt(claims)}${owner.accessToken.split('.')[2]}`],
      ['another algorithm (HS512 header)', () => signJwt(claims, { header: { alg: 'HS512', typ: 'JWT' } })],
      ['an expired token', () => signJwt({ ...claims, iat: now() - 3600, exp: now() - 60 })],
      ['a token not valid yet', () => signJwt({ ...claims, nbf: now() + 3600 })],
      ['another issuer', () => signJwt({ ...claims, iss: 'someone-else' })],
      ['another audience', () => signJwt({ ...claims, aud: 'another-api' })],
      ['a user that does not exist', () => signJwt({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })],
      ['a session that does not exist', () => signJwt({ ...claims, sid: '00000000-0000-4000-8000-000000000000' })],
      ['a malformed token', () => 'not-a-jwt'],
      ['two segments', () => owner.accessToken.split('.').slice(0, 2).join('.')],
      ['garbage in three segments', () => 'a.b.c'],
      ['a payload that is not JSON', () => `${owner.accessToken.split('.')[0]}.bm90IGpzb24.sig`],
    ])('%s → 401 problem+json', async (_name, make) => {
      const res = await me(make());
      expectProblem(res, 401, 'unauthorized');
    });

    it('an empty bearer, a bearer of spaces, or another scheme → 401 problem+json', async () => {
      for (const authorization of ['Bearer ', 'Bearer    ', `Basic ${owner.accessToken}`, owner.accessToken]) {
        const res = await api.get('/api/auth/me', { headers: { authorization } });
        expectProblem(res, 401, 'unauthorized');
      }
    });
  });

  describe('refresh rotation', () => {
    it('login sets the refresh cookie httpOnly, SameSite=Strict, scoped to /api/auth', async () => {
      const session = await signIn(api, user.email, user.password);
      const cookie = refreshCookieOf(session.res);
      expect(cookie).toBeDefined();
      expect(cookie?.value.length).toBeGreaterThanOrEqual(32);
      expect(cookie?.attributes.httponly).toBe(true);
      expect(String(cookie?.attributes.samesite).toLowerCase()).toBe('strict');
      expect(cookie?.attributes.path).toBe('/api/auth');
      expect(session.res.text).not.toContain(cookie?.value);
    });

    it('rotates on refresh; replaying a used cookie revokes the whole family, and only that family', async () => {
      const first = await signIn(api, user.email, user.password);
      const other = await signIn(api, user.email, user.password); // another device: another family

      const rotated = await refresh(first.refreshCookie);
      expectStatus(rotated, 200);
      const second = refreshCookieOf(rotated);
      expect(second?.value).toBeDefined();
      expect(second?.value).not.toBe(first.refreshCookie);
      expect(second?.attributes.httponly).toBe(true);
      expect(rotated.body.user.id).toBe(user.id);
      expectStatus(await me(rotated.body.accessToken), 200);

      const again = await refresh(second?.value);
      expectStatus(again, 200);
      const third = refreshCookieOf(again)?.value;
      expect(third).toBeDefined();

      // The first cookie was used already: presenting it again means it was copied.
      expectProblem(await refresh(first.refreshCookie), 401, 'unauthorized');
      // The whole family is revoked: the newest cookie and every access token of the session.
      expectProblem(await refresh(third), 401, 'unauthorized');
      expectProblem(await me(again.body.accessToken), 401, 'unauthorized');
      expectProblem(await me(rotated.body.accessToken), 401, 'unauthorized');
      expectProblem(await me(first.accessToken), 401, 'unauthorized');

      // Another sign-in of the same user is another family, untouched.
      expectStatus(await me(other.accessToken), 200);
      expectStatus(await refresh(other.refreshCookie), 200);
    });

    it('replaying the cookie that is still current after a rotation also ends the session', async () => {
      const session = await signIn(api, user.email, user.password);
      const rotated = await refresh(session.refreshCookie);
      expectStatus(rotated, 200);
      expectProblem(await refresh(session.refreshCookie), 401, 'unauthorized');
      expectProblem(await me(rotated.body.accessToken), 401, 'unauthorized');
      expectProblem(await refresh(refreshCookieOf(rotated)?.value), 401, 'unauthorized');
    });

    it('refresh without a cookie, or with an unknown one → 401 problem+json', async () => {
      expectProblem(await refresh(undefined), 401, 'unauthorized');
      expectProblem(await refresh('x'.repeat(43)), 401, 'unauthorized');
      expectProblem(await refresh('x'.repeat(500)), 401, 'unauthorized');
    });

    it('logout → 204 and clears the cookie; afterwards neither the cookie nor the access token works', async () => {
      const session = await signIn(api, user.email, user.password);
      expectStatus(await me(session.accessToken), 200);
      const out = await api.post('/api/auth/logout', undefined, { refreshCookie: session.refreshCookie });
      expectStatus(out, 204);
      expect(out.text).toBe('');
      const cleared = refreshCookieOf(out);
      expect(cleared).toBeDefined();
      expect(cleared?.value).toBe('');
      expect(cleared?.attributes.path).toBe('/api/auth');
      expectProblem(await refresh(session.refreshCookie), 401, 'unauthorized');
      expectProblem(await me(session.accessToken), 401, 'unauthorized');
    });

    it('a deactivated user can neither refresh nor use their access token', async () => {
      const victim = await createUser(api, owner.accessToken, Role.Viewer);
      const session = await signIn(api, victim.email, victim.password);
      expectStatus(await api.post(`/api/users/${victim.id}/deactivate`, undefined, { token: owner.accessToken }), 200);
      expectProblem(await refresh(session.refreshCookie), 401, 'unauthorized');
      expectProblem(await me(session.accessToken), 401, 'unauthorized');
    });
  });

  it('no answer leaked a password hash, the JWT secret or a one-time secret', () => {
    expect(api.responses.length).toBeGreaterThan(40); // runs last, over every answer above
    expect(api.leaks()).toEqual([]);
  });
});
