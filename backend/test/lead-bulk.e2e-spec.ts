import { randomUUID } from 'node:crypto';
import { createApp } from '../src/app.factory';
import { ApiClient, createSignedInUser, problemFields, Role } from './support/auth-helpers';
import { eventually } from './support/processes';
import { startTestApp, TestApp } from './support/test-app';

interface Task {
  id: string;
  kind: string;
  status: string;
  total: number | null;
  processed: number;
  percent: number | null;
  counts: Record<string, number>;
  attempts: number;
}

describe('leads: bulk actions, run at once or as a task with progress', () => {
  let t: TestApp;
  let token: string;
  let orgId: string;
  const api = () => new ApiClient(t.baseUrl);
  const call = (method: string, path: string, body?: unknown, auth = token) =>
    api().request(method, path, { token: auth, body });

  /** n leads straight into the table (fast), tagged `tag`. */
  async function seedLeads(n: number, tag: string, org = orgId): Promise<string[]> {
    const rows = await t.db.query<{ id: string }>(
      `INSERT INTO leads (organization_id, first_name, email, tags)
       SELECT $1, 'Bulk ' || g, $2 || '-' || g || '@bulk.test', ARRAY[$2]
       FROM generate_series(1, $3) g RETURNING id`,
      [org, tag, n],
    );
    return rows.map((r) => r.id);
  }

  const waitForTask = (id: string) =>
    eventually(async () => {
      const res = await call('GET', `/api/tasks/${id}`);
      const task = res.body as Task;
      return ['succeeded', 'failed', 'cancelled'].includes(task.status) ? task : undefined;
    }, 60_000);

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login();
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
  });
  afterAll(() => t?.close());

  it('changes a small selection at once, records each change on the timeline, and is idempotent', async () => {
    const ids = await seedLeads(5, 'small');
    const first = await call('POST', '/api/leads/bulk', { action: 'set_status', status: 'contacted', ids });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ changed: 5, unchanged: 0, task: null });

    const again = await call('POST', '/api/leads/bulk', { action: 'set_status', status: 'contacted', ids });
    expect(again.body).toMatchObject({ changed: 0, unchanged: 5 });

    const timeline = await call('GET', `/api/leads/${ids[0]}/activities`);
    const changes = (timeline.body.items as { type: string; data: unknown }[]).filter(
      (a: { type: string }) => a.type === 'status_changed',
    );
    expect(changes).toHaveLength(1);
    expect(changes[0].data).toEqual({ from: 'new', to: 'contacted' });

    const audit = await call('GET', '/api/audit?action=lead.bulk');
    // Newest first: the second call changed nothing.
    expect((audit.body.items as { changes: Record<string, unknown> }[]).map((e) => e.changes)).toMatchObject([
      { action: 'set_status', selected: 5, changed: 0, unchanged: 5 },
      { action: 'set_status', selected: 5, changed: 5, unchanged: 0 },
    ]);
  });

  it('adds and removes tags without duplicates and keeps the existing order', async () => {
    const [id] = await seedLeads(1, 'tags');
    await call('POST', '/api/leads/bulk', { action: 'add_tags', tags: ['vip', 'tags', 'q4'], ids: [id] });
    expect((await call('GET', `/api/leads/${id}`)).body.tags).toEqual(['tags', 'vip', 'q4']);
    await call('POST', '/api/leads/bulk', { action: 'remove_tags', tags: ['vip'], ids: [id] });
    expect((await call('GET', `/api/leads/${id}`)).body.tags).toEqual(['tags', 'q4']);
  });

  it('assigns and unassigns an owner, and refuses a user of another organization', async () => {
    const [id] = await seedLeads(1, 'assign');
    const me = (await call('GET', '/api/auth/me')).body.id as string;
    expect((await call('POST', '/api/leads/bulk', { action: 'assign', ownerId: me, ids: [id] })).body.changed).toBe(1);
    expect((await call('GET', `/api/leads/${id}`)).body.ownerId).toBe(me);
    expect((await call('POST', '/api/leads/bulk', { action: 'assign', ownerId: null, ids: [id] })).body.changed).toBe(
      1,
    );
    const stranger = await call('POST', '/api/leads/bulk', { action: 'assign', ownerId: randomUUID(), ids: [id] });
    expect(stranger.status).toBe(400);
    expect(problemFields(stranger)).toEqual(['ownerId']);
  });

  it('names each invalid field', async () => {
    const cases: [unknown, string[]][] = [
      [{ action: 'set_status', status: 'contacted' }, ['ids']],
      [{ action: 'set_status', status: 'contacted', ids: [randomUUID()], filter: {} }, ['ids']],
      [{ action: 'set_status', ids: [randomUUID()] }, ['status']],
      [{ action: 'explode', ids: [randomUUID()] }, ['action']],
      [{ action: 'add_tags', ids: ['nope'], tags: ['x'] }, ['ids']],
      [{ action: 'add_tags', ids: [randomUUID()] }, ['tags']],
      [{ action: 'assign', ids: [randomUUID()] }, ['ownerId']],
      [{ action: 'delete', filter: { status: ['won'] } }, ['filter.status']],
    ];
    for (const [body, fields] of cases) {
      const res = await call('POST', '/api/leads/bulk', body);
      expect({ body, status: res.status, fields: problemFields(res) }).toEqual({ body, status: 400, fields });
    }
  });

  it('enforces roles: viewers cannot, agents may change but not delete', async () => {
    const [id] = await seedLeads(1, 'roles');
    const viewer = await createSignedInUser(api(), token, Role.Viewer);
    const agent = await createSignedInUser(api(), token, Role.Agent);
    expect(
      (await call('POST', '/api/leads/bulk', { action: 'add_tags', tags: ['x'], ids: [id] }, viewer.token)).status,
    ).toBe(403);
    expect((await call('POST', '/api/leads/bulk', { action: 'delete', ids: [id] }, agent.token)).status).toBe(403);
    expect(
      (await call('POST', '/api/leads/bulk', { action: 'add_tags', tags: ['x'], ids: [id] }, agent.token)).status,
    ).toBe(200);
  });

  it('leaves other organizations alone: their ids count as unchanged', async () => {
    const [{ id: other }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other') RETURNING id`,
    );
    const [theirs] = await seedLeads(1, 'theirs', other);
    const res = await call('POST', '/api/leads/bulk', { action: 'delete', ids: [theirs] });
    expect(res.body).toMatchObject({ changed: 0, unchanged: 1 });
    const [row] = await t.db.query<{ deleted_at: Date | null }>(`SELECT deleted_at FROM leads WHERE id = $1`, [theirs]);
    expect(row.deleted_at).toBeNull();
  });

  it('restores from the recycle bin, except a lead whose email a live lead took meanwhile', async () => {
    const [a, b] = await seedLeads(2, 'bin');
    await call('POST', '/api/leads/bulk', { action: 'delete', ids: [a, b] });
    const emailOfA = (await t.db.query<{ email: string }>(`SELECT email FROM leads WHERE id = $1`, [a]))[0].email;
    expect((await call('POST', '/api/leads', { email: emailOfA })).status).toBe(201);
    const res = await call('POST', '/api/leads/bulk', { action: 'restore', ids: [a, b] });
    expect(res.body).toMatchObject({ changed: 1, unchanged: 1 });
    expect((await call('GET', `/api/leads/${b}`)).status).toBe(200);
    expect((await call('GET', `/api/leads/${a}`)).status).toBe(404);
  });

  it('runs a large selection as a task whose progress reaches 100 %, then resumes idempotently after a restart', async () => {
    await seedLeads(1_234, 'large');
    const res = await call('POST', '/api/leads/bulk', {
      action: 'add_tags',
      tags: ['campaign-q4'],
      filter: { tag: ['large'] },
    });
    expect(res.status).toBe(202);
    expect(res.body.task).toMatchObject({ kind: 'lead.bulk', total: 1_234 });
    const task = await waitForTask(res.body.task.id);
    expect(task).toMatchObject({
      status: 'succeeded',
      processed: 1_234,
      percent: 100,
      counts: { changed: 1_234, unchanged: 0 },
    });
    const count = await call('GET', '/api/leads/count?tag=campaign-q4');
    expect(count.body.count).toBe(1_234);

    // The process died before the task was marked done: a new process takes it up again at start.
    await t.db.query(
      `UPDATE tasks SET status = 'running', processed = 0, checkpoint = NULL, counts = '{}' WHERE id = $1`,
      [task.id],
    );
    const second = await createApp(t.config, { bufferLogs: true });
    await second.init();
    try {
      const resumed = await waitForTask(task.id);
      expect(resumed).toMatchObject({ status: 'succeeded', attempts: 2, counts: { changed: 0, unchanged: 1_234 } });
    } finally {
      await second.close();
    }
    const [{ n }] = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM lead_activities a JOIN leads l ON l.id = a.lead_id
       WHERE 'large' = ANY(l.tags) AND a.type = 'updated'`,
    );
    expect(Number(n)).toBe(1_234); // one timeline entry per lead, not two
  });

  it('shows tasks only to who may see their kind, never across organizations, and cancels only unfinished ones', async () => {
    const list = await call('GET', '/api/tasks?kind=lead.bulk');
    expect(list.status).toBe(200);
    const id = list.body.items[0].id as string;
    const viewer = await createSignedInUser(api(), token, Role.Viewer);
    expect((await call('GET', `/api/tasks/${id}`, undefined, viewer.token)).status).toBe(404);
    expect((await call('GET', '/api/tasks', undefined, viewer.token)).body.items).toEqual([]);

    const [{ id: other }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other 2') RETURNING id`,
    );
    const [{ id: foreign }] = await t.db.query<{ id: string }>(
      `INSERT INTO tasks (organization_id, kind, title) VALUES ($1, 'lead.bulk', 'theirs') RETURNING id`,
      [other],
    );
    expect((await call('GET', `/api/tasks/${foreign}`)).status).toBe(404);
    expect((await call('POST', `/api/tasks/${foreign}/cancel`)).status).toBe(404);
    expect((await call('POST', `/api/tasks/${id}/cancel`)).status).toBe(409);
    expect((await call('GET', `/api/files/${randomUUID()}`)).status).toBe(404);
  });
});
