import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export const OWNER_EMAIL = 'owner@e2e.test';
export const OWNER_PASSWORD = 'owner-password-e2e-1';
export const TEST_JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  baseUrl: string;
  /** Signs in and returns the access token (fails the test on any other answer). */
  login(email?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real HTTP app on a random port, against its own PostgreSQL database
 * (migrated at start) and whatever REDIS_URL the caller passes.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-e2e-'));
  const config = AppConfig.load({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_MIGRATE_ON_START: 'true',
    SERVE_CONSOLE: 'false',
    DB_POOL_SIZE: '4',
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: OWNER_EMAIL,
    ADMIN_PASSWORD: OWNER_PASSWORD,
    ...env,
  });
  const app = await createApp(config, { bufferLogs: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    db,
    baseUrl,
    login: (email = OWNER_EMAIL, password = OWNER_PASSWORD) => loginAt(baseUrl, email, password),
    async close() {
      await app.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function loginAt(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken)
    throw new Error(`login as ${email} answered ${res.status}: ${JSON.stringify(body)}`);
  return body.accessToken;
}
