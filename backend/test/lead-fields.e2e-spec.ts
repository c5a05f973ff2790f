import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '../src/config/app-config';
import { WorkerModule } from '../src/worker.module';
import { ApiClient, createSignedInUser, expectProblem, Json, problemFields, Role } from './support/auth-helpers';
import { eventually, ThrowawayRedis } from './support/processes';
import { startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

/** The errors of a problem, without the class-validator constraint names. */
const reasons = (body: Json): { field: string; reason: string }[] =>
  (body.errors as { field: string; reason: string }[]).map(({ field, reason }) => ({ field, reason }));

interface LeadField {
  id: string;
  key: string;
  label: string;
  type: string;
  options: string[];
  required: boolean;
  position: number;
}

describe('custom lead fields: definitions, values, filters', () => {
  let t: TestApp;
  let api: ApiClient;
  let owner: string;
  let agent: string;
  let manager: string;
  let viewer: string;
  let otherOrg: string;

  const call = (method: string, path: string, body?: unknown, token = owner) =>
    api.request(method, path, { token, body });
  const define = async (body: Record<string, unknown>): Promise<LeadField> => {
    const res = await call('POST', '/api/lead-fields', body);
    if (res.status !== 201) throw new Error(`defining ${JSON.stringify(body)} answered ${res.status}: ${res.text}`);
    return res.body as LeadField;
  };
  const createLead = async (body: Record<string, unknown>): Promise<Json> => {
    const res = await call('POST', '/api/leads', body);
    if (res.status !== 201) throw new Error(`creating a lead answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const emails = async (query: string): Promise<string[]> => {
    const res = await call('GET', `/api/leads?limit=200&${query}`);
    if (res.status !== 200) throw new Error(`GET /api/leads?${query} answered ${res.status}: ${res.text}`);
    return (res.body.items as { email: string }[]).map((l) => l.email).sort();
  };

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t.baseUrl);
    owner = await t.login();
    agent = (await createSignedInUser(api, owner, Role.Agent)).token;
    manager = (await createSignedInUser(api, owner, Role.Manager)).token;
    viewer = (await createSignedInUser(api, owner, Role.Viewer)).token;
    [{ id: otherOrg }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other org') RETURNING id`,
    );
  });
  afterAll(() => t?.close());

  describe('definitions', () => {
    it('creates, lists in order, changes and deletes fields, and audits each change', async () => {
      const budget = await define({ key: 'budget', label: 'Budget', type: 'number' });
      expect(budget).toMatchObject({ key: 'budget', type: 'number', options: [], required: false, position: 0 });
      const industry = await define({
        key: 'industry',
        label: ' Industry ',
        type: 'select',
        options: ['Retail', ' Finance '],
        position: 0,
      });
      expect(industry).toMatchObject({ label: 'Industry', options: ['Retail', 'Finance'] });
      const next = await define({ key: 'tmp_field', label: 'Temp', type: 'text' });
      expect(next.position).toBe(1); // after the highest position so far

      const list = await call('GET', '/api/lead-fields');
      expect(list.status).toBe(200);
      expect((list.body as LeadField[]).map((f) => f.key)).toEqual(['budget', 'industry', 'tmp_field']);

      const changed = await call('PATCH', `/api/lead-fields/${industry.id}`, {
        label: 'Sector',
        options: ['Retail', 'Finance', 'Health'],
        position: 5,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ key: 'industry', label: 'Sector', position: 5 });
      expect(((await call('GET', '/api/lead-fields')).body as LeadField[]).map((f) => f.key)).toEqual([
        'budget',
        'tmp_field',
        'industry',
      ]);

      expect((await call('DELETE', `/api/lead-fields/${next.id}`)).status).toBe(204);
      expect((await call('DELETE', `/api/lead-fields/${next.id}`)).status).toBe(404);
      const audit = await call('GET', '/api/audit?entityType=lead_field&limit=10');
      expect((audit.body.items as { action: string }[]).map((e) => e.action)).toEqual([
        'lead_field.deleted',
        'lead_field.updated',
        'lead_field.created',
        'lead_field.created',
        'lead_field.created',
      ]);
    });

    it('names every invalid part of a definition', async () => {
      const bad = await call('POST', '/api/lead-fields', { key: 'Budget-1', label: '', type: 'money', extra: 1 });
      expectProblem(bad, 400, 'validation_failed');
      expect(problemFields(bad)).toEqual(['extra', 'key', 'label', 'type']);
      expect(reasons(bad.body).find((e) => e.field === 'key')?.reason).toMatch(/snake_case/);

      for (const [body, reason] of [
        [{ key: 'sector2', label: 'S', type: 'select' }, 'a select field needs options'],
        [{ key: 'sector2', label: 'S', type: 'select', options: [] }, 'a select field needs at least one option'],
        [{ key: 'sector2', label: 'S', type: 'select', options: ['A', 'a'] }, 'lists "a" twice'],
        [{ key: 'size', label: 'S', type: 'number', options: ['1'] }, 'only select fields have options'],
      ] as const) {
        const res = await call('POST', '/api/lead-fields', body);
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors).toEqual([{ field: 'options', reason }]);
      }
      const empty = await call('POST', '/api/lead-fields', { key: 'x', label: 'X', type: 'select', options: [' '] });
      expect(problemFields(empty)).toEqual(['options']);

      const dup = await call('POST', '/api/lead-fields', { key: 'budget', label: 'Again', type: 'text' });
      expectProblem(dup, 409, 'duplicate_field_key');
      expect(dup.body.errors).toEqual([{ field: 'key', reason: 'is already used by another custom field' }]);

      // Key and type are fixed once defined.
      const [{ id }] = (await call('GET', '/api/lead-fields')).body as LeadField[];
      const immutable = await call('PATCH', `/api/lead-fields/${id}`, { key: 'other', type: 'text' });
      expect(problemFields(immutable)).toEqual(['key', 'type']);
      const notSelect = await call('PATCH', `/api/lead-fields/${id}`, { options: ['a'] });
      expect(notSelect.body.errors).toEqual([{ field: 'options', reason: 'only select fields have options' }]);
      expect((await call('PATCH', '/api/lead-fields/not-a-uuid', { label: 'x' })).status).toBe(400);
    });

    it('lets every role read the fields, and only owners and admins change them', async () => {
      for (const token of [agent, manager, viewer]) {
        expect((await call('GET', '/api/lead-fields', undefined, token)).status).toBe(200);
        const denied = await call('POST', '/api/lead-fields', { key: 'nope', label: 'N', type: 'text' }, token);
        expectProblem(denied, 403, 'forbidden');
      }
      const [field] = (await call('GET', '/api/lead-fields')).body as LeadField[];
      expect((await call('PATCH', `/api/lead-fields/${field.id}`, { label: 'x' }, agent)).status).toBe(403);
      expect((await call('DELETE', `/api/lead-fields/${field.id}`, undefined, agent)).status).toBe(403);
    });

    it("treats another organization's fields as missing", async () => {
      const [{ id }] = await t.db.query<{ id: string }>(
        `INSERT INTO lead_field_definitions (organization_id, key, label, type) VALUES ($1, 'secret', 'S', 'text') RETURNING id`,
        [otherOrg],
      );
      expect((await call('PATCH', `/api/lead-fields/${id}`, { label: 'mine' })).status).toBe(404);
      expect((await call('DELETE', `/api/lead-fields/${id}`)).status).toBe(404);
      expect(((await call('GET', '/api/lead-fields')).body as LeadField[]).some((f) => f.key === 'secret')).toBe(false);
      const lead = await call('POST', '/api/leads', { email: 'x@secret.example', customFields: { secret: 'a' } });
      expect(lead.body.errors).toEqual([
        { field: 'customFields.secret', reason: 'is not a custom field of your organization' },
      ]);
      expect((await call('GET', '/api/leads?custom=secret:notempty')).body.errors[0]).toMatchObject({
        field: 'custom',
      });
    });
  });

  describe('values on leads', () => {
    beforeAll(async () => {
      await define({ key: 'vip', label: 'VIP', type: 'boolean' });
      await define({ key: 'renewal', label: 'Renewal', type: 'date' });
      await define({ key: 'notes_text', label: 'Notes', type: 'text' });
      await define({ key: 'region', label: 'Region', type: 'select', options: ['EMEA', 'APAC'], required: true });
    });

    it('stores typed values, normalised, on create', async () => {
      const lead = await createLead({
        email: 'typed@example.com',
        customFields: {
          budget: 2500.5,
          industry: 'finance',
          vip: true,
          renewal: '2026-03-31',
          notes_text: '  hello ',
          region: 'emea',
        },
      });
      expect(lead.customFields).toEqual({
        budget: 2500.5,
        industry: 'Finance',
        vip: true,
        renewal: '2026-03-31',
        notes_text: 'hello',
        region: 'EMEA',
      });
      expect((await call('GET', `/api/leads/${lead.id}`)).body.customFields).toEqual(lead.customFields);
    });

    it('names each bad value with what it expects, and requires required fields on create', async () => {
      const res = await call('POST', '/api/leads', {
        email: 'bad@example.com',
        customFields: {
          nope: 1,
          budget: '12',
          industry: 'Mining',
          vip: 'yes',
          renewal: '31/03/2026',
          notes_text: 5,
        },
      });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        { field: 'customFields.nope', reason: 'is not a custom field of your organization' },
        { field: 'customFields.budget', reason: 'must be a number' },
        { field: 'customFields.industry', reason: 'must be one of: Retail, Finance, Health' },
        { field: 'customFields.vip', reason: 'must be true or false' },
        { field: 'customFields.renewal', reason: 'must be a date written YYYY-MM-DD' },
        { field: 'customFields.notes_text', reason: 'must be text' },
        { field: 'customFields.region', reason: 'is required' },
      ]);
      const impossibleDate = await call('POST', '/api/leads', {
        email: 'bad@example.com',
        customFields: { region: 'APAC', renewal: '2026-02-30' },
      });
      expect(impossibleDate.body.errors).toEqual([
        { field: 'customFields.renewal', reason: 'must be a date written YYYY-MM-DD' },
      ]);
      for (const customFields of [null, [1], 'x']) {
        const notObject = await call('POST', '/api/leads', { email: 'bad@example.com', customFields });
        expect(problemFields(notObject)).toEqual(['customFields']);
      }
      expect((await call('GET', '/api/leads?q=bad')).body.items).toEqual([]);
    });

    it('merges on change: only the given keys change, null clears one, required is not re-checked', async () => {
      const lead = await createLead({
        email: 'merge@example.com',
        customFields: { budget: 10, vip: false, region: 'APAC' },
      });
      const res = await call('PATCH', `/api/leads/${lead.id}`, { customFields: { budget: 20, region: null } });
      expect(res.status).toBe(200);
      expect(res.body.customFields).toEqual({ budget: 20, vip: false });
      const wrong = await call('PATCH', `/api/leads/${lead.id}`, { customFields: { vip: 'no' } });
      expect(wrong.body.errors).toEqual([{ field: 'customFields.vip', reason: 'must be true or false' }]);
      // The same values again change nothing.
      const before = (await call('GET', `/api/leads/${lead.id}`)).body;
      const same = await call('PATCH', `/api/leads/${lead.id}`, { customFields: { budget: 20, region: null } });
      expect(same.body.updatedAt).toBe(before.updatedAt);
      const timeline = await call('GET', `/api/leads/${lead.id}/activities`);
      const activities = timeline.body.items as { type: string; data: { fields?: string[] } }[];
      expect(activities.map((a) => a.type)).toEqual(['updated', 'created']);
      expect(activities[0].data.fields?.sort()).toEqual(['customFields.budget', 'customFields.region']);
      const audit = await call('GET', `/api/audit?entityType=lead&entityId=${lead.id}`);
      expect(audit.body.items[0].changes).toEqual({
        'customFields.budget': { from: 10, to: 20 },
        'customFields.region': { from: 'APAC', to: null },
      });
    });

    it('keeps the values of a deleted field stored but hidden, and shows them again if the key returns', async () => {
      const field = await define({ key: 'legacy_code', label: 'Legacy', type: 'text' });
      const lead = await createLead({
        email: 'legacy@example.com',
        company: 'Legacy Ltd',
        customFields: { legacy_code: 'L-1', region: 'EMEA' },
      });
      expect((await call('DELETE', `/api/lead-fields/${field.id}`)).status).toBe(204);
      expect((await call('GET', `/api/leads/${lead.id}`)).body.customFields).toEqual({ region: 'EMEA' });
      const listed = (await call('GET', '/api/leads?q=legacy')).body.items[0];
      expect(listed.customFields).toEqual({ region: 'EMEA' });
      const [stored] = await t.db.query<{ custom_fields: Json }>('SELECT custom_fields FROM leads WHERE id = $1', [
        lead.id,
      ]);
      expect(stored.custom_fields).toEqual({ legacy_code: 'L-1', region: 'EMEA' });
      // Changing another field keeps the hidden value; writing the deleted key is refused.
      await call('PATCH', `/api/leads/${lead.id}`, { customFields: { region: 'APAC' } });
      const refused = await call('PATCH', `/api/leads/${lead.id}`, { customFields: { legacy_code: 'L-2' } });
      expect(refused.body.errors[0]).toMatchObject({ field: 'customFields.legacy_code' });
      await define({ key: 'legacy_code', label: 'Legacy again', type: 'text' });
      expect((await call('GET', `/api/leads/${lead.id}`)).body.customFields).toEqual({
        legacy_code: 'L-1',
        region: 'APAC',
      });
    });
  });

  describe('filters on custom fields', () => {
    beforeAll(async () => {
      const rows: [string, Record<string, unknown>][] = [
        ['f1@filter.example', { budget: 500, industry: 'Retail', vip: true, renewal: '2026-01-15', region: 'EMEA' }],
        ['f2@filter.example', { budget: 1500, industry: 'Finance', vip: false, renewal: '2026-06-01', region: 'EMEA' }],
        ['f3@filter.example', { budget: 1000, notes_text: 'Wants 50% off', region: 'APAC' }],
        ['f4@filter.example', { region: 'APAC', notes_text: 'call back' }],
      ];
      for (const [email, customFields] of rows) await createLead({ email, company: 'Filter Co', customFields });
      // A value of the wrong type written behind the API's back must not break numeric or date filters.
      await t.db.query(
        `INSERT INTO leads (organization_id, email, company, custom_fields)
         SELECT organization_id, 'f5@filter.example', 'Filter Co', '{"budget": "lots", "renewal": 20260101, "region": "EMEA"}'
           FROM leads WHERE email = 'f1@filter.example'`,
      );
    });
    const only = (query: string) => emails(`q=filter&${query}`);

    it('compares numbers numerically and dates in calendar order, skipping values of the wrong type', async () => {
      expect(await only('custom=budget:gte:1000')).toEqual(['f2@filter.example', 'f3@filter.example']);
      expect(await only('custom=budget:gt:999.5')).toEqual(['f2@filter.example', 'f3@filter.example']);
      expect(await only('custom=budget:lt:1000')).toEqual(['f1@filter.example']);
      expect(await only('custom=budget:lte:1000')).toEqual(['f1@filter.example', 'f3@filter.example']);
      expect(await only('custom=budget:eq:1000.0')).toEqual(['f3@filter.example']);
      expect(await only('custom=renewal:lt:2026-02-01')).toEqual(['f1@filter.example']);
      expect(await only('custom=renewal:gte:2026-01-15')).toEqual(['f1@filter.example', 'f2@filter.example']);
    });

    it('matches select, boolean and text values, emptiness, and combines conditions', async () => {
      expect(await only('custom=industry:eq:retail')).toEqual(['f1@filter.example']);
      expect(await only('custom=industry:neq:Retail')).toEqual([
        'f2@filter.example',
        'f3@filter.example',
        'f4@filter.example',
        'f5@filter.example',
      ]);
      expect(await only('custom=vip:eq:true')).toEqual(['f1@filter.example']);
      expect(await only('custom=vip:eq:false')).toEqual(['f2@filter.example']);
      expect(await only('custom=notes_text:contains:50%25')).toEqual(['f3@filter.example']);
      expect(await only('custom=notes_text:contains:%25')).toEqual(['f3@filter.example']); // % is literal
      expect(await only('custom=notes_text:contains:CALL')).toEqual(['f4@filter.example']);
      expect(await only('custom=budget:empty')).toEqual(['f4@filter.example']);
      expect(await only('custom=vip:notempty')).toEqual(['f1@filter.example', 'f2@filter.example']);
      expect(await only('custom=region:eq:EMEA&custom=budget:gt:100')).toEqual([
        'f1@filter.example',
        'f2@filter.example',
      ]);
      const count = await call('GET', '/api/leads/count?q=filter&custom=region:eq:APAC');
      expect(count.body).toEqual({ count: 2 });
    });

    it('names every condition that does not fit, and never lets a key reach the SQL', async () => {
      const cases: [string, RegExp][] = [
        ['gone:eq:1', /gone is not a custom field/],
        ['notes_text:gt:a', /gt does not apply to a text field/],
        ['budget:gte:lots', /must be a number/],
        ['renewal:lt:tomorrow', /YYYY-MM-DD/],
        ['industry:eq:Mining', /must be one of/],
        ['budget:gte', /needs a value/],
        ['vip:empty:1', /takes no value/],
        ["budget')::int; drop table leads;--:eq:1", /<key>:<op>/],
        ['budget:between:1', /<key>:<op>/],
      ];
      for (const [condition, reason] of cases) {
        const res = await call('GET', `/api/leads?custom=${encodeURIComponent(condition)}`);
        expectProblem(res, 400, 'validation_failed');
        expect(reasons(res.body)).toEqual([{ field: 'custom', reason: expect.stringMatching(reason) }]);
      }
      expect((await call('GET', '/api/leads/count?custom=gone:empty')).status).toBe(400);
    });

    it('saves views with custom conditions, validated against the fields', async () => {
      const view = await call('POST', '/api/lead-views', {
        name: 'Big budgets',
        filter: { q: 'filter', custom: ['budget:gte:1000'] },
      });
      expect(view.status).toBe(201);
      expect(view.body.filter).toEqual({ q: 'filter', custom: ['budget:gte:1000'] });
      const params = new URLSearchParams();
      params.set('q', view.body.filter.q);
      for (const c of view.body.filter.custom) params.append('custom', c);
      expect(await emails(params.toString())).toEqual(['f2@filter.example', 'f3@filter.example']);

      const unknown = await call('POST', '/api/lead-views', { name: 'Bad', filter: { custom: ['gone:eq:1'] } });
      expectProblem(unknown, 400, 'validation_failed');
      expect(unknown.body.errors).toEqual([
        { field: 'filter.custom', reason: 'gone:eq:1: gone is not a custom field of your organization' },
      ]);
      const malformed = await call('POST', '/api/lead-views', { name: 'Bad', filter: { custom: ['nonsense'] } });
      expect(problemFields(malformed)).toEqual(['filter.custom']);
      const update = await call('PUT', `/api/lead-views/${view.body.id}`, {
        name: 'Big budgets',
        filter: { custom: ['budget:contains:1'] },
      });
      expect(update.body.errors[0]).toMatchObject({ field: 'filter.custom' });
    });
  });

  it('allows up to 100 fields per organization', async () => {
    const [{ n }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lead_field_definitions
        WHERE organization_id = (SELECT organization_id FROM leads WHERE email = 'typed@example.com')`,
    );
    await t.db.query(
      `INSERT INTO lead_field_definitions (organization_id, key, label, type, position)
       SELECT (SELECT organization_id FROM leads WHERE email = 'typed@example.com'), 'bulk_' || g, 'Bulk ' || g, 'text', 100 + g
         FROM generate_series(1, $1::int) AS g`,
      [100 - n - 1],
    );
    await define({ key: 'the_last_one', label: 'Last', type: 'text' });
    const over = await call('POST', '/api/lead-fields', { key: 'one_too_many', label: 'X', type: 'text' });
    expectProblem(over, 409, 'field_limit_reached');
    expect((await call('GET', '/api/lead-fields')).body).toHaveLength(100);
  });
});

describe('lead scoring', () => {
  let t: TestApp;
  let api: ApiClient;
  let owner: string;
  let agent: string;

  const call = (method: string, path: string, body?: unknown, token = owner) =>
    api.request(method, path, { token, body });
  const scoreOf = async (id: string): Promise<number> =>
    ((await call('GET', `/api/leads/${id}`)).body as { score: number }).score;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t.baseUrl);
    owner = await t.login();
    agent = (await createSignedInUser(api, owner, Role.Agent)).token;
  });
  afterAll(() => t?.close());

  it('computes the score of a new lead from the documented rules, and recomputes it on change', async () => {
    const created = await call('POST', '/api/leads', {
      firstName: 'Ana',
      email: 'ana@score.example',
      source: 'referral',
    });
    expect(created.status).toBe(201);
    // email 10 + name 6, referral 20, created now 20, no engagement, no consent
    expect(created.body.score).toBe(56);
    const changed = await call('PATCH', `/api/leads/${created.body.id}`, {
      phone: '+442079460958',
      company: 'Acme',
      title: 'CEO',
      consentEmail: true,
    });
    expect(changed.body.score).toBe(56 + 6 + 4 + 4 + 6);
    expect(await scoreOf(created.body.id)).toBe(76);
  });

  it('refuses a score written by hand: it is computed', async () => {
    const res = await call('POST', '/api/leads', { email: 'hand@score.example', score: 99 });
    expectProblem(res, 400, 'validation_failed');
    expect(reasons(res.body)).toEqual([{ field: 'score', reason: 'is not an accepted field' }]);
  });

  it('rescores in the background after notes, without touching updated_at or the timeline', async () => {
    const lead = (await call('POST', '/api/leads', { email: 'notes@score.example', source: 'web' })).body;
    expect(lead.score).toBe(10 + 15 + 20);
    for (const body of ['Called.', 'Sent a quote.', 'Wants a demo.'])
      expect((await call('POST', `/api/leads/${lead.id}/notes`, { body })).status).toBe(201);
    await eventually(async () => ((await scoreOf(lead.id)) === 45 + 15 ? true : undefined));
    const after = (await call('GET', `/api/leads/${lead.id}`)).body;
    expect(after.updatedAt).toBe(lead.updatedAt);
    const timeline = await call('GET', `/api/leads/${lead.id}/activities`);
    expect((timeline.body.items as { type: string }[]).map((a) => a.type)).toEqual(['note', 'note', 'note', 'created']);
  });

  it('rescores every lead of the organization on request, without touching updated_at', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await call('POST', '/api/leads', { email: `bulk${i}@score.example`, source: 'api' })).body.id);
    const before = await t.db.query<{ id: string; score: number; updated_at: Date }>(
      'SELECT id, score, updated_at FROM leads WHERE id = ANY($1) ORDER BY id',
      [ids],
    );
    await t.db.query('UPDATE leads SET score = 0 WHERE id = ANY($1)', [ids]);
    expectProblem(await call('POST', '/api/leads/rescore', undefined, agent), 403, 'forbidden');
    const res = await call('POST', '/api/leads/rescore');
    expect(res.status).toBe(202);
    expect(res.body.jobId).toEqual(expect.any(String));
    const rows = await eventually(async () => {
      const r = await t.db.query<{ id: string; score: number; updated_at: Date }>(
        'SELECT id, score, updated_at FROM leads WHERE id = ANY($1) ORDER BY id',
        [ids],
      );
      return r.every((row) => row.score > 0) ? r : undefined;
    });
    expect(rows).toEqual(before);
    expect(rows[0].score).toBe(10 + 8 + 20);
  });
});

describe('lead scoring through BullMQ, in a worker', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        AppConfig.load({
          DATABASE_URL: t.db.url,
          REDIS_URL: redis.url,
          LOG_LEVEL: 'silent',
          JWT_SECRET: TEST_JWT_SECRET,
        }),
      ),
      { logger: false },
    );
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.stop();
  });

  it('runs the same rescore job in the worker process', async () => {
    const api = new ApiClient(t.baseUrl);
    const token = await t.login();
    const lead = (await api.post('/api/leads', { email: 'worker@score.example', source: 'web' }, { token })).body;
    expect(lead.score).toBe(45);
    await api.post(`/api/leads/${lead.id}/notes`, { body: 'Interested.' }, { token });
    await eventually(async () => {
      const res = await api.get(`/api/leads/${lead.id}`, { token });
      return res.body.score === 50 ? true : undefined;
    });
  });
});
