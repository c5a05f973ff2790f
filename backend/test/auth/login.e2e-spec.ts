import {
  ApiClient,
  ApiResponse,
  createSignedInUser,
  createUser,
  expectProblem,
  expectStatus,
  Problem,
  problemFields,
  randomIp,
  refreshCookieOf,
  Role,
  Session,
  signIn,
  TestUser,
  totpCode,
  uniqueEmail,
  wrongTotpCode,
} from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from '../support/test-app';

describe('sign-in, lockout, passwords and MFA', () => {
  let t: TestApp;
  let api: ApiClient;
  let owner: Session;
  let admin: TestUser & { token: string };

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
    api = new ApiClient(t.baseUrl);
    owner = await signIn(api, OWNER_EMAIL, OWNER_PASSWORD);
    admin = await createSignedInUser(api, owner.accessToken, Role.Admin);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** One sign-in attempt, each from its own address (the per-IP budget is not what these tests are about). */
  const attempt = (email: string, password: string) =>
    api.post('/api/auth/login', { email, password }, { ip: randomIp() });

  /** The body without what differs per request. */
  const comparable = (res: ApiResponse<Problem>) => {
    const { requestId: _r, instance: _i, ...rest } = res.body;
    return { status: res.status, contentType: res.contentType, body: rest };
  };

  describe('wrong credentials', () => {
    it('a wrong password and an unknown email get the same answer', async () => {
      const user = await createUser(api, owner.accessToken, Role.Agent);
      const wrongPassword = await attempt(user.email, 'not-the-password-1');
      const unknownEmail = await attempt(uniqueEmail('nobody'), 'not-the-password-1');
      expectProblem(wrongPassword, 401, 'invalid_credentials');
      expectProblem(unknownEmail, 401, 'invalid_credentials');
      expect(comparable(unknownEmail)).toEqual(comparable(wrongPassword));
      expect(Object.keys(unknownEmail.body).sort()).toEqual(Object.keys(wrongPassword.body).sort());
      expect(refreshCookieOf(wrongPassword)).toBeUndefined();
    });

    it('after 5 wrong passwords the account is locked: even the right password → 429 account_locked', async () => {
      const user = await createUser(api, owner.accessToken, Role.Agent);
      for (let i = 0; i < 5; i++)
        expectProblem(await attempt(user.email, `wrong-password-${i}`), 401, 'invalid_credentials');
      const locked = await attempt(user.email, user.password);
      expectProblem(locked, 429, 'account_locked');
      expect(locked.body.accessToken).toBeUndefined();
      expect(refreshCookieOf(locked)).toBeUndefined();
    });

    it('an unknown email locks after 5 tries too, with the same answer as a real locked account', async () => {
      const real = await createUser(api, owner.accessToken, Role.Agent);
      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < 5; i++) {
        expectProblem(await attempt(real.email, `wrong-password-${i}`), 401, 'invalid_credentials');
        expectProblem(await attempt(ghost, `wrong-password-${i}`), 401, 'invalid_credentials');
      }
      const lockedReal = await attempt(real.email, real.password);
      const lockedGhost = await attempt(ghost, 'whatever-password-1');
      expectProblem(lockedReal, 429, 'account_locked');
      expectProblem(lockedGhost, 429, 'account_locked');
      expect(comparable(lockedGhost)).toEqual(comparable(lockedReal));
    });

    it("an admin's password reset unlocks the account, with a temporary password to change", async () => {
      const user = await createUser(api, owner.accessToken, Role.Agent);
      for (let i = 0; i < 5; i++) await attempt(user.email, `wrong-password-${i}`);
      expectProblem(await attempt(user.email, user.password), 429, 'account_locked');

      const reset = await api.post(`/api/users/${user.id}/reset-password`, undefined, { token: admin.token });
      expectStatus(reset, 200);
      expect(reset.body.temporaryPassword).toEqual(expect.any(String));
      expect(reset.body.temporaryPassword.length).toBeGreaterThanOrEqual(12);
      expect(reset.body.user).toMatchObject({ id: user.id, mustChangePassword: true });

      const session = await attempt(user.email, reset.body.temporaryPassword);
      expectStatus(session, 200);
      expect(session.body.user.mustChangePassword).toBe(true);
      expectProblem(await attempt(user.email, user.password), 401, 'invalid_credentials');
    });
  });

  describe('password length', () => {
    it('creating a user with an 11-character password → 400 naming password; 12 characters are enough', async () => {
      const email = uniqueEmail('short');
      const short = await api.post<Problem>(
        '/api/users',
        { email, name: 'Short', role: 'agent', password: 'a'.repeat(11) },
        { token: owner.accessToken },
      );
      expectProblem(short, 400, 'validation_failed');
      expect(problemFields(short)).toEqual(['password']);
      expect(short.body.errors?.[0].reason).toMatch(/at least 12 characters/);
      expectStatus(
        await api.post(
          '/api/users',
          { email, name: 'Twelve', role: 'agent', password: 'b'.repeat(12) },
          { token: owner.accessToken },
        ),
        201,
      );
      expectStatus(await attempt(email, 'b'.repeat(12)), 200);
    });

    it('changing your password to 11 characters → 400 naming newPassword; then a valid change works', async () => {
      const user = await createSignedInUser(api, owner.accessToken, Role.Viewer);
      const short = await api.post<Problem>(
        '/api/auth/password',
        { currentPassword: user.password, newPassword: 'c'.repeat(11) },
        { token: user.token },
      );
      expectProblem(short, 400, 'validation_failed');
      expect(problemFields(short)).toEqual(['newPassword']);
      expectStatus(await attempt(user.email, user.password), 200); // unchanged

      const wrongCurrent = await api.post<Problem>(
        '/api/auth/password',
        { currentPassword: 'not-my-password-1', newPassword: 'd'.repeat(12) },
        { token: user.token },
      );
      expectProblem(wrongCurrent, 400, 'validation_failed');
      expect(problemFields(wrongCurrent)).toEqual(['currentPassword']);

      const newPassword = 'e'.repeat(16);
      expectStatus(
        await api.post('/api/auth/password', { currentPassword: user.password, newPassword }, { token: user.token }),
        204,
      );
      expectStatus(await attempt(user.email, newPassword), 200);
      expectProblem(await attempt(user.email, user.password), 401, 'invalid_credentials');
    });
  });

  describe('MFA (TOTP)', () => {
    let mfaOwner: TestUser;
    let secret: string;
    let recoveryCodes: string[];

    /** Enrols `token`'s user: setup, then enable with a code. */
    async function enrol(token: string): Promise<{ secret: string; res: ApiResponse }> {
      const setup = await api.post('/api/auth/mfa/setup', undefined, { token });
      expectStatus(setup, 200);
      const res = await api.post('/api/auth/mfa/enable', { code: totpCode(setup.body.secret) }, { token });
      expectStatus(res, 200);
      return { secret: setup.body.secret, res };
    }

    beforeAll(async () => {
      mfaOwner = await createUser(api, owner.accessToken, Role.Owner);
    });

    it('an owner enrols: setup gives a secret, URI and QR code; enable with a code gives 10 recovery codes', async () => {
      const session = await signIn(api, mfaOwner.email, mfaOwner.password);
      expect(session.mfa).toBe('none');
      const setup = await api.post('/api/auth/mfa/setup', undefined, { token: session.accessToken });
      expectStatus(setup, 200);
      secret = setup.body.secret;
      expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
      expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      expect(setup.body.otpauthUri).toContain(`secret=${secret}`);
      expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

      const wrong = await api.post<Problem>(
        '/api/auth/mfa/enable',
        { code: wrongTotpCode(secret, 123456) },
        { token: session.accessToken },
      );
      expectProblem(wrong, 400, 'invalid_mfa_code');
      const me = await api.get('/api/auth/me', { token: session.accessToken });
      expect(me.body.mfaEnabled).toBe(false);

      const enabled = await api.post(
        '/api/auth/mfa/enable',
        { code: totpCode(secret) },
        { token: session.accessToken },
      );
      expectStatus(enabled, 200);
      recoveryCodes = enabled.body.recoveryCodes;
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect(enabled.body.session).toBeUndefined(); // the session was a full one already
      expect((await api.get('/api/auth/me', { token: session.accessToken })).body.mfaEnabled).toBe(true);
      expectProblem(
        await api.post('/api/auth/mfa/setup', undefined, { token: session.accessToken }),
        409,
        'mfa_already_enabled',
      );
    });

    it("sign-in then answers mfa 'verify' with a pending token: refused on /api/users, accepted on /api/auth/mfa/verify", async () => {
      const pending = await signIn(api, mfaOwner.email, mfaOwner.password);
      expect(pending.mfa).toBe('verify');
      expect(pending.refreshCookie).toBeUndefined();
      expectProblem(await api.get('/api/users', { token: pending.accessToken }), 403, 'forbidden');
      expectProblem(await api.get('/api/organization', { token: pending.accessToken }), 403, 'forbidden');
      expectStatus(await api.get('/api/auth/me', { token: pending.accessToken }), 200);

      const wrong = await api.post<Problem>(
        '/api/auth/mfa/verify',
        { code: wrongTotpCode(secret, 1) },
        { token: pending.accessToken },
      );
      expectProblem(wrong, 400, 'invalid_mfa_code');

      // The next period's code: the server allows one period of drift, and it was never used before.
      const verified = await api.post(
        '/api/auth/mfa/verify',
        { code: totpCode(secret, 30) },
        { token: pending.accessToken },
      );
      expectStatus(verified, 200);
      expect(verified.body.mfa).toBe('none');
      expect(refreshCookieOf(verified)?.value).toEqual(expect.any(String));
      expectStatus(await api.get('/api/users', { token: verified.body.accessToken }), 200);
      // The pending session was replaced by the full one.
      expectProblem(await api.get('/api/auth/me', { token: pending.accessToken }), 401, 'unauthorized');
    });

    it('a recovery code works once, and not twice', async () => {
      const first = await signIn(api, mfaOwner.email, mfaOwner.password);
      const used = await api.post('/api/auth/mfa/verify', { code: recoveryCodes[0] }, { token: first.accessToken });
      expectStatus(used, 200);
      expectStatus(await api.get('/api/users', { token: used.body.accessToken }), 200);

      const second = await signIn(api, mfaOwner.email, mfaOwner.password);
      const reused = await api.post<Problem>(
        '/api/auth/mfa/verify',
        { code: recoveryCodes[0] },
        { token: second.accessToken },
      );
      expectProblem(reused, 400, 'invalid_mfa_code');
      expectProblem(await api.get('/api/users', { token: second.accessToken }), 403, 'forbidden');
      expectStatus(
        await api.post('/api/auth/mfa/verify', { code: recoveryCodes[1] }, { token: second.accessToken }),
        200,
      );

      const audit = await api.get(`/api/audit?action=user.mfa_recovery_code_used&entityId=${mfaOwner.id}`, {
        token: owner.accessToken,
      });
      expect(audit.body.items).toHaveLength(2);
    });

    it('an authenticator code is accepted once only (RFC 6238 §5.2: no replay within its time window)', async () => {
      const user = await createSignedInUser(api, owner.accessToken, Role.Manager);
      const { secret: own } = await enrol(user.token);
      const code = totpCode(own, 30);
      const first = await signIn(api, user.email, user.password);
      expectStatus(await api.post('/api/auth/mfa/verify', { code }, { token: first.accessToken }), 200);

      // Someone who saw that code (shoulder, phishing proxy) replays it at once, with the password.
      const second = await signIn(api, user.email, user.password);
      const replay = await api.post('/api/auth/mfa/verify', { code }, { token: second.accessToken });
      expect(replay.body?.accessToken).toBeUndefined();
      expectProblem(replay, 400, 'invalid_mfa_code');
    });

    it('wrong authenticator codes are limited: after 100 failures a pending sign-in cannot go on guessing (NIST SP 800-63B §5.2.2)', async () => {
      const user = await createSignedInUser(api, owner.accessToken, Role.Agent);
      const { secret: own } = await enrol(user.token);
      const pending = await signIn(api, user.email, user.password);
      for (let i = 0; i < 100; i++) {
        const res = await api.post(
          '/api/auth/mfa/verify',
          { code: wrongTotpCode(own, i * 9973) },
          { token: pending.accessToken },
        );
        expect(res.status).not.toBe(200);
      }
      // The right code now: guessing must have been stopped before a million tries were possible.
      const right = await api.post('/api/auth/mfa/verify', { code: totpCode(own, 30) }, { token: pending.accessToken });
      expect(right.body?.accessToken).toBeUndefined();
      expect([401, 403, 429]).toContain(right.status);
    });

    it("when the organization requires MFA, an admin without it gets mfa 'setup' and can do nothing else until enrolled", async () => {
      const newAdmin = await createUser(api, owner.accessToken, Role.Admin);
      const manager = await createUser(api, owner.accessToken, Role.Manager);
      const required = await api.patch('/api/organization', { mfaRequired: true }, { token: owner.accessToken });
      expectStatus(required, 200);
      expect(required.body.mfaRequired).toBe(true);
      try {
        const pending = await signIn(api, newAdmin.email, newAdmin.password);
        expect(pending.mfa).toBe('setup');
        expect(pending.refreshCookie).toBeUndefined();
        expect(pending.res.body.user.organization.mfaRequired).toBe(true);
        expectProblem(await api.get('/api/users', { token: pending.accessToken }), 403, 'forbidden');
        expectProblem(await api.get('/api/audit', { token: pending.accessToken }), 403, 'forbidden');

        const { secret: own, res: enabled } = await enrol(pending.accessToken);
        expect(own).toEqual(expect.any(String));
        expect(enabled.body.recoveryCodes).toHaveLength(10);
        expect(enabled.body.session).toMatchObject({ mfa: 'none', accessToken: expect.any(String) });
        expect(refreshCookieOf(enabled)?.value).toEqual(expect.any(String));
        expectStatus(await api.get('/api/users', { token: enabled.body.session.accessToken }), 200);

        // The requirement is for owners and admins only.
        expect((await signIn(api, manager.email, manager.password)).mfa).toBe('none');
      } finally {
        expectStatus(await api.patch('/api/organization', { mfaRequired: false }, { token: owner.accessToken }), 200);
      }
    });
  });

  it('no answer leaked a password hash, the JWT secret or a one-time secret', () => {
    expect(api.responses.length).toBeGreaterThan(60); // runs last, over every answer above
    expect(api.leaks()).toEqual([]);
  });
});
