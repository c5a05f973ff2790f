import { randomUUID } from 'node:crypto';
import { PasswordService } from '../../src/modules/auth/password.service';
import {
  ApiClient,
  ApiResponse,
  createApiKey,
  createUser,
  decodeJwt,
  expectProblem,
  expectStatus,
  listAll,
  Problem,
  Role,
  Session,
  signIn,
  signJwt,
  strongPassword,
  TestUser,
  uniqueEmail,
} from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from '../support/test-app';

interface Snapshot {
  users: Record<string, unknown>[];
  keys: Record<string, unknown>[];
  audit: number;
}

/** Organization A is the bootstrapped one; organization B is written straight into the database. */
describe('tenant isolation', () => {
  let t: TestApp;
  let api: ApiClient;
  let ownerA: Session;
  let userA: TestUser;
  let keyA: { id: string; secret: string };
  let orgB: string;
  let ownerB: Session;
  let ownerBUser: { id: string; email: string };
  let agentB: TestUser;
  let deactivatedB: TestUser;
  let keyB: { id: string; secret: string };

  const snapshotB = async (): Promise<Snapshot> => ({
    users: await t.db.query('SELECT * FROM users WHERE organization_id = $1 ORDER BY id', [orgB]),
    keys: await t.db.query('SELECT * FROM api_keys WHERE organization_id = $1 ORDER BY id', [orgB]),
    audit: Number(
      (
        await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_events WHERE organization_id = $1', [
          orgB,
        ])
      )[0].n,
    ),
  });

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
    api = new ApiClient(t.baseUrl);
    ownerA = await signIn(api, OWNER_EMAIL, OWNER_PASSWORD);
    userA = await createUser(api, ownerA.accessToken, Role.Agent);
    keyA = await createApiKey(api, ownerA.accessToken, { scope: 'read-only' });

    const [org] = await t.db.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Org B') RETURNING id`);
    orgB = org.id;
    const password = strongPassword();
    const email = uniqueEmail('owner-b');
    const hash = await t.app.get(PasswordService).hash(password);
    const [row] = await t.db.query<{ id: string }>(
      `INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, 'Owner B', 'owner', $3) RETURNING id`,
      [orgB, email, hash],
    );
    ownerBUser = { id: row.id, email };
    ownerB = await signIn(api, email, password);
    agentB = await createUser(api, ownerB.accessToken, Role.Agent);
    deactivatedB = await createUser(api, ownerB.accessToken, Role.Viewer);
    expectStatus(
      await api.post(`/api/users/${deactivatedB.id}/deactivate`, undefined, { token: ownerB.accessToken }),
      200,
    );
    keyB = await createApiKey(api, ownerB.accessToken, { scope: 'custom', permissions: ['users:read'] });
  });

  afterAll(async () => {
    await t?.close();
  });

  /** The same answer as for a missing id: status, code, type, title, and the detail up to the id itself. */
  function expectLikeMissing(
    other: ApiResponse<Problem>,
    missing: ApiResponse<Problem>,
    otherId: string,
    missingId: string,
  ) {
    expectProblem(other, 404, 'not_found');
    expectProblem(missing, 404, 'not_found');
    const shape = (res: ApiResponse<Problem>, id: string) => ({
      status: res.status,
      contentType: res.contentType,
      keys: Object.keys(res.body).sort(),
      type: res.body.type,
      title: res.body.title,
      code: res.body.code,
      detail: res.body.detail.replaceAll(id, '<id>'),
    });
    expect(shape(other, otherId)).toEqual(shape(missing, missingId));
  }

  const idRoutes: [string, string, (id: string) => string, () => string, () => unknown][] = [
    ['GET', 'users/:id', (id) => `/api/users/${id}`, () => agentB.id, () => undefined],
    ['PATCH', 'users/:id (name)', (id) => `/api/users/${id}`, () => agentB.id, () => ({ name: 'Taken over' })],
    [
      'PATCH',
      'users/:id (role of the owner)',
      (id) => `/api/users/${id}`,
      () => ownerBUser.id,
      () => ({ role: 'viewer' }),
    ],
    ['POST', 'users/:id/deactivate', (id) => `/api/users/${id}/deactivate`, () => agentB.id, () => undefined],
    ['POST', 'users/:id/reactivate', (id) => `/api/users/${id}/reactivate`, () => deactivatedB.id, () => undefined],
    [
      'POST',
      'users/:id/reset-password',
      (id) => `/api/users/${id}/reset-password`,
      () => ownerBUser.id,
      () => undefined,
    ],
    ['POST', 'api-keys/:id/revoke', (id) => `/api/api-keys/${id}/revoke`, () => keyB.id, () => undefined],
  ];

  it.each(idRoutes)(
    "%s %s with organization B's id → 404, exactly like a missing id, and nothing changes",
    async (method, _name, path, otherId, body) => {
      const before = await snapshotB();
      const id = otherId();
      const missingId = randomUUID();
      const other = await api.request<Problem>(method, path(id), { token: ownerA.accessToken, body: body() });
      const missing = await api.request<Problem>(method, path(missingId), { token: ownerA.accessToken, body: body() });
      expectLikeMissing(other, missing, id, missingId);
      // The same through an API key of organization A.
      if (method === 'GET') {
        const viaKey = await api.request<Problem>(method, path(id), { apiKey: keyA.secret });
        expectProblem(viaKey, 404, 'not_found');
      }
      expect(await snapshotB()).toEqual(before);
    },
  );

  it("organization B's key and B's users still work: nothing above touched them", async () => {
    expectStatus(await api.get('/api/users', { apiKey: keyB.secret }), 200);
    const session = await signIn(api, agentB.email, agentB.password);
    expectStatus(await api.get('/api/auth/me', { token: session.accessToken }), 200);
  });

  it("A's lists never hold B's rows, and B's never hold A's", async () => {
    const bUserIds = [ownerBUser.id, agentB.id, deactivatedB.id];
    const usersA = await listAll(api, '/api/users', { token: ownerA.accessToken });
    expect(usersA.map((u) => u.id)).toEqual(expect.arrayContaining([ownerA.userId, userA.id]));
    expect(usersA.map((u) => u.id).filter((id) => bUserIds.includes(id))).toEqual([]);
    expect(usersA.map((u) => u.email)).not.toContain(ownerBUser.email);

    const keysA = await listAll(api, '/api/api-keys', { token: ownerA.accessToken });
    expect(keysA.map((k) => k.id)).toEqual([keyA.id]);

    const auditA = await listAll(api, '/api/audit', { token: ownerA.accessToken });
    expect(auditA.length).toBeGreaterThan(0);
    const mentionsB = auditA.filter(
      (e) =>
        [...bUserIds, keyB.id, orgB].includes(e.entityId ?? '') || [ownerBUser.id, keyB.id].includes(e.actorId ?? ''),
    );
    expect(mentionsB).toEqual([]);
    for (const query of [`actorId=${ownerBUser.id}`, `entityId=${agentB.id}`, `entityId=${keyB.id}`]) {
      expect(await listAll(api, `/api/audit?${query}`, { token: ownerA.accessToken })).toEqual([]);
    }

    const usersViaKeyB = await listAll(api, '/api/users', { apiKey: keyB.secret });
    expect(usersViaKeyB.map((u) => u.id).sort()).toEqual([...bUserIds].sort());
    const auditB = await listAll(api, '/api/audit', { token: ownerB.accessToken });
    expect(auditB.length).toBeGreaterThan(0);
    const aIds = [ownerA.userId, userA.id, keyA.id];
    expect(auditB.filter((e) => aIds.includes(e.entityId ?? '') || aIds.includes(e.actorId ?? ''))).toEqual([]);

    const orgOfA = await api.get('/api/organization', { token: ownerA.accessToken });
    expect(orgOfA.body.id).not.toBe(orgB);
  });

  it('PATCH /api/organization changes only your own organization', async () => {
    const res = await api.patch('/api/organization', { name: 'Renamed A' }, { token: ownerA.accessToken });
    expectStatus(res, 200);
    const [b] = await t.db.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [orgB]);
    expect(b.name).toBe('Org B');
  });

  it("a correctly signed token naming A's user in organization B is refused (401)", async () => {
    const claims = decodeJwt(ownerA.accessToken).payload;
    expectStatus(await api.get('/api/users', { token: signJwt(claims) }), 200);
    const res = await api.get('/api/users', { token: signJwt({ ...claims, org: orgB }) });
    expectProblem(res, 401, 'unauthorized');
  });

  it('no answer leaked a password hash, the JWT secret or a one-time secret', () => {
    expect(api.responses.length).toBeGreaterThan(30); // runs last, over every answer above
    expect(api.leaks()).toEqual([]);
  });
});
