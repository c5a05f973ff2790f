import { ApiClient, createSignedInUser, Json, problemFields, Role } from './support/auth-helpers';
import { eventually } from './support/processes';
import { startTestApp, TestApp } from './support/test-app';

async function get(baseUrl: string, token: string, path: string) {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  // Decoded as bytes: Response.text() would drop the byte-order mark.
  return { status: res.status, headers: res.headers, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

/** Every cell is quoted: split a line of the export. */
const cells = (line: string) =>
  line
    .slice(1, -1)
    .split('","')
    .map((c) => c.replace(/""/g, '"'));

describe('leads: CSV export', () => {
  let t: TestApp;
  let token: string;
  const api = () => new ApiClient(t.baseUrl);
  const call = (method: string, path: string, body?: unknown, auth = token) =>
    api().request(method, path, { token: auth, body });

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login();
    for (const [key, type] of [
      ['industry', 'text'],
      ['size', 'number'],
    ]) {
      expect((await call('POST', '/api/lead-fields', { key, label: key, type })).status).toBe(201);
    }
    await call('POST', '/api/leads', {
      firstName: '=HYPERLINK("http://evil")',
      lastName: 'Quote "Q"',
      email: 'formula@export.test',
      phone: '+44 20 7946 0958',
      company: '@Acme',
      tags: ['vip', 'export'],
      customFields: { industry: '-Retail', size: 12 },
    });
    await call('POST', '/api/leads', { firstName: 'Plain', email: 'plain@export.test', tags: ['export'] });
    await call('POST', '/api/leads', { firstName: 'Other', email: 'other@export.test', status: 'lost' });
  });
  afterAll(() => t?.close());

  it('streams the leads of a filter as UTF-8 CSV with a BOM, every cell quoted and formulas neutralised', async () => {
    const res = await get(t.baseUrl, token, '/api/leads/export.csv?tag=export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(res.text.startsWith('\uFEFF"id","firstName"')).toBe(true);
    const lines = res.text.slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3); // header + 2 leads tagged export
    const header = cells(lines[0]);
    expect(header).toEqual([
      'id',
      'firstName',
      'lastName',
      'email',
      'phone',
      'company',
      'title',
      'source',
      'status',
      'score',
      'ownerId',
      'tags',
      'consentEmail',
      'consentWhatsapp',
      'unsubscribedAt',
      'createdAt',
      'updatedAt',
      'custom:industry',
      'custom:size',
    ]);
    const rows = lines.slice(1).map((l) => Object.fromEntries(cells(l).map((c, i) => [header[i], c])));
    const formula = rows.find((r) => r.email === 'formula@export.test')!;
    expect(formula).toMatchObject({
      firstName: `'=HYPERLINK("http://evil")`,
      lastName: 'Quote "Q"',
      phone: "'+442079460958",
      company: "'@Acme",
      tags: 'vip, export',
      'custom:industry': "'-Retail",
      'custom:size': '12',
    });
    expect(rows.find((r) => r.email === 'plain@export.test')).toMatchObject({
      firstName: 'Plain',
      'custom:industry': '',
    });
  });

  it('exports the columns asked for, in that order, and names unknown ones', async () => {
    const res = await get(
      t.baseUrl,
      token,
      '/api/leads/export.csv?status=lost&columns=email,custom:industry,firstName',
    );
    expect(res.text.slice(1)).toBe('"email","custom:industry","firstName"\r\n"other@export.test","","Other"\r\n');
    const bad = await call('GET', '/api/leads/export.csv?columns=email,password');
    expect(bad.status).toBe(400);
    expect(problemFields(bad)).toEqual(['columns[1]']);
    expect((await call('GET', '/api/leads/export.csv?status=won')).status).toBe(400);
  });

  it('runs a large export as a task whose CSV shows in the task files, re-importable as it is', async () => {
    await t.db.query(
      `INSERT INTO leads (organization_id, first_name, email, tags)
       SELECT (SELECT id FROM organizations LIMIT 1), 'Many ' || g, 'many-' || g || '@export.test', ARRAY['many']
       FROM generate_series(1, 2345) g`,
    );
    const start = await call('POST', '/api/lead-exports', {
      filter: { tag: ['many'] },
      columns: ['email', 'firstName'],
    });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ kind: 'lead.export', total: 2345 });
    const task = await eventually<Json>(async () => {
      const res = await call('GET', `/api/tasks/${start.body.id}`);
      return ['succeeded', 'failed'].includes(res.body.status as string) ? (res.body as object) : undefined;
    }, 60_000);
    expect(task).toMatchObject({ status: 'succeeded', processed: 2345, percent: 100, counts: { exported: 2345 } });
    expect(task.files).toHaveLength(1);
    expect(task.files[0]).toMatchObject({ purpose: 'lead-export', contentType: 'text/csv; charset=utf-8' });
    const file = await get(t.baseUrl, token, task.files[0].url);
    const lines = file.text.slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2346);
    expect(new Set(lines.slice(1)).size).toBe(2345); // each lead once (keyset over the id)

    const audit = await call('GET', '/api/audit?action=lead.export');
    expect(audit.body.items[0]).toMatchObject({ entityType: 'task', entityId: task.id });

    // The export imports back: headers map to themselves.
    const preview = await fetch(`${t.baseUrl}/api/lead-imports?filename=back.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: Buffer.from(file.text, 'utf8'),
    });
    const body = (await preview.json()) as Json;
    expect(body).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      headers: ['email', 'firstName'],
      suggestedMapping: { email: 'email', firstName: 'firstName' },
      estimatedRows: 2345,
    });
  });

  it('names a bad filter or column of an export task', async () => {
    const res = await call('POST', '/api/lead-exports', { filter: { scoreMin: 500 }, columns: ['nope'] });
    expect(res.status).toBe(400);
    expect(problemFields(res)).toEqual(['filter.scoreMin']);
    const cols = await call('POST', '/api/lead-exports', { columns: ['email', 'nope'] });
    expect(problemFields(cols)).toEqual(['columns[1]']);
  });

  it('lets only who may export, and only the own organization’s leads', async () => {
    for (const role of [Role.Agent, Role.Viewer]) {
      const user = await createSignedInUser(api(), token, role);
      expect((await get(t.baseUrl, user.token, '/api/leads/export.csv')).status).toBe(403);
      expect((await call('POST', '/api/lead-exports', {}, user.token)).status).toBe(403);
    }
    const [{ id: other }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other') RETURNING id`,
    );
    await t.db.query(`INSERT INTO leads (organization_id, email) VALUES ($1, 'theirs@export.test')`, [other]);
    const all = await get(t.baseUrl, token, '/api/leads/export.csv?columns=email');
    expect(all.text).not.toContain('theirs@export.test');
    expect(all.text).toContain('plain@export.test');
    const [{ id: theirFile }] = await t.db.query<{ id: string }>(
      `INSERT INTO stored_files (organization_id, purpose, name, content_type, complete, expires_at)
       VALUES ($1, 'lead-export', 'x.csv', 'text/csv', true, now() + interval '1 day') RETURNING id`,
      [other],
    );
    expect((await call('GET', `/api/files/${theirFile}`)).status).toBe(404);
  });
});
