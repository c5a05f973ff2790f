import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import {
  ApiClient,
  createSignedInUser,
  expectProblem,
  expectStatus,
  Role,
  Session,
  signIn,
} from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { eventually } from '../support/processes';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from '../support/test-app';

/**
 * Each API process reuses what it read about a caller for a while (here 60 s,
 * far longer than any wait below): a change made through one replica must
 * still reach the others at once, through Redis.
 */
describe('two API replicas: a change on one applies on the other at once', () => {
  let t: TestApp;
  let other: NestFastifyApplication;
  let a: ApiClient;
  let b: ApiClient;
  let owner: Session;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl(), AUTH_CACHE_SECONDS: '60' });
    other = await createApp(AppConfig.load({ ...configEnv(t.config), DB_MIGRATE_ON_START: 'false' }), {
      bufferLogs: true,
    });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const { port } = other.getHttpServer().address() as { port: number };
    a = new ApiClient(t.baseUrl);
    b = new ApiClient(`http://127.0.0.1:${port}`);
    owner = await signIn(a, OWNER_EMAIL, OWNER_PASSWORD);
  });

  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  /** Refused within a few seconds: the other replica's cache would keep it 60 s. */
  const refusedOnB = (path: string, token: string, status: number) =>
    eventually(async () => ((await b.get(path, { token })).status === status ? true : undefined), 5_000, 50);

  it('deactivating a user on A refuses their token on B', async () => {
    const user = await createSignedInUser(a, owner.accessToken, Role.Viewer);
    const onB = await signIn(b, user.email, user.password);
    expectStatus(await b.get('/api/auth/me', { token: onB.accessToken }), 200);
    expectStatus(await a.post(`/api/users/${user.id}/deactivate`, undefined, { token: owner.accessToken }), 200);
    await refusedOnB('/api/auth/me', onB.accessToken, 401);
    expectProblem(await b.get('/api/auth/me', { token: onB.accessToken }), 401, 'unauthorized');
  });

  it('signing out on A ends the access token on B', async () => {
    const user = await createSignedInUser(a, owner.accessToken, Role.Viewer);
    expectStatus(await b.get('/api/auth/me', { token: user.token }), 200);
    expectStatus(await a.post('/api/auth/logout', undefined, { refreshCookie: user.session.refreshCookie }), 204);
    await refusedOnB('/api/auth/me', user.token, 401);
  });

  it('lowering a role on A takes the permissions away on B', async () => {
    const user = await createSignedInUser(a, owner.accessToken, Role.Admin);
    expectStatus(await b.get('/api/audit', { token: user.token }), 200);
    expectStatus(await a.patch(`/api/users/${user.id}`, { role: 'viewer' }, { token: owner.accessToken }), 200);
    await refusedOnB('/api/audit', user.token, 403);
    const me = await b.get('/api/auth/me', { token: user.token });
    expect(me.body.role).toBe('viewer');
  });

  it('renaming the organization on A shows on B', async () => {
    expectStatus(await b.get('/api/auth/me', { token: owner.accessToken }), 200);
    expectStatus(await a.patch('/api/organization', { name: 'Renamed on A' }, { token: owner.accessToken }), 200);
    await eventually(
      async () => {
        const me = await b.get('/api/auth/me', { token: owner.accessToken });
        return me.body.organization.name === 'Renamed on A' ? true : undefined;
      },
      5_000,
      50,
    );
  });
});

/** The environment that gives `config` again (same database, Redis and secret). */
function configEnv(config: AppConfig): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl as string,
    REDIS_URL: config.redisUrl as string,
    DATA_DIR: config.dataDir,
    LOG_LEVEL: config.logLevel,
    SERVE_CONSOLE: 'false',
    DB_POOL_SIZE: '4',
    JWT_SECRET: config.auth.jwtSecret as string,
    AUTH_CACHE_SECONDS: String(config.auth.cacheTtlMs / 1000),
  };
}
