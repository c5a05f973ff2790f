import { ApiClient } from './support/auth-helpers';
import { startTestApp, TestApp } from './support/test-app';

interface Lead {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  status: string;
  score: number;
  tags: string[];
}
interface Page {
  items: Lead[];
  nextCursor: string | null;
}

describe('leads: CRUD, validation, tenancy and keyset lists', () => {
  let t: TestApp;
  let token: string;

  const call = (method: string, path: string, body?: unknown, auth = token) =>
    new ApiClient(t.baseUrl).request(method, path, { token: auth, body });

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login();
  });
  afterAll(() => t?.close());

  it('creates a lead, normalising email case and the phone to E.164', async () => {
    const res = await call('POST', '/api/leads', {
      firstName: 'Ana',
      lastName: 'Lima',
      email: 'Ana.Lima@Example.com',
      phone: '020 7946 0958',
      defaultCountry: 'GB',
      company: 'Acme',
      tags: ['vip'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'ana.lima@example.com',
      phone: '+442079460958',
      status: 'new',
      source: 'other',
      score: 49, // computed: see lead-fields.e2e-spec.ts and docs/leads.md
    });
    expect((await call('GET', `/api/leads/${res.body.id}`)).body.email).toBe('ana.lima@example.com');
  });

  it('names each invalid field, and refuses unknown fields and tenancy fields', async () => {
    const res = await call('POST', '/api/leads', {
      email: 'not-an-email',
      score: 101,
      status: 'won',
      organizationId: 'x',
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'organizationId', 'score', 'status']);
    const phone = await call('POST', '/api/leads', { email: 'p@example.com', phone: '12345' });
    expect(phone.status).toBe(400);
    expect(phone.body.errors[0]).toMatchObject({ field: 'phone' });
    expect((await call('POST', '/api/leads', {})).status).toBe(400);
  });

  it('answers 409 naming the existing lead on a duplicate email, any case; a deleted lead frees it until restored', async () => {
    const first = await call('POST', '/api/leads', { email: 'dup@example.com' });
    const again = await call('POST', '/api/leads', { email: 'DUP@example.com' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate_email', existingLeadId: first.body.id });
    expect((await call('DELETE', `/api/leads/${first.body.id}`)).status).toBe(204);
    expect((await call('GET', `/api/leads/${first.body.id}`)).status).toBe(404);
    const second = await call('POST', '/api/leads', { email: 'dup@example.com' });
    expect(second.status).toBe(201);
    expect((await call('POST', `/api/leads/${first.body.id}/restore`)).status).toBe(409);
    await call('DELETE', `/api/leads/${second.body.id}`);
    expect((await call('POST', `/api/leads/${first.body.id}/restore`)).status).toBe(200);
  });

  it('updates, records the change in the audit log, and hides other organizations', async () => {
    const lead = await call('POST', '/api/leads', { email: 'upd@example.com' });
    const upd = await call('PATCH', `/api/leads/${lead.body.id}`, { status: 'qualified', title: 'CTO' });
    expect(upd.body).toMatchObject({ status: 'qualified', title: 'CTO' });
    const audit = await call('GET', `/api/audit?entityType=lead&entityId=${lead.body.id}`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'lead.updated',
      changes: { status: { from: 'new', to: 'qualified' } },
    });
    // Another organization's lead answers 404 like a missing one.
    const [{ id: otherOrg }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other') RETURNING id`,
    );
    const [{ id: foreign }] = await t.db.query<{ id: string }>(
      `INSERT INTO leads (organization_id, email) VALUES ($1, 'x@other.example') RETURNING id`,
      [otherOrg],
    );
    for (const [method, path] of [
      ['GET', `/api/leads/${foreign}`],
      ['PATCH', `/api/leads/${foreign}`],
      ['DELETE', `/api/leads/${foreign}`],
      ['POST', `/api/leads/${foreign}/restore`],
    ]) {
      const res = await call(method, path, method === 'PATCH' ? { title: 'x' } : undefined);
      expect(res.status).toBe(404);
    }
    const all = await call('GET', '/api/leads?limit=200');
    expect((all.body as Page).items.some((l) => l.id === foreign)).toBe(false);
  });

  it('filters and searches with prefixes', async () => {
    await call('POST', '/api/leads', {
      firstName: 'Zoe',
      lastName: 'Quartz',
      company: 'Quartzite Ltd',
      email: 'zoe@quartz.example',
      status: 'contacted',
      tags: ['emea'],
    });
    const search = await call('GET', '/api/leads?q=zoe%20quar');
    expect((search.body as Page).items.map((l) => l.email)).toEqual(['zoe@quartz.example']);
    const filtered = await call('GET', '/api/leads?status=contacted&tag=emea&scoreMin=30&hasEmail=true');
    expect((filtered.body as Page).items.map((l) => l.email)).toEqual(['zoe@quartz.example']);
    expect((await call('GET', '/api/leads/count?status=contacted')).body).toEqual({ count: 1 });
    expect((await call('GET', '/api/leads?q=%3A%2A%20%26%20%21')).status).toBe(200); // tsquery syntax is not ours to inject
    expect((await call('GET', '/api/leads?status=won')).status).toBe(400);
    expect((await call('GET', '/api/leads?limit=500')).status).toBe(400);
  });

  it('pages through every lead exactly once, in each sort order, while leads are being added', async () => {
    for (let i = 0; i < 30; i++)
      await call('POST', '/api/leads', {
        firstName: `P${i % 7}`,
        lastName: 'Pager',
        email: `pager${i}@example.com`,
        ...(i % 3 === 0 ? { company: 'Pager Ltd' } : {}), // ties and differences in score
      });
    for (const sort of ['createdAt', 'updatedAt', 'score', 'name']) {
      for (const order of ['asc', 'desc']) {
        const before = new Set(((await call('GET', '/api/leads?limit=200')).body as Page).items.map((l) => l.id));
        const seen: string[] = [];
        let cursor: string | null = null;
        let inserted = 0;
        do {
          const q: string = `/api/leads?limit=4&sort=${sort}&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = (await call('GET', q)).body as Page;
          seen.push(...page.items.map((l) => l.id));
          cursor = page.nextCursor;
          // Concurrent inserts between pages must not make existing leads repeat or vanish.
          await call('POST', '/api/leads', {
            lastName: 'Late',
            email: `late-${sort}-${order}-${inserted++}@example.com`,
          });
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of before) expect(seen).toContain(id);
      }
    }
    expect((await call('GET', '/api/leads?cursor=garbage')).status).toBe(400);
  });

  it('lets a viewer read but not write', async () => {
    await call('POST', '/api/users', {
      email: 'viewer@leads.test',
      name: 'V',
      role: 'viewer',
      password: 'viewer-password-1',
    });
    const viewer = await t.login('viewer@leads.test', 'viewer-password-1');
    expect((await call('GET', '/api/leads', undefined, viewer)).status).toBe(200);
    expect((await call('POST', '/api/leads', { email: 'v@example.com' }, viewer)).status).toBe(403);
  });
});

describe('lead timeline and saved views', () => {
  let t: TestApp;
  let token: string;

  const call = (method: string, path: string, body?: unknown, auth = token) =>
    new ApiClient(t.baseUrl).request(method, path, { token: auth, body });

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login();
  });
  afterAll(() => t?.close());

  it('records creation, status change, assignment and notes, newest first', async () => {
    const lead = await call('POST', '/api/leads', { email: 'tl@example.com' });
    const me = await call('GET', '/api/auth/me');
    await call('PATCH', `/api/leads/${lead.body.id}`, { status: 'contacted', ownerId: me.body.id, company: 'Acme' });
    const note = await call('POST', `/api/leads/${lead.body.id}/notes`, { body: 'Wants a demo.' });
    expect(note.status).toBe(201);
    const timeline = await call('GET', `/api/leads/${lead.body.id}/activities`);
    expect((timeline.body.items as { type: string }[]).map((a) => a.type)).toEqual([
      'note',
      'updated',
      'assigned',
      'status_changed',
      'created',
    ]);
    expect(timeline.body.items[3].data).toEqual({ from: 'new', to: 'contacted' });
    expect((await call('POST', `/api/leads/${lead.body.id}/notes`, { body: '' })).status).toBe(400);
  });

  it('saves views for oneself or shared, validating the filter', async () => {
    const mine = await call('POST', '/api/lead-views', {
      name: 'Hot',
      filter: { status: ['qualified'], scoreMin: 60 },
      sort: 'score',
    });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({
      name: 'Hot',
      mine: true,
      shared: false,
      filter: { status: ['qualified'], scoreMin: 60 },
    });
    const bad = await call('POST', '/api/lead-views', { name: 'Bad', filter: { status: ['won'], nope: 1 } });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'filter.nope',
      'filter.status',
    ]);
    await call('POST', '/api/lead-views', { name: 'Team', filter: {}, shared: true });
    await call('POST', '/api/users', {
      email: 'agent@views.test',
      name: 'A',
      role: 'agent',
      password: 'agent-password-123',
    });
    const agent = await t.login('agent@views.test', 'agent-password-123');
    const seen = await call('GET', '/api/lead-views', undefined, agent);
    expect((seen.body as { name: string }[]).map((v) => v.name)).toEqual(['Team']);
    const team = (seen.body as { id: string }[])[0];
    expect((await call('DELETE', `/api/lead-views/${team.id}`, undefined, agent)).status).toBe(403);
    expect((await call('DELETE', `/api/lead-views/${mine.body.id}`, undefined, agent)).status).toBe(404);
    expect((await call('DELETE', `/api/lead-views/${mine.body.id}`)).status).toBe(204);
  });
});
