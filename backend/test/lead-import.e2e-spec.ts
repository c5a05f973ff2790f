import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { ApiClient, createSignedInUser, Json, problemFields, Role } from './support/auth-helpers';
import { spawnBuilt, waitForExit } from './support/built-server';
import { eventually, ThrowawayRedis } from './support/processes';
import { startTestApp, TestApp } from './support/test-app';

interface Task {
  id: string;
  kind: string;
  status: string;
  total: number | null;
  processed: number;
  percent: number | null;
  counts: Record<string, number>;
  result: Record<string, unknown> | null;
  attempts: number;
  files: { id: string; purpose: string; name: string; url: string }[];
}

/** Uploads raw bytes as the import body. */
async function upload(
  baseUrl: string,
  token: string,
  body: Buffer | string,
  filename = 'leads.csv',
  contentType = 'text/csv',
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${baseUrl}/api/lead-imports?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: typeof body === 'string' ? Buffer.from(body) : body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function download(baseUrl: string, token: string, url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  // Response.text() would drop a byte-order mark: decode the bytes as they are.
  return { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

/** A tiny CSV reader for assertions (quoted cells, "" escapes, newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('leads: CSV import', () => {
  let t: TestApp;
  let token: string;
  let orgId: string;
  const api = () => new ApiClient(t.baseUrl);
  const call = (method: string, path: string, body?: unknown, auth = token) =>
    api().request(method, path, { token: auth, body });

  const waitForTask = (id: string, auth = token) =>
    eventually(async () => {
      const task = (await call('GET', `/api/tasks/${id}`, undefined, auth)).body as Task;
      return ['succeeded', 'failed', 'cancelled'].includes(task.status) ? task : undefined;
    }, 60_000);

  const leadCount = async () =>
    Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM leads WHERE deleted_at IS NULL`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login();
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
    // Custom columns import into the organization's custom fields, typed by their definition.
    for (const [key, type] of [
      ['industry', 'text'],
      ['seats', 'number'],
    ]) {
      expect((await call('POST', '/api/lead-fields', { key, label: key, type })).status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  it('previews a UTF-8 file with a BOM, semicolons and quoted newlines, and proposes a mapping', async () => {
    const csv =
      '\uFEFFVorname;Nachname;E-Mail Address;Mobile;Organisation;Job title;Notes;Tags\r\n' +
      'Jürgen;Groß;jurgen@example.de;+49 30 901820;"Acme; GmbH";CTO;"line one\r\nline two";vip|de\r\n' +
      'Ana;Lima;ana@example.com;;Beta;;"said ""hi""";\r\n';
    const res = await upload(t.baseUrl, token, csv, 'messe.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      filename: 'messe.csv',
      encoding: 'utf-8',
      delimiter: ';',
      headers: ['Vorname', 'Nachname', 'E-Mail Address', 'Mobile', 'Organisation', 'Job title', 'Notes', 'Tags'],
      sampleRows: [
        ['Jürgen', 'Groß', 'jurgen@example.de', '+49 30 901820', 'Acme; GmbH', 'CTO', 'line one\r\nline two', 'vip|de'],
        ['Ana', 'Lima', 'ana@example.com', '', 'Beta', '', 'said "hi"', ''],
      ],
      suggestedMapping: {
        Vorname: 'firstName',
        Nachname: 'lastName',
        'E-Mail Address': 'email',
        Mobile: 'phone',
        Organisation: 'company',
        'Job title': 'title',
        Notes: 'ignore',
        Tags: 'tags',
      },
      estimatedRows: 2,
      rowsExact: true,
      taskId: null,
    });
    const again = await call('GET', `/api/lead-imports/${res.body.id}`);
    expect(again.body).toEqual(res.body);
  });

  it('reads a Latin-1 (windows-1252) file, tab-separated, and imports it with the proposed mapping', async () => {
    const csv = Buffer.from(
      'First Name\tLast Name\tEmail\tCompany\nRené\tMüller\trene@example.fr\tCafé Crème\n',
      'latin1',
    );
    const preview = await upload(t.baseUrl, token, csv, 'latin1.csv', 'application/octet-stream');
    expect(preview.body).toMatchObject({ encoding: 'windows-1252', delimiter: '\t' });
    expect(preview.body.sampleRows).toEqual([['René', 'Müller', 'rene@example.fr', 'Café Crème']]);
    const start = await call('POST', `/api/lead-imports/${preview.body.id}/start`, {
      mapping: preview.body.suggestedMapping,
      duplicatePolicy: 'skip',
    });
    expect(start.status).toBe(202);
    const task = await waitForTask(start.body.id);
    expect(task).toMatchObject({ status: 'succeeded', counts: { created: 1, updated: 0, skipped: 0, failed: 0 } });
    const [lead] = await t.db.query<Json>(`SELECT first_name, last_name, company, source FROM leads WHERE email = $1`, [
      'rene@example.fr',
    ]);
    expect(lead).toEqual({ first_name: 'René', last_name: 'Müller', company: 'Café Crème', source: 'import' });
  });

  describe('a file with bad rows and duplicates', () => {
    // Row numbers count the header as row 1. Quoted newlines keep a record on one row.
    const csv = [
      'Email,First name,Last name,Phone,Seats,Tags,Branche',
      'dup@example.com,Dana,Dup,,10,a,IT', // 2: new
      'not-an-email,Bad,Email,,,,', // 3: bad email
      'EXISTING@example.com,Eve,Exists,,,b,Retail', // 4: email a lead already has
      'dup@example.com,Dana,Second,,20,c,', // 5: duplicate of row 2
      ',,,,,,', // 6: nothing to identify the lead
      'phone@example.com,Pat,Phone,12345,,,', // 7: bad phone
      '"multi@example.com","Multi\nLine",Name,+44 20 7946 0958,,,', // 8: quoted newline, valid
      'seats@example.com,Sam,Seats,,lots,,', // 9: not a number for a number field
      'bad@,=1+2,Cell,,,,', // 10: bad email, and a formula in a cell
    ].join('\n');
    const mapping = {
      Email: 'email',
      'First name': 'firstName',
      'Last name': 'lastName',
      Phone: 'phone',
      Seats: 'custom:seats',
      Tags: 'tags',
      Branche: 'custom:industry',
    };
    let existingId: string;

    beforeAll(async () => {
      const res = await call('POST', '/api/leads', { email: 'existing@example.com', firstName: 'Old', tags: ['x'] });
      existingId = res.body.id;
    });

    async function importWith(policy: string) {
      const preview = await upload(t.baseUrl, token, csv, `bad-${policy}.csv`);
      const options = { mapping, duplicatePolicy: policy, tags: ['fair'] };
      const before = await leadCount();
      const dry = await call('POST', `/api/lead-imports/${preview.body.id}/dry-run`, options);
      expect(dry.status).toBe(200);
      expect(await leadCount()).toBe(before); // the dry run wrote nothing
      const start = await call('POST', `/api/lead-imports/${preview.body.id}/start`, options);
      expect(start.status).toBe(202);
      const task = await waitForTask(start.body.id);
      return { dry: dry.body, task, previewId: preview.body.id as string };
    }

    const expectedFailures = [
      [3, 'email: must be an email address'],
      [6, 'a lead needs at least an email, a phone, a name or a company'],
      [7, 'phone: is not a valid phone number (start with + and the country code, or give defaultCountry)'],
      [9, 'custom:seats: must be a number, such as 12 or -3.5'],
      [10, 'email: must be an email address'],
    ];

    it('skip: counts add up, the dry run foresaw them, and the error file lists each failed row', async () => {
      const { dry, task } = await importWith('skip');
      const counts = { created: 2, updated: 0, skipped: 2, failed: 5 };
      expect(dry).toEqual({
        rowsChecked: 9,
        moreRows: false,
        counts,
        failures: expectedFailures.map(([row, reason]) => ({ row, reason })),
      });
      expect(task).toMatchObject({ status: 'succeeded', total: 9, processed: 9, percent: 100, counts });
      expect(task.result).toMatchObject({ ...counts, rowsRead: 9 });
      const c = task.counts;
      expect(c.created + c.updated + c.skipped + c.failed).toBe(9);

      const errorFile = task.files.find((f) => f.purpose === 'lead-import-errors')!;
      expect(errorFile.name).toBe('bad-skip-errors.csv');
      const file = await download(t.baseUrl, token, errorFile.url);
      expect(file.status).toBe(200);
      expect(file.text.startsWith('\uFEFF')).toBe(true);
      const rows = parseCsv(file.text.slice(1));
      expect(rows[0]).toEqual([
        'Email',
        'First name',
        'Last name',
        'Phone',
        'Seats',
        'Tags',
        'Branche',
        'row',
        'reason',
      ]);
      expect(rows.slice(1).map((r) => [Number(r[7]), r[8]])).toEqual(expectedFailures);
      expect(rows[1].slice(0, 3)).toEqual(['not-an-email', 'Bad', 'Email']);
      expect(rows[5].slice(0, 2)).toEqual(['bad@', "'=1+2"]); // neutralised in the error file too

      const [dup] = await t.db.query<Json>(
        `SELECT first_name, last_name, score, tags, custom_fields, source FROM leads WHERE email = 'dup@example.com'`,
      );
      expect(dup).toEqual({
        first_name: 'Dana',
        last_name: 'Dup',
        // Computed once the batch is committed: email 10, name 6, source import 5, recency 20 (docs/leads.md).
        score: 41,
        tags: ['a', 'fair'],
        custom_fields: { industry: 'IT', seats: 10 },
        source: 'import',
      });
      const [multi] = await t.db.query<Json>(`SELECT first_name, phone FROM leads WHERE email = 'multi@example.com'`);
      expect(multi).toEqual({ first_name: 'Multi\nLine', phone: '+442079460958' });
      // The existing lead was left alone.
      expect((await call('GET', `/api/leads/${existingId}`)).body).toMatchObject({ firstName: 'Old', tags: ['x'] });
      // Each created lead has an `imported` entry on its timeline.
      const [{ id: dupId }] = await t.db.query<{ id: string }>(`SELECT id FROM leads WHERE email = 'dup@example.com'`);
      const timeline = await call('GET', `/api/leads/${dupId}/activities`);
      expect(timeline.body.items).toEqual([
        expect.objectContaining({
          type: 'imported',
          data: { taskId: task.id, file: 'bad-skip.csv', outcome: 'created' },
        }),
      ]);
      const audit = await call('GET', '/api/audit?action=lead.import');
      expect(audit.body.items[0]).toMatchObject({ entityId: task.id, changes: { duplicatePolicy: 'skip' } });
    });

    it('update: duplicates update the existing lead (given cells win, tags add up)', async () => {
      const { dry, task } = await importWith('update');
      // dup@ and multi@ exist now from the skip import: rows 2, 4, 5, 8 update.
      const counts = { created: 0, updated: 4, skipped: 0, failed: 5 };
      expect(dry.counts).toEqual(counts);
      expect(task.counts).toEqual(counts);
      expect((await call('GET', `/api/leads/${existingId}`)).body).toMatchObject({
        firstName: 'Eve',
        lastName: 'Exists',
        tags: ['x', 'b', 'fair'],
        customFields: { industry: 'Retail' },
      });
      const [dup] = await t.db.query<Json>(
        `SELECT last_name, custom_fields, tags FROM leads WHERE email = 'dup@example.com'`,
      );
      expect(dup).toEqual({
        last_name: 'Second',
        custom_fields: { industry: 'IT', seats: 20 },
        tags: ['a', 'fair', 'c'],
      });
    });

    it('create: an email already used fails the row, naming why', async () => {
      await t.db.query(`UPDATE leads SET deleted_at = now() WHERE email IN ('dup@example.com', 'multi@example.com')`);
      const { dry, task } = await importWith('create');
      const counts = { created: 2, updated: 0, skipped: 0, failed: 7 };
      expect(dry.counts).toEqual(counts);
      expect(task.counts).toEqual(counts);
      const reasons = (dry.failures as { row: number; reason: string }[]).map((f) => [f.row, f.reason]);
      expect(reasons).toContainEqual([4, 'email: existing@example.com is already used by another lead']);
      expect(reasons).toContainEqual([5, 'email: dup@example.com is already used by row 2 of this file']);
      const [{ n }] = await t.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM leads WHERE deleted_at IS NULL AND lower(email) = 'existing@example.com'`,
      );
      expect(Number(n)).toBe(1);
    });

    it('refuses to start the same upload twice', async () => {
      const { previewId } = await importWith('skip');
      const again = await call('POST', `/api/lead-imports/${previewId}/start`, { mapping, duplicatePolicy: 'skip' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('import_started');
    });
  });

  it('names each mapping and option error', async () => {
    const preview = await upload(t.baseUrl, token, 'Email,Name,Company,Notes\na@b.co,A,B,C\n');
    const path = `/api/lead-imports/${preview.body.id}/dry-run`;
    const cases: [unknown, string[], RegExp?][] = [
      [
        { mapping: { Email: 'emial', Name: 'fullName' }, duplicatePolicy: 'skip' },
        ['mapping.Email'],
        /unknown field "emial"/,
      ],
      [{ mapping: { Email: 'emial' }, duplicatePolicy: 'skip' }, ['mapping', 'mapping.Email'], /no identifying column/],
      [{ mapping: { Email: 'email', Name: 'email' }, duplicatePolicy: 'skip' }, ['mapping.Name'], /already mapped/],
      [{ mapping: { Notes: 'custom:industry' }, duplicatePolicy: 'skip' }, ['mapping'], /no identifying column/],
      [
        { mapping: { Emails: 'email', Company: 'company' }, duplicatePolicy: 'skip' },
        ['mapping.Emails'],
        /not a column/,
      ],
      [{ mapping: { Email: 'email', Notes: 'custom:' }, duplicatePolicy: 'skip' }, ['mapping.Notes']],
      [{ mapping: { Email: 'email' }, duplicatePolicy: 'merge' }, ['duplicatePolicy']],
      [{ mapping: { Email: 'email' }, duplicatePolicy: 'skip', defaultCountry: 'germany' }, ['defaultCountry']],
      [{ mapping: { Email: 'email' }, duplicatePolicy: 'skip', source: 'fax' }, ['source']],
      [{ mapping: 'email', duplicatePolicy: 'skip' }, ['mapping']],
    ];
    for (const [body, fields, detail] of cases) {
      for (const route of [path, path.replace('dry-run', 'start')]) {
        const res = await call('POST', route, body);
        expect({ body, status: res.status, fields: problemFields(res) }).toEqual({ body, status: 400, fields });
        if (detail) expect((res.body.errors as { reason: string }[]).map((e) => e.reason).join(' ')).toMatch(detail);
      }
    }
    // None of those started anything.
    expect((await call('GET', `/api/lead-imports/${preview.body.id}`)).body.taskId).toBeNull();
    expect((await call('POST', `/api/lead-imports?filename=`, undefined)).status).toBe(400);
  });

  it('takes only CSV bodies on the upload route, and CSV nowhere else (415), and refuses files over 200 MiB (413)', async () => {
    const json = await call('POST', '/api/lead-imports?filename=x.csv', { rows: [] });
    expect(json.status).toBe(415);
    const elsewhere = await fetch(`${t.baseUrl}/api/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'email\na@b.co\n',
    });
    expect(elsewhere.status).toBe(415);
    expect(((await elsewhere.json()) as Json).code).toBe('unsupported_media_type');
    const empty = await upload(t.baseUrl, token, '');
    expect(empty.status).toBe(400);
    // The declared size is enough to refuse: the body need not be sent.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${t.baseUrl}/api/lead-imports?filename=huge.csv`);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'text/csv',
            'content-length': String(201 * 1024 * 1024),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('email\n');
    });
    expect(status).toBe(413);
  });

  it('keeps uploads and their tasks to the organization (404 elsewhere), and to who may import', async () => {
    const preview = await upload(t.baseUrl, token, 'Email\nx@y.co\n');
    const [{ id: other }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other') RETURNING id`,
    );
    await t.db.query(`UPDATE stored_files SET organization_id = $1 WHERE id = $2`, [other, preview.body.id]);
    const options = { mapping: { Email: 'email' }, duplicatePolicy: 'skip' };
    expect((await call('GET', `/api/lead-imports/${preview.body.id}`)).status).toBe(404);
    expect((await call('POST', `/api/lead-imports/${preview.body.id}/dry-run`, options)).status).toBe(404);
    expect((await call('POST', `/api/lead-imports/${preview.body.id}/start`, options)).status).toBe(404);
    expect((await call('GET', `/api/files/${preview.body.id}`)).status).toBe(404);
    expect((await call('GET', `/api/lead-imports/${randomUUID()}`)).status).toBe(404);
    // An export file is not an upload.
    const [{ id: exportFile }] = await t.db.query<{ id: string }>(
      `INSERT INTO stored_files (organization_id, purpose, name, content_type, complete, expires_at)
       VALUES ($1, 'lead-export', 'x.csv', 'text/csv', true, now() + interval '1 day') RETURNING id`,
      [orgId],
    );
    expect((await call('GET', `/api/lead-imports/${exportFile}`)).status).toBe(404);

    const mine = await upload(t.baseUrl, token, 'Email\nz@y.co\n');
    for (const role of [Role.Agent, Role.Viewer]) {
      const user = await createSignedInUser(api(), token, role);
      expect((await upload(t.baseUrl, user.token, 'Email\nq@y.co\n')).status).toBe(403);
      expect((await call('GET', `/api/lead-imports/${mine.body.id}`, undefined, user.token)).status).toBe(403);
      expect((await call('POST', `/api/lead-imports/${mine.body.id}/dry-run`, options, user.token)).status).toBe(403);
      expect((await call('POST', `/api/lead-imports/${mine.body.id}/start`, options, user.token)).status).toBe(403);
    }
    const manager = await createSignedInUser(api(), token, Role.Manager);
    expect((await call('POST', `/api/lead-imports/${mine.body.id}/dry-run`, options, manager.token)).status).toBe(200);
  });

  it('imports a few thousand rows in batches, with progress reaching 100 %', async () => {
    const lines = ['email,name'];
    for (let i = 0; i < 2_500; i++) lines.push(`bulk-${i}@import.test,Person ${i}`);
    const preview = await upload(t.baseUrl, token, lines.join('\n'), 'bulk.csv');
    expect(preview.body).toMatchObject({
      estimatedRows: 2_500,
      suggestedMapping: { email: 'email', name: 'fullName' },
    });
    const start = await call('POST', `/api/lead-imports/${preview.body.id}/start`, {
      mapping: preview.body.suggestedMapping,
      duplicatePolicy: 'skip',
    });
    const task = await waitForTask(start.body.id);
    expect(task).toMatchObject({
      status: 'succeeded',
      total: 2_500,
      percent: 100,
      counts: { created: 2_500, updated: 0, skipped: 0, failed: 0 },
    });
    expect(task.files.map((f) => f.purpose)).toEqual(['lead-import']); // no error file when nothing failed
    const [lead] = await t.db.query<Json>(`SELECT first_name, last_name FROM leads WHERE email = 'bulk-7@import.test'`);
    expect(lead).toEqual({ first_name: 'Person', last_name: '7' });
    const [{ n }] = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM lead_import_failures`);
    expect(Number(n)).toBe(0);
  });
});

/**
 * The production worker, killed with SIGKILL after its first committed
 * batch: another worker takes the job over and finishes it from the
 * checkpoint. Needs `npm run build:backend`.
 */
describe('leads: an import survives a killed worker', () => {
  let t: TestApp;
  let redis: ThrowawayRedis;
  let token: string;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    token = await t.login();
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('resumes after the last committed batch: no duplicate, every row accounted for once', async () => {
    const rows = 30_000;
    const lines = ['Email,First name,Company'];
    for (let i = 0; i < rows; i++) {
      // Every 10th row repeats an earlier email (same file, policy skip); every 100th is invalid.
      const n = i % 10 === 9 ? i - 9 : i;
      lines.push(i % 100 === 55 ? `broken-${i},X,Y` : `w${n}@kill.test,Worker ${i},Co ${i % 7}`);
    }
    const preview = await upload(t.baseUrl, token, lines.join('\n'), 'kill.csv');
    expect(preview.status).toBe(201);
    const start = await new ApiClient(t.baseUrl).post(
      `/api/lead-imports/${preview.body.id}/start`,
      { mapping: preview.body.suggestedMapping, duplicatePolicy: 'skip' },
      { token },
    );
    expect(start.status).toBe(202);
    const taskId = start.body.id as string;
    const env = { DATABASE_URL: t.db.url, REDIS_URL: redis.url, WORKER_METRICS_PORT: '0', JWT_SECRET: 'x'.repeat(40) };

    const first = spawnBuilt('worker.js', env);
    try {
      await eventually(async () => {
        const [task] = await t.db.query<{ processed: number }>(`SELECT processed FROM tasks WHERE id = $1`, [taskId]);
        return task.processed > 0 ? true : undefined;
      }, 60_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${first.output()}`);
      });
    } finally {
      first.child.kill('SIGKILL');
    }
    await waitForExit(first.child, 10_000);
    const [halfway] = await t.db.query<{ processed: number; status: string }>(
      `SELECT processed, status FROM tasks WHERE id = $1`,
      [taskId],
    );
    expect(halfway.status).toBe('running');
    expect(halfway.processed).toBeLessThan(rows); // killed mid-import

    const second = spawnBuilt('worker.js', env);
    let task: Task;
    try {
      task = await eventually(
        async () => {
          const res = await new ApiClient(t.baseUrl).get(`/api/tasks/${taskId}`, { token });
          return res.body.status === 'succeeded' || res.body.status === 'failed' ? (res.body as Task) : undefined;
        },
        120_000,
        500,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${second.output()}`);
      });
    } finally {
      second.child.kill('SIGTERM');
      await waitForExit(second.child, 20_000);
    }
    const invalid = rows / 100;
    const repeats = rows / 10; // rows 9, 19, ... repeat rows 0, 10, ... (never an invalid one)
    const distinctValid = rows - invalid - repeats;
    expect(task).toMatchObject({
      status: 'succeeded',
      processed: rows,
      counts: { created: distinctValid, updated: 0, skipped: repeats, failed: invalid },
    });
    expect(task.attempts).toBeGreaterThanOrEqual(2);
    const [{ leads, emails }] = await t.db.query<{ leads: string; emails: string }>(
      `SELECT count(*) AS leads, count(DISTINCT lower(email)) AS emails FROM leads WHERE email LIKE '%@kill.test'`,
    );
    expect(Number(leads)).toBe(distinctValid);
    expect(Number(emails)).toBe(distinctValid);
    const [{ n }] = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM lead_activities a JOIN leads l ON l.id = a.lead_id
       WHERE l.email LIKE '%@kill.test' AND a.type = 'imported'`,
    );
    expect(Number(n)).toBe(distinctValid); // one timeline entry per lead, not two
    const errors = task.files.find((f) => f.purpose === 'lead-import-errors')!;
    const file = await download(t.baseUrl, token, errors.url);
    expect(parseCsv(file.text.slice(1)).length).toBe(1 + invalid);
  }, 240_000);
});
