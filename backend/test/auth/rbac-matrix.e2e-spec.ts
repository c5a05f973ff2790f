import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { IS_PUBLIC, REQUIRED_PERMISSIONS } from '../../src/modules/auth/decorators';
import { hasPermissions, Permission, ROLE_PERMISSIONS, ROLES } from '../../src/modules/auth/permissions';
import { ApiClient, createSignedInUser, expectProblem, PROBLEM_JSON, Role, signIn } from '../support/auth-helpers';
import { testRedisUrl } from '../support/env';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestApp, TestApp } from '../support/test-app';

interface RouteInfo {
  method: string;
  path: string;
  key: string;
  isPublic: boolean;
  required: Permission[];
}

/**
 * Reviewed lists: a new public route, or a new route that any signed-in user
 * may call, must be added here on purpose. Every other route must declare
 * @RequirePermissions.
 */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /health/ready',
  'GET /metrics',
  // Meta calls these: the verify token (GET) and the X-Hub-Signature-256 HMAC (POST) authenticate it.
  'GET /api/webhooks/whatsapp',
  'POST /api/webhooks/whatsapp',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/refresh',
  // Links in campaign emails: the signed recipient token (HMAC) is the credential.
  'GET /t/o/:token',
  'GET /t/c/:token',
  'GET /u/:token',
  'POST /u/:token',
  // The website widget: its public key names the organization, each call checks the page's
  // Origin against the allowed sites, and answers only what the widget shows (widget.e2e-spec).
  'GET /widget/v1/:file',
  'OPTIONS /api/public/widget/:key/config',
  'OPTIONS /api/public/widget/:key/conversations',
  'OPTIONS /api/public/widget/:key/messages',
  'GET /api/public/widget/:key/config',
  'POST /api/public/widget/:key/conversations',
  'GET /api/public/widget/:key/messages',
  'POST /api/public/widget/:key/messages',
  // The visitor's live replies: the same key, Origin and visitor-token checks, plus open-stream limits
  // per visitor, address and key (widget-stream.e2e-spec).
  'OPTIONS /api/public/widget/:key/stream',
  'GET /api/public/widget/:key/stream',
];
const ANY_SIGNED_IN_ROUTES = [
  'GET /api/auth/me',
  // Tasks and files check the permission of each task's kind / file's purpose (task-kinds.ts).
  'GET /api/files/:id',
  'GET /api/organization',
  'GET /api/system/connectivity',
  'GET /api/tasks',
  'GET /api/tasks/:id',
  'POST /api/auth/mfa/disable',
  'POST /api/auth/mfa/enable',
  'POST /api/auth/mfa/setup',
  'POST /api/auth/mfa/verify',
  'POST /api/auth/password',
  'POST /api/system/connectivity',
  'POST /api/tasks/:id/cancel',
];

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/** Every HTTP route of the running app, from the controllers' metadata. */
function discoverRoutes(app: NestFastifyApplication): RouteInfo[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { metatype, instance } = wrapper;
    if (!metatype || !instance) continue;
    const controllerPaths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, metatype) ?? '/');
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const handlerPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (handlerPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const targets = [handler, metatype];
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true;
      const required = reflector.getAllAndOverride<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
      for (const base of controllerPaths) {
        for (const sub of ([] as string[]).concat(handlerPath)) {
          const path = joinPath(base, sub);
          routes.push({ method, path, key: `${method} ${path}`, isPublic, required });
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** The route's path with every :param replaced by a random UUID. */
const concretePath = (path: string) => path.replace(/:[A-Za-z]\w*/g, () => randomUUID());

describe('RBAC matrix (generated from the route metadata)', () => {
  let t: TestApp;
  let api: ApiClient;
  let routes: RouteInfo[];
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: testRedisUrl() });
    api = new ApiClient(t.baseUrl);
    routes = discoverRoutes(t.app);
    tokens[Role.Owner] = (await signIn(api, OWNER_EMAIL, OWNER_PASSWORD)).accessToken;
    for (const role of ROLES.filter((r) => r !== Role.Owner)) {
      tokens[role] = (await createSignedInUser(api, tokens[Role.Owner], role)).token;
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const protectedRoutes = () => routes.filter((r) => !r.isPublic);

  it('finds every route the app serves, as Fastify and the OpenAPI document know them', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(PUBLIC_ROUTES.length + ANY_SIGNED_IN_ROUTES.length + 10);
    expect(new Set(routes.map((r) => r.key)).size).toBe(routes.length);
    const fastify = t.app.getHttpAdapter().getInstance();
    const unknownToFastify = routes.filter((r) => !fastify.hasRoute({ method: r.method, url: r.path }));
    expect(unknownToFastify.map((r) => r.key)).toEqual([]);

    const doc = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json');
    expect(doc.status).toBe(200);
    const documented = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const known = new Set(routes.map((r) => r.key));
    expect(documented.filter((k) => !known.has(k))).toEqual([]);
  });

  it('every route is either a reviewed @Public() route or guarded, with its permissions declared', () => {
    expect(routes.filter((r) => r.isPublic).map((r) => r.key)).toEqual([...PUBLIC_ROUTES].sort());
    const withoutPermissions = protectedRoutes()
      .filter((r) => r.required.length === 0)
      .map((r) => r.key);
    expect(withoutPermissions).toEqual([...ANY_SIGNED_IN_ROUTES].sort());
    const allPermissions = Object.values(Permission) as string[];
    for (const route of protectedRoutes()) {
      for (const permission of route.required) expect(allPermissions).toContain(permission);
    }
  });

  it('every non-public route answers 401 problem+json without a token, or with a token that is not one', async () => {
    const failures: string[] = [];
    for (const route of protectedRoutes()) {
      for (const token of [undefined, 'not-a-token']) {
        const body = route.method === 'GET' ? undefined : {};
        const res = await api.request(route.method, concretePath(route.path), { token, body });
        const ok = res.status === 401 && PROBLEM_JSON.test(res.contentType) && res.body?.code === 'unauthorized';
        if (!ok) failures.push(`${route.key} (token ${token ?? 'none'}) → ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(ROLES.map((role) => [role]))('%s: 403 exactly where a required permission is missing', async (role) => {
    const granted = ROLE_PERMISSIONS[role];
    const failures: string[] = [];
    let forbiddenSeen = 0;
    let allowedSeen = 0;
    for (const route of protectedRoutes()) {
      const body = route.method === 'GET' ? undefined : {};
      const res = await api.request(route.method, concretePath(route.path), { token: tokens[role], body });
      const allowed = hasPermissions(granted, route.required);
      if (allowed) {
        allowedSeen++;
        if (res.status === 401 || res.status === 403 || res.status >= 500)
          failures.push(`${route.key} should be allowed for ${role}, answered ${res.status} ${res.text.slice(0, 160)}`);
      } else {
        forbiddenSeen++;
        const missing = route.required.filter((p) => !granted.includes(p));
        const ok =
          res.status === 403 &&
          PROBLEM_JSON.test(res.contentType) &&
          res.body?.code === 'forbidden' &&
          missing.every((p) => String(res.body?.detail).includes(p));
        if (!ok)
          failures.push(
            `${route.key} should be 403 naming ${missing.join(', ')} for ${role}, answered ${res.status} ${res.text.slice(0, 160)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect(allowedSeen).toBeGreaterThanOrEqual(ANY_SIGNED_IN_ROUTES.length);
    // Owners and admins hold every permission; every other role is refused somewhere.
    if (role === Role.Owner || role === Role.Admin) expect(forbiddenSeen).toBe(0);
    else expect(forbiddenSeen).toBeGreaterThan(0);
  });

  it('a 403 is a problem document with the request id', async () => {
    const res = await api.get('/api/audit', { token: tokens[Role.Viewer] });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toContain(Permission.AuditRead);
  });

  it('no answer leaked a password hash, the JWT secret or a one-time secret', () => {
    expect(api.responses.length).toBeGreaterThan(100); // runs last, over every answer above
    expect(api.leaks()).toEqual([]);
  });
});
