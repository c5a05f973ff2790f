import { randomBytes, randomUUID } from 'node:crypto';
import { Permission, READ_PERMISSIONS } from '../../src/modules/auth/permissions';
import {
  API_KEY_PATTERN,
  ApiClient,
  createApiKey,
  createSignedInUser,
  createUser,
  expectProblem,
  expectStatus,
  listAll,
  Problem,
  problemFields,
  Role,
  Row,
  Session,
  sha256Hex,
  signIn,
  TestUser,
  uniqueEmail,
} from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from '../support/test-app';

type SignedIn = TestUser & { token: string; session: Session };

describe('users, roles, API keys and the audit log', () => {
  let t: TestApp;
  let api: ApiClient;
  let owner: Session;
  let admin: SignedIn;
  let manager: SignedIn;
  let viewer: SignedIn;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
    api = new ApiClient(t.baseUrl);
    owner = await signIn(api, OWNER_EMAIL, OWNER_PASSWORD);
    admin = await createSignedInUser(api, owner.accessToken, Role.Admin);
    manager = await createSignedInUser(api, owner.accessToken, Role.Manager);
    viewer = await createSignedInUser(api, owner.accessToken, Role.Viewer);
  });

  afterAll(async () => {
    await t?.close();
  });

  const userRow = async (id: string) => (await t.db.query('SELECT * FROM users WHERE id = $1', [id]))[0];
  const count = async (table: string) =>
    Number((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0].n);
  const activeOwners = async () =>
    (
      await t.db.query<{ id: string }>(
        `SELECT id FROM users WHERE organization_id = $1 AND role = 'owner' AND status = 'active'`,
        [owner.res.body.user.organization.id],
      )
    ).map((r) => r.id);

  /** Runs first: until the role tests below, the bootstrapped owner is the only owner. */
  describe('the last owner', () => {
    it('cannot demote themselves (409 last_owner) nor deactivate themselves (403), and stays owner', async () => {
      expect(await activeOwners()).toEqual([owner.userId]);
      const demote = await api.patch(`/api/users/${owner.userId}`, { role: 'admin' }, { token: owner.accessToken });
      expectProblem(demote, 409, 'last_owner');
      const deactivate = await api.post(`/api/users/${owner.userId}/deactivate`, undefined, {
        token: owner.accessToken,
      });
      expectProblem(deactivate, 403, 'forbidden');
      expect(await userRow(owner.userId)).toMatchObject({ role: 'owner', status: 'active' });
    });

    it("cannot be demoted or deactivated through the owner's own API key either (409 last_owner)", async () => {
      const key = await createApiKey(api, owner.accessToken, {
        scope: 'custom',
        permissions: [Permission.UsersManage, Permission.UsersRead],
      });
      const demote = await api.patch(`/api/users/${owner.userId}`, { role: 'viewer' }, { apiKey: key.secret });
      expectProblem(demote, 409, 'last_owner');
      const deactivate = await api.post(`/api/users/${owner.userId}/deactivate`, undefined, { apiKey: key.secret });
      expectProblem(deactivate, 409, 'last_owner');
      expect(await userRow(owner.userId)).toMatchObject({ role: 'owner', status: 'active' });
      expectStatus(await api.post(`/api/api-keys/${key.id}/revoke`, undefined, { token: owner.accessToken }), 200);
    });

    it('with a second owner, one may step down; then the other is the last one', async () => {
      const second = await createSignedInUser(api, owner.accessToken, Role.Owner);
      const stepDown = await api.patch(`/api/users/${second.id}`, { role: 'admin' }, { token: second.token });
      expectStatus(stepDown, 200);
      expect(stepDown.body.role).toBe('admin');
      expect(await activeOwners()).toEqual([owner.userId]);
      expectProblem(
        await api.patch(`/api/users/${owner.userId}`, { role: 'admin' }, { token: owner.accessToken }),
        409,
        'last_owner',
      );
    });

    it('two owners demoting each other at the same moment: exactly one wins, the other gets 409 last_owner', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 12; round++) {
        const other = await createSignedInUser(api, owner.accessToken, Role.Owner);
        const [a, b] = await Promise.all([
          api.patch(`/api/users/${other.id}`, { role: 'admin' }, { token: owner.accessToken }),
          api.patch(`/api/users/${owner.userId}`, { role: 'admin' }, { token: other.token }),
        ]);
        outcomes.push(
          [a, b]
            .map((r) => `${r.status} ${r.body?.code ?? r.body?.role}`)
            .sort()
            .join(' + '),
        );
        // Never no owner, whatever the answers were.
        expect(await activeOwners()).toHaveLength(1);
        // Put the bootstrapped owner back, alone, for the next round and the tests below.
        const [remaining] = await activeOwners();
        if (remaining !== owner.userId) {
          const session = await signIn(api, other.email, other.password);
          expectStatus(
            await api.patch(`/api/users/${owner.userId}`, { role: 'owner' }, { token: session.accessToken }),
            200,
          );
          expectStatus(await api.patch(`/api/users/${other.id}`, { role: 'admin' }, { token: owner.accessToken }), 200);
        }
        expect(await activeOwners()).toEqual([owner.userId]);
      }
      // A lost race is a 409 the client can act on, never a 500 (e.g. a deadlock between the two).
      expect(outcomes).toEqual(outcomes.map(() => '200 admin + 409 last_owner'));
    });
  });

  describe('mass assignment', () => {
    it('POST /api/users with organizationId, id, status, passwordHash → 400 naming each, and no user is created', async () => {
      const email = uniqueEmail('mass');
      const usersBefore = await count('users');
      const res = await api.post<Problem>(
        '/api/users',
        {
          email,
          name: 'Mass',
          role: 'agent',
          password: 'a-fine-password-1',
          organizationId: randomUUID(),
          id: randomUUID(),
          status: 'active',
          passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
          mfaEnabled: true,
        },
        { token: owner.accessToken },
      );
      expectProblem(res, 400, 'validation_failed');
      expect(problemFields(res)).toEqual(['id', 'mfaEnabled', 'organizationId', 'passwordHash', 'status']);
      for (const e of res.body.errors ?? []) expect(e.reason).toBe('is not an accepted field');
      expect(await count('users')).toBe(usersBefore);
      expect(await t.db.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    });

    it('PATCH /api/users/:id with fields that are not name or role → 400 naming each, and nothing changes', async () => {
      const target = await createUser(api, owner.accessToken, Role.Agent);
      const before = await userRow(target.id);
      const res = await api.patch<Problem>(
        `/api/users/${target.id}`,
        {
          name: 'Changed',
          organizationId: randomUUID(),
          id: randomUUID(),
          status: 'deactivated',
          passwordHash: 'x',
          email: uniqueEmail('stolen'),
          mustChangePassword: false,
          failedLogins: 0,
        },
        { token: owner.accessToken },
      );
      expectProblem(res, 400, 'validation_failed');
      expect(problemFields(res)).toEqual([
        'email',
        'failedLogins',
        'id',
        'mustChangePassword',
        'organizationId',
        'passwordHash',
        'status',
      ]);
      expect(await userRow(target.id)).toEqual(before);
    });

    it('role where it is not a field (organization, API key, own password) → 400 naming it, and nothing changes', async () => {
      const orgBefore = await t.db.query('SELECT * FROM organizations');
      const org = await api.patch<Problem>(
        '/api/organization',
        { name: 'Hijack', role: 'owner', id: randomUUID(), organizationId: randomUUID() },
        { token: owner.accessToken },
      );
      expectProblem(org, 400, 'validation_failed');
      expect(problemFields(org)).toEqual(['id', 'organizationId', 'role']);
      expect(await t.db.query('SELECT * FROM organizations')).toEqual(orgBefore);

      const keysBefore = await count('api_keys');
      const key = await api.post<Problem>(
        '/api/api-keys',
        {
          name: 'k',
          scope: 'read-only',
          role: 'owner',
          organizationId: randomUUID(),
          createdBy: randomUUID(),
          keyHash: 'x',
          prefix: 'mk_00000000',
        },
        { token: owner.accessToken },
      );
      expectProblem(key, 400, 'validation_failed');
      expect(problemFields(key)).toEqual(['createdBy', 'keyHash', 'organizationId', 'prefix', 'role']);
      expect(await count('api_keys')).toBe(keysBefore);

      const before = await userRow(viewer.id);
      const password = await api.post<Problem>(
        '/api/auth/password',
        { currentPassword: viewer.password, newPassword: 'a-new-password-1', role: 'owner' },
        { token: viewer.token },
      );
      expectProblem(password, 400, 'validation_failed');
      expect(problemFields(password)).toEqual(['role']);
      expect(await userRow(viewer.id)).toEqual(before);
    });
  });

  describe('who may give which role', () => {
    it('a manager cannot create users at all (403 users:manage)', async () => {
      for (const role of ['viewer', 'admin', 'owner']) {
        const res = await api.post<Problem>(
          '/api/users',
          { email: uniqueEmail('by-manager'), name: 'X', role },
          { token: manager.token },
        );
        expectProblem(res, 403, 'forbidden');
        expect(res.body.detail).toContain(Permission.UsersManage);
      }
    });

    it('an admin may give the admin role but not the owner role (403), nor touch an owner', async () => {
      const ownerAttempt = await api.post<Problem>(
        '/api/users',
        { email: uniqueEmail('by-admin'), name: 'X', role: 'owner' },
        { token: admin.token },
      );
      expectProblem(ownerAttempt, 403, 'forbidden');
      const adminMade = await api.post(
        '/api/users',
        { email: uniqueEmail('by-admin'), name: 'Y', role: 'admin' },
        { token: admin.token },
      );
      expectStatus(adminMade, 201);
      expect(adminMade.body.user.role).toBe('admin');
      expect(adminMade.body.temporaryPassword).toEqual(expect.any(String));

      const agent = await createUser(api, owner.accessToken, Role.Agent);
      expectProblem(
        await api.patch(`/api/users/${agent.id}`, { role: 'owner' }, { token: admin.token }),
        403,
        'forbidden',
      );
      expectProblem(
        await api.patch(`/api/users/${admin.id}`, { role: 'owner' }, { token: admin.token }),
        403,
        'forbidden',
      );
      expectProblem(
        await api.patch(`/api/users/${owner.userId}`, { role: 'admin' }, { token: admin.token }),
        403,
        'forbidden',
      );
      expectProblem(
        await api.post(`/api/users/${owner.userId}/deactivate`, undefined, { token: admin.token }),
        403,
        'forbidden',
      );
      expectProblem(
        await api.post(`/api/users/${owner.userId}/reset-password`, undefined, { token: admin.token }),
        403,
        'forbidden',
      );
      expect(await userRow(agent.id)).toMatchObject({ role: 'agent' });
      expect(await userRow(owner.userId)).toMatchObject({ role: 'owner', status: 'active' });
      expect(await userRow(admin.id)).toMatchObject({ role: 'admin' });
    });

    it('an owner may give the owner role', async () => {
      const res = await api.post(
        '/api/users',
        { email: uniqueEmail('co-owner'), name: 'Co-owner', role: 'owner', password: 'a-fine-password-2' },
        { token: owner.accessToken },
      );
      expectStatus(res, 201);
      expect(res.body.user.role).toBe('owner');
      expect(res.body.temporaryPassword).toBeUndefined();
    });
  });

  describe('deactivation', () => {
    it("stops the user's access token and API keys at once; reactivation restores the keys", async () => {
      const user = await createSignedInUser(api, owner.accessToken, Role.Admin);
      const key = await createApiKey(api, user.token, { scope: 'read-only' });
      expectStatus(await api.get('/api/users', { token: user.token }), 200);
      expectStatus(await api.get('/api/users', { token: key.secret }), 200);
      expectStatus(await api.get('/api/users', { apiKey: key.secret }), 200);

      const off = await api.post(`/api/users/${user.id}/deactivate`, undefined, { token: owner.accessToken });
      expectStatus(off, 200);
      expect(off.body.status).toBe('deactivated');
      expectProblem(await api.get('/api/users', { token: user.token }), 401, 'unauthorized');
      expectProblem(await api.get('/api/users', { token: key.secret }), 401, 'unauthorized');
      expectProblem(await api.get('/api/users', { apiKey: key.secret }), 401, 'unauthorized');
      const login = await api.post('/api/auth/login', { email: user.email, password: user.password });
      expectProblem(login, 401, 'invalid_credentials');

      const on = await api.post(`/api/users/${user.id}/reactivate`, undefined, { token: owner.accessToken });
      expectStatus(on, 200);
      expect(on.body.status).toBe('active');
      expectStatus(await api.get('/api/users', { token: key.secret }), 200);
      expectStatus(await api.get('/api/users', { apiKey: key.secret }), 200);
    });
  });

  describe('API keys', () => {
    it('create shows the key once (mk_...); lists show its prefix, never the key or its hash', async () => {
      const res = await api.post(
        '/api/api-keys',
        { name: 'Warehouse export', scope: 'read-only' },
        {
          token: owner.accessToken,
        },
      );
      expectStatus(res, 201);
      const secret: string = res.body.secret;
      expect(secret).toMatch(new RegExp(`^${API_KEY_PATTERN.source}$`));
      expect(res.body.key.prefix).toBe(secret.slice(0, 11));
      expect([...res.body.key.permissions].sort()).toEqual([...READ_PERMISSIONS].sort());
      expect(Object.keys(res.body.key).sort()).toEqual(
        [
          'createdAt',
          'createdBy',
          'expiresAt',
          'id',
          'lastUsedAt',
          'name',
          'permissions',
          'prefix',
          'revokedAt',
        ].sort(),
      );

      const list = await api.get<{ items: Row[] }>('/api/api-keys?limit=200', { token: owner.accessToken });
      expectStatus(list, 200);
      const listed = list.body.items.find((k) => k.id === res.body.key.id);
      expect(listed).toMatchObject({ prefix: secret.slice(0, 11), name: 'Warehouse export' });
      expect(listed?.secret).toBeUndefined();
      expect(listed?.keyHash).toBeUndefined();
      expect(list.text).not.toContain(secret);
      expect(list.text).not.toContain(sha256Hex(secret));
      const [row] = await t.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [
        res.body.key.id,
      ]);
      expect(row.key_hash).toBe(sha256Hex(secret)); // stored hashed, never in clear
    });

    it('works as `Authorization: Bearer mk_...` and as `X-API-Key`; read-only gets 403 on writes', async () => {
      const key = await createApiKey(api, owner.accessToken, { scope: 'read-only' });
      for (const auth of [{ token: key.secret }, { apiKey: key.secret }]) {
        expectStatus(await api.get('/api/users?limit=5', auth), 200);
        expectStatus(await api.get('/api/audit?limit=5', auth), 200);
        const me = await api.get('/api/auth/me', auth);
        expect(me.body).toMatchObject({ via: 'api-key', id: key.id });
        const write = await api.post<Problem>(
          '/api/users',
          { email: uniqueEmail('by-key'), name: 'K', role: 'viewer' },
          auth,
        );
        expectProblem(write, 403, 'forbidden');
        expect(write.body.detail).toContain(Permission.UsersManage);
        expectProblem(await api.patch('/api/organization', { name: 'By key' }, auth), 403, 'forbidden');
        expectProblem(await api.get('/api/api-keys', auth), 403, 'forbidden');
      }
    });

    it('a revoked key → 401 at once, in both headers', async () => {
      const key = await createApiKey(api, owner.accessToken, { scope: 'read-only' });
      expectStatus(await api.get('/api/users', { apiKey: key.secret }), 200);
      const revoked = await api.post(`/api/api-keys/${key.id}/revoke`, undefined, { token: owner.accessToken });
      expectStatus(revoked, 200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expectProblem(await api.get('/api/users', { apiKey: key.secret }), 401, 'unauthorized');
      expectProblem(await api.get('/api/users', { token: key.secret }), 401, 'unauthorized');
    });

    it('an expired key → 401; a key whose secret part is wrong → 401', async () => {
      const key = await createApiKey(api, owner.accessToken, {
        scope: 'read-only',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expectStatus(await api.get('/api/users', { apiKey: key.secret }), 200);
      const tampered = `${key.secret.slice(0, -1)}${key.secret.endsWith('A') ? 'B' : 'A'}`;
      expectProblem(await api.get('/api/users', { apiKey: tampered }), 401, 'unauthorized');
      await t.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.id]);
      expectProblem(await api.get('/api/users', { apiKey: key.secret }), 401, 'unauthorized');
      const past = await api.post<Problem>(
        '/api/api-keys',
        { name: 'past', scope: 'read-only', expiresAt: '2000-01-01T00:00:00Z' },
        { token: owner.accessToken },
      );
      expectProblem(past, 400, 'validation_failed');
      expect(problemFields(past)).toEqual(['expiresAt']);
    });

    it("a key's permissions never exceed its creator's, even after the creator's role is lowered", async () => {
      const creator = await createSignedInUser(api, owner.accessToken, Role.Admin);
      const key = await createApiKey(api, creator.token, {
        scope: 'custom',
        permissions: [Permission.UsersRead, Permission.UsersManage, Permission.ApiKeysManage, Permission.AuditRead],
      });
      expect(key.permissions.sort()).toEqual(
        [Permission.ApiKeysManage, Permission.AuditRead, Permission.UsersManage, Permission.UsersRead].sort(),
      );
      expectStatus(await api.get('/api/api-keys', { apiKey: key.secret }), 200);
      expectStatus(await api.get('/api/audit', { apiKey: key.secret }), 200);

      expectStatus(await api.patch(`/api/users/${creator.id}`, { role: 'manager' }, { token: owner.accessToken }), 200);
      expectStatus(await api.get('/api/users', { apiKey: key.secret }), 200);
      expectProblem(await api.get('/api/api-keys', { apiKey: key.secret }), 403, 'forbidden');
      expectProblem(await api.get('/api/audit', { apiKey: key.secret }), 403, 'forbidden');
      const write = await api.post(
        '/api/users',
        { email: uniqueEmail('x'), name: 'X', role: 'viewer' },
        {
          apiKey: key.secret,
        },
      );
      expectProblem(write, 403, 'forbidden');
      const me = await api.get('/api/auth/me', { apiKey: key.secret });
      expect(me.body.permissions).toEqual([Permission.UsersRead]);

      expectStatus(await api.patch(`/api/users/${creator.id}`, { role: 'viewer' }, { token: owner.accessToken }), 200);
      expectProblem(await api.get('/api/users', { apiKey: key.secret }), 403, 'forbidden');
    });

    it('a custom key with an unknown permission → 400 naming permissions', async () => {
      const res = await api.post<Problem>(
        '/api/api-keys',
        { name: 'bad', scope: 'custom', permissions: ['users:read', 'root:everything'] },
        { token: owner.accessToken },
      );
      expectProblem(res, 400, 'validation_failed');
      expect(problemFields(res).every((f) => f.startsWith('permissions'))).toBe(true);
      expect(problemFields(res).length).toBeGreaterThan(0);
    });

    it('a key made with an API key works (or making it is refused): never a key that exists but cannot be used', async () => {
      const maker = await createApiKey(api, owner.accessToken, {
        scope: 'custom',
        permissions: [Permission.ApiKeysManage, Permission.UsersRead],
      });
      const made = await api.post(
        '/api/api-keys',
        { name: 'made by a key', scope: 'read-only' },
        {
          apiKey: maker.secret,
        },
      );
      if (made.status === 201) {
        expectStatus(await api.get('/api/users', { apiKey: made.body.secret }), 200);
      } else {
        expectProblem(made, 403, 'forbidden');
      }
    });
  });

  describe('audit log', () => {
    const requestId = (what: string) => `e2e-${what}-${randomBytes(4).toString('hex')}`;
    const withId = (id: string) => ({ headers: { 'x-request-id': id } });

    it('records every change with actor, action, entity, ip and request id', async () => {
      const ids = {
        created: requestId('user-created'),
        updated: requestId('user-updated'),
        deactivated: requestId('user-deactivated'),
        reactivated: requestId('user-reactivated'),
        reset: requestId('password-reset'),
        keyCreated: requestId('key-created'),
        keyRevoked: requestId('key-revoked'),
        org: requestId('org-updated'),
        byKey: requestId('by-key'),
        refused: requestId('refused'),
        invalid: requestId('invalid'),
      };
      const token = owner.accessToken;
      const created = await api.post(
        '/api/users',
        { email: uniqueEmail('audited'), name: 'Audited', role: 'agent' },
        { token, ...withId(ids.created) },
      );
      expectStatus(created, 201);
      const userId: string = created.body.user.id;
      expect(created.requestId).toBe(ids.created);
      expectStatus(
        await api.patch(`/api/users/${userId}`, { name: 'Renamed', role: 'viewer' }, { token, ...withId(ids.updated) }),
        200,
      );
      expectStatus(
        await api.post(`/api/users/${userId}/deactivate`, undefined, { token, ...withId(ids.deactivated) }),
        200,
      );
      expectStatus(
        await api.post(`/api/users/${userId}/reactivate`, undefined, { token, ...withId(ids.reactivated) }),
        200,
      );
      expectStatus(
        await api.post(`/api/users/${userId}/reset-password`, undefined, { token, ...withId(ids.reset) }),
        200,
      );
      const key = await api.post(
        '/api/api-keys',
        { name: 'audited key', scope: 'custom', permissions: [Permission.UsersManage] },
        { token, ...withId(ids.keyCreated) },
      );
      expectStatus(key, 201);
      expectStatus(
        await api.patch(
          `/api/users/${userId}`,
          { name: 'Renamed by key' },
          { apiKey: key.body.secret, ...withId(ids.byKey) },
        ),
        200,
      );
      expectStatus(
        await api.post(`/api/api-keys/${key.body.key.id}/revoke`, undefined, { token, ...withId(ids.keyRevoked) }),
        200,
      );
      const orgId: string = owner.res.body.user.organization.id;
      expectStatus(
        await api.patch(
          '/api/organization',
          { name: 'Audited org', mfaRequired: false },
          { token, ...withId(ids.org) },
        ),
        200,
      );
      expectProblem(
        await api.patch(`/api/users/${userId}`, { name: 'No' }, { token: viewer.token, ...withId(ids.refused) }),
        403,
      );
      expectProblem(await api.patch(`/api/users/${userId}`, { name: '' }, { token, ...withId(ids.invalid) }), 400);

      const events = await listAll(api, '/api/audit', { token });
      const byRequest = (id: string) => events.filter((e) => e.requestId === id);
      const asOwner = { actorType: 'user', actorId: owner.userId, actorLabel: OWNER_EMAIL, ip: api.ip };
      const expected: [string, Record<string, unknown>][] = [
        [
          ids.created,
          {
            action: 'user.created',
            entityType: 'user',
            entityId: userId,
            changes: expect.objectContaining({ role: 'agent' }),
          },
        ],
        [
          ids.updated,
          {
            action: 'user.updated',
            entityType: 'user',
            entityId: userId,
            changes: { name: { from: 'Audited', to: 'Renamed' }, role: { from: 'agent', to: 'viewer' } },
          },
        ],
        [ids.deactivated, { action: 'user.deactivated', entityType: 'user', entityId: userId }],
        [ids.reactivated, { action: 'user.reactivated', entityType: 'user', entityId: userId }],
        [ids.reset, { action: 'user.password_reset', entityType: 'user', entityId: userId }],
        [ids.keyCreated, { action: 'api_key.created', entityType: 'api_key', entityId: key.body.key.id }],
        [ids.keyRevoked, { action: 'api_key.revoked', entityType: 'api_key', entityId: key.body.key.id }],
        [ids.org, { action: 'organization.updated', entityType: 'organization', entityId: orgId }],
      ];
      for (const [id, fields] of expected) {
        const found = byRequest(id);
        expect(found).toEqual([expect.objectContaining({ ...asOwner, ...fields, requestId: id })]);
        expect(new Date(String(found[0].createdAt)).toISOString()).toBe(found[0].createdAt);
      }
      expect(byRequest(ids.byKey)).toEqual([
        expect.objectContaining({
          actorType: 'api-key',
          actorId: key.body.key.id,
          actorLabel: expect.stringContaining(key.body.key.prefix),
          action: 'user.updated',
          entityId: userId,
          ip: api.ip,
          requestId: ids.byKey,
        }),
      ]);
      // Refused or invalid requests change nothing, so they record nothing.
      expect(byRequest(ids.refused)).toEqual([]);
      expect(byRequest(ids.invalid)).toEqual([]);
      // Filters.
      const onlyCreated = await listAll(api, `/api/audit?action=user.created&entityId=${userId}`, { token });
      expect(onlyCreated.map((e) => e.requestId)).toEqual([ids.created]);
    });

    it('keyset pagination returns every event exactly once, newest first, whatever the page size', async () => {
      const orgId: string = owner.res.body.user.organization.id;
      const expected = (
        await t.db.query<{ id: string }>(
          'SELECT id FROM audit_events WHERE organization_id = $1 ORDER BY created_at DESC, id DESC',
          [orgId],
        )
      ).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(20);
      for (const limit of [1, 2, 3, 7, 200]) {
        const ids = (await listAll(api, '/api/audit', { token: owner.accessToken, limit })).map((e) => e.id);
        expect({ limit, ids }).toEqual({ limit, ids: expected });
      }
    });

    it('keyset pagination keeps events that share a millisecond (one transaction, or a busy second)', async () => {
      const orgId: string = owner.res.body.user.organization.id;
      // Several events of one transaction share now(); others land within the same millisecond.
      const times = [
        '2001-02-03T04:05:06.123456Z',
        '2001-02-03T04:05:06.123456Z',
        '2001-02-03T04:05:06.123456Z',
        '2001-02-03T04:05:06.123789Z',
        '2001-02-03T04:05:06.123100Z',
        '2001-02-03T04:05:06.123000Z',
        '2001-02-03T04:05:06.122999Z',
      ];
      for (const at of times) {
        await t.db.query(
          `INSERT INTO audit_events (organization_id, actor_type, actor_id, actor_label, action, entity_type, entity_id, created_at)
           VALUES ($1, 'system', NULL, 'e2e', 'import.row_recorded', 'pagination_probe', $2, $3)`,
          [orgId, randomUUID(), at],
        );
      }
      const expected = (
        await t.db.query<{ id: string }>(
          `SELECT id FROM audit_events WHERE organization_id = $1 AND entity_type = 'pagination_probe' ORDER BY created_at DESC, id DESC`,
          [orgId],
        )
      ).map((r) => r.id);
      expect(expected).toHaveLength(times.length);
      for (const limit of [1, 2, 3]) {
        const ids = (
          await listAll(api, '/api/audit?entityType=pagination_probe', { token: owner.accessToken, limit })
        ).map((e) => e.id);
        expect({ limit, ids }).toEqual({ limit, ids: expected });
      }
    });

    const idsInOrder = async (table: string, order: 'ASC' | 'DESC') =>
      (
        await t.db.query<{ id: string }>(
          `SELECT id FROM ${table} WHERE organization_id = $1 ORDER BY created_at ${order}, id ${order}`,
          [owner.res.body.user.organization.id],
        )
      ).map((r) => r.id);

    it('keyset pagination of users (oldest first) returns each user exactly once', async () => {
      const expected = await idsInOrder('users', 'ASC');
      expect(expected.length).toBeGreaterThan(5);
      for (const limit of [2, 3]) {
        const ids = (await listAll(api, '/api/users', { token: owner.accessToken, limit })).map((u) => u.id);
        expect({ limit, ids }).toEqual({ limit, ids: expected });
      }
    });

    it('keyset pagination of API keys (newest first) returns each key exactly once', async () => {
      const expected = await idsInOrder('api_keys', 'DESC');
      expect(expected.length).toBeGreaterThan(5);
      for (const limit of [2, 3]) {
        const ids = (await listAll(api, '/api/api-keys', { token: owner.accessToken, limit })).map((k) => k.id);
        expect({ limit, ids }).toEqual({ limit, ids: expected });
      }
    });

    it('viewers, agents and managers get 403 on /api/audit', async () => {
      const agent = await createSignedInUser(api, owner.accessToken, Role.Agent);
      for (const token of [viewer.token, agent.token, manager.token]) {
        const res = await api.get<Problem>('/api/audit', { token });
        expectProblem(res, 403, 'forbidden');
        expect(res.body.detail).toContain(Permission.AuditRead);
      }
    });
  });

  describe('secrets', () => {
    it('the leak check itself notices a key shown a second time', async () => {
      const probe = new ApiClient(t.baseUrl);
      const key = await createApiKey(probe, owner.accessToken, { scope: 'read-only' });
      expect(probe.leaks()).toEqual([]);
      probe.responses.push({ ...probe.responses[0], text: `{"oops":"${key.secret}"}` });
      expect(probe.leaks()).toEqual([expect.stringMatching(/^#1 POST \/api\/api-keys \(201\): an API key$/)]);
      probe.responses.push({ ...probe.responses[0], text: '{"hash":"$argon2id$v=19$..."}' });
      expect(probe.leaks()).toContainEqual(expect.stringContaining('a password hash'));
    });

    it('no answer leaked a password hash, the JWT secret or a one-time secret', () => {
      expect(api.responses.length).toBeGreaterThan(100); // runs last, over every answer above
      expect(api.leaks()).toEqual([]);
    });
  });
});
