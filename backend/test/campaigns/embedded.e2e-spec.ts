import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClient } from '../support/auth-helpers';
import { spawnBuilt, waitForExit, waitForReady } from '../support/built-server';
import { eventually, freePort } from '../support/processes';
import { loginAt } from '../support/test-app';

/**
 * The demo of the quick start: the built server with no database, no Redis
 * and no SMTP (embedded PostgreSQL, inline jobs, the outbox) sends a whole
 * campaign, with the same processors as the production worker.
 */
describe('embedded profile: a full campaign through the outbox', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output: () => string;
  let api: ApiClient;
  let token: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-embedded-campaigns-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    ({ child, output } = spawnBuilt('main.js', {
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: 'owner@embedded.test',
      ADMIN_PASSWORD: 'embedded-password-1',
      SERVE_CONSOLE: 'false',
    }));
    await waitForReady(baseUrl, output);
    api = new ApiClient(baseUrl);
    token = await loginAt(baseUrl, 'owner@embedded.test', 'embedded-password-1');
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await waitForExit(child, 20_000).catch(() => child.kill('SIGKILL'));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends to every consented lead once, into the outbox, and completes', async () => {
    for (let i = 1; i <= 12; i++) {
      const res = await api.post(
        '/api/leads',
        { firstName: `Demo${i}`, email: `demo${i}@embedded.test`, tags: ['demo'], consentEmail: i <= 10 },
        { token },
      );
      expect(res.status).toBe(201);
    }
    const segment = await api.post('/api/segments', { name: 'Demo leads', filter: { tag: ['demo'] } }, { token });
    const campaign = await api.post(
      '/api/campaigns',
      {
        name: 'Embedded demo',
        channel: 'email',
        audience: { segmentId: segment.body.id },
        email: { subject: 'Hi {{ firstName }}', html: '<p>Hello {{ firstName }}</p>' },
      },
      { token },
    );
    const id = campaign.body.id as string;
    const scheduled = await api.post(`/api/campaigns/${id}/schedule`, {}, { token });
    expect(scheduled.status).toBe(200);
    const done = await eventually(async () => {
      const res = await api.get(`/api/campaigns/${id}`, { token });
      return res.body.status === 'completed' ? res.body : undefined;
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${output().slice(-3000)}`);
    });
    expect(done.stats).toMatchObject({ total: 10, sent: 10, remaining: 0, excluded: { noConsent: 2 } });
    const outbox = await api.get(`/api/outbox?campaignId=${id}&limit=50`, { token });
    expect(outbox.status).toBe(200);
    expect(outbox.body.items).toHaveLength(10);
    expect(new Set(outbox.body.items.map((m: { to: string }) => m.to)).size).toBe(10);
    expect(outbox.body.items[0].subject).toMatch(/^Hi Demo\d+$/);
  });
});
