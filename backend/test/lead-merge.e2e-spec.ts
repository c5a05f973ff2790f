import { ApiClient, createSignedInUser, expectProblem, Json, problemFields, Role } from './support/auth-helpers';
import { eventually } from './support/processes';
import { startTestApp, TestApp } from './support/test-app';

interface Group {
  reason: string;
  confidence: number;
  key: string;
  size: number;
  leads: { id: string }[];
}

describe('lead duplicates and merging', () => {
  let t: TestApp;
  let token: string;
  let api: ApiClient;
  let foreignOrg: string;

  const call = (method: string, path: string, body?: unknown, auth = token) =>
    api.request(method, path, { token: auth, body });
  const create = async (body: Record<string, unknown>): Promise<Json> => {
    const res = await call('POST', '/api/leads', body);
    if (res.status !== 201) throw new Error(`create lead answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const foreignLead = async (values: Record<string, unknown>): Promise<string> => {
    const cols = Object.keys(values);
    const [{ id }] = await t.db.query<{ id: string }>(
      `INSERT INTO leads (organization_id, ${cols.join(', ')}) VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
      [foreignOrg, ...Object.values(values)],
    );
    return id;
  };
  /** Every group of the duplicates list, page by page. */
  const allGroups = async (query = '', limit = 1): Promise<Group[]> => {
    const groups: Group[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await call(
        'GET',
        `/api/leads/duplicates?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      groups.push(...(page.body.items as Group[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return groups;
  };
  const idsOf = (g: Group) => g.leads.map((l) => l.id).sort();

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t.baseUrl);
    token = await t.login();
    [{ id: foreignOrg }] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Other') RETURNING id`,
    );
  });
  afterAll(() => t?.close());

  it('an organization without duplicates gets an empty list', async () => {
    await create({ email: 'only@one.example', phone: '+442079460000', firstName: 'Only', company: 'One' });
    const res = await call('GET', '/api/leads/duplicates');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  describe('finding duplicates', () => {
    const lead: Record<string, Json> = {};

    beforeAll(async () => {
      // One Gmail mailbox written three ways; a plus tag elsewhere; dots elsewhere are not ignored.
      lead.gmail1 = await create({ firstName: 'Gil', email: 'gil.mour@gmail.com' });
      lead.gmail2 = await create({ firstName: 'Gil', email: 'GilMour+news@googlemail.com' });
      lead.plus1 = await create({ email: 'bo@shop.example' });
      lead.plus2 = await create({ email: 'bo+crm@shop.example' });
      lead.dots1 = await create({ email: 'd.k@shop.example' });
      lead.dots2 = await create({ email: 'dk@shop.example' });
      // One phone, typed two ways; the same number in another organization is not ours.
      lead.phone1 = await create({ lastName: 'Phone', phone: '+44 20 7946 0958' });
      lead.phone2 = await create({ lastName: 'Other', phone: '020 7946 0958', defaultCountry: 'GB' });
      await foreignLead({ phone: '+442079460958', email: 'gil.mour@gmail.com' });
      // One person at one company, written differently; and a near miss found only by similarity.
      lead.name1 = await create({ firstName: 'Ana', lastName: 'Lima', company: 'Acme Ltd' });
      lead.name2 = await create({ firstName: 'ana', lastName: 'LIMA', company: 'ACME' });
      lead.fuzzy = await create({ firstName: 'Anna', lastName: 'Lima', company: 'Acme, Inc.' });
      lead.namesake = await create({ firstName: 'Ana', lastName: 'Lima', company: 'Globex' });
      // A deleted lead is nobody's duplicate.
      lead.deleted = await create({ firstName: 'Ana', lastName: 'Lima', company: 'Acme' });
      expect((await call('DELETE', `/api/leads/${lead.deleted.id}`)).status).toBe(204);
    });

    it('groups live leads by mailbox, phone and name + company, each group once across pages', async () => {
      const groups = await allGroups();
      expect(groups.map((g) => [g.reason, g.key, g.size, g.confidence])).toEqual([
        ['email', 'bo@shop.example', 2, 0.9],
        ['email', 'gilmour@gmail.com', 2, 0.9],
        ['phone', '+442079460958', 2, 0.8],
        ['name_company', 'analima|acme', 2, 0.7],
      ]);
      expect(idsOf(groups[0])).toEqual([lead.plus1.id, lead.plus2.id].sort());
      expect(idsOf(groups[1])).toEqual([lead.gmail1.id, lead.gmail2.id].sort());
      expect(idsOf(groups[2])).toEqual([lead.phone1.id, lead.phone2.id].sort());
      expect(idsOf(groups[3])).toEqual([lead.name1.id, lead.name2.id].sort());
      // Same list in one page, and by reason.
      const onePage = await call('GET', '/api/leads/duplicates?limit=100');
      expect(onePage.body.nextCursor).toBeNull();
      expect((onePage.body.items as Group[]).map((g) => g.key)).toEqual(groups.map((g) => g.key));
      expect((await allGroups('&reason=phone')).map((g) => g.key)).toEqual(['+442079460958']);
      expect((await allGroups('&reason=name_company', 2)).map((g) => g.key)).toEqual(['analima|acme']);
      expect(groups[1].leads[0]).toMatchObject({ firstName: 'Gil', mergedIntoId: null });
    });

    it('lists the likely duplicates of one lead, most likely first, with every reason', async () => {
      const res = await call('GET', `/api/leads/${lead.name1.id}/duplicates`);
      expect(res.status).toBe(200);
      const items = res.body.items as { lead: { id: string }; confidence: number; matches: Json[] }[];
      expect(items.map((i) => i.lead.id)).toEqual([lead.name2.id, lead.fuzzy.id]);
      expect(items[0]).toMatchObject({ confidence: 0.7, matches: [{ reason: 'name_company', confidence: 0.7 }] });
      expect(items[1].confidence).toBeGreaterThan(0.4);
      expect(items[1].confidence).toBeLessThan(0.7);

      // Two reasons together are stronger than either.
      const both = await create({ firstName: 'Gil', lastName: 'Mour', company: 'Acme', phone: '+442079460958' });
      const twin = await create({ firstName: 'Gil', lastName: 'Mour', company: 'ACME Ltd', phone: '+442079460958' });
      const ranked = await call('GET', `/api/leads/${both.id}/duplicates?limit=2`);
      expect(ranked.body.items[0]).toMatchObject({
        lead: { id: twin.id },
        confidence: 0.94,
        matches: [
          { reason: 'phone', confidence: 0.8 },
          { reason: 'name_company', confidence: 0.7 },
        ],
      });
      expect(ranked.body.items).toHaveLength(2);
      expect((await call('GET', `/api/leads/${lead.gmail2.id}/duplicates`)).body.items).toEqual([
        expect.objectContaining({
          lead: expect.objectContaining({ id: lead.gmail1.id }),
          matches: [{ reason: 'email', confidence: 0.9 }],
        }),
      ]);
      expect((await call('GET', `/api/leads/${lead.dots1.id}/duplicates`)).body.items).toEqual([]);
      for (const id of [both.id, twin.id]) await call('DELETE', `/api/leads/${id}`);
    });

    it('answers 404 for a deleted lead or another organization, and names bad input', async () => {
      expectProblem(await call('GET', `/api/leads/${lead.deleted.id}/duplicates`), 404, 'not_found');
      const foreign = await foreignLead({ email: 'x@other.example' });
      expectProblem(await call('GET', `/api/leads/${foreign}/duplicates`), 404, 'not_found');
      expectProblem(await call('GET', '/api/leads/not-a-uuid/duplicates'), 400);
      const bad = await call('GET', '/api/leads/duplicates?reason=typo&limit=0');
      expectProblem(bad, 400, 'validation_failed');
      expect(problemFields(bad)).toEqual(['limit', 'reason']);
      const cursor = await call('GET', '/api/leads/duplicates?cursor=garbage');
      expect(problemFields(cursor)).toEqual(['cursor']);
      // A cursor of one reason is not a cursor of another.
      const page = await call('GET', '/api/leads/duplicates?limit=1&reason=email');
      const other = await call('GET', `/api/leads/duplicates?reason=phone&cursor=${page.body.nextCursor}`);
      expect(problemFields(other)).toEqual(['cursor']);
      expect(problemFields(await call('GET', `/api/leads/${lead.name1.id}/duplicates?limit=51`))).toEqual(['limit']);
    });
  });

  describe('merge preview and merge', () => {
    let survivor: Json;
    let merged: Json;

    beforeAll(async () => {
      for (const [key, type] of [
        ['plan', 'text'],
        ['seats', 'number'],
        ['region', 'text'],
      ]) {
        expect((await call('POST', '/api/lead-fields', { key, label: key, type })).status).toBe(201);
      }
      survivor = await create({
        firstName: 'Ana',
        email: 'ana@survivor.example',
        company: 'Acme',
        status: 'contacted',
        tags: ['vip', 'emea'],
        customFields: { plan: 'pro', seats: null },
        consentEmail: true,
      });
      merged = await create({
        firstName: 'Ana Maria',
        lastName: 'Lima',
        email: 'ana.lima@merged.example',
        phone: '+447911123456',
        company: 'Acme Ltd',
        title: 'CTO',
        source: 'web',
        status: 'qualified',
        tags: ['emea', 'hot'],
        customFields: { plan: 'free', seats: 12, region: 'north' },
        consentWhatsapp: true,
      });
      await call('POST', `/api/leads/${merged.id}/notes`, { body: 'Met at the fair.' });
      // Unsubscribes come from campaigns, not from the API: set them as they would be.
      await t.db.query(`UPDATE leads SET unsubscribed_at = '2024-03-04T00:00:00Z' WHERE id = $1`, [survivor.id]);
      await t.db.query(`UPDATE leads SET unsubscribed_at = '2024-01-02T00:00:00Z' WHERE id = $1`, [merged.id]);
      // The note asks for a rescore of the merged lead in the background: let it land first.
      const scoredAtCreation = merged.score as number;
      merged = await eventually(async () => {
        const now = (await call('GET', `/api/leads/${merged.id}`)).body as { score: number };
        return now.score !== scoredAtCreation ? now : undefined;
      });
      survivor = (await call('GET', `/api/leads/${survivor.id}`)).body;
      // The scores are computed (docs/leads.md); the merged lead's is the higher here.
      expect(merged.score).toBeGreaterThan(survivor.score);
    });

    it('previews each field: the survivor unless empty, tags and custom fields combined, consent with its address', async () => {
      const res = await call('POST', '/api/leads/merge/preview', { survivorId: survivor.id, mergedId: merged.id });
      expect(res.status).toBe(200);
      const table = Object.fromEntries(
        (res.body.fields as Json[]).map((f) => [f.field, [f.result, f.from, f.rule, f.changed]]),
      );
      expect(table).toEqual({
        firstName: ['Ana', 'survivor', 'survivor_unless_empty', false],
        lastName: ['Lima', 'merged', 'survivor_unless_empty', true],
        email: ['ana@survivor.example', 'survivor', 'survivor_unless_empty', false],
        phone: ['+447911123456', 'merged', 'survivor_unless_empty', true],
        company: ['Acme', 'survivor', 'survivor_unless_empty', false],
        title: ['CTO', 'merged', 'survivor_unless_empty', true],
        ownerId: [null, 'survivor', 'survivor_unless_empty', false],
        source: ['web', 'merged', 'survivor_unless_other', true],
        status: ['contacted', 'survivor', 'survivor', false],
        score: [merged.score, 'merged', 'highest', true],
        tags: [['vip', 'emea', 'hot'], 'both', 'union', true],
        'customFields.plan': ['pro', 'survivor', 'survivor_unless_empty', false],
        'customFields.region': ['north', 'merged', 'survivor_unless_empty', true],
        'customFields.seats': [12, 'merged', 'survivor_unless_empty', true],
        consentEmail: [true, 'survivor', 'follows_email', false],
        // The survivor had no phone: it takes the merged lead's, with the consent given for it.
        consentWhatsapp: [true, 'merged', 'follows_phone', true],
        unsubscribedAt: ['2024-01-02T00:00:00.000Z', 'merged', 'earliest', true],
      });
      const email = (res.body.fields as Json[]).find((f) => f.field === 'email');
      expect(email).toMatchObject({
        survivorValue: 'ana@survivor.example',
        mergedValue: 'ana.lima@merged.example',
        choices: ['survivor', 'merged'],
      });
      expect((res.body.fields as Json[]).find((f) => f.field === 'consentEmail').choices).toEqual([]);
      expect(res.body.activitiesToMove).toBe(2); // created + the note
      expect(res.body.survivor).toEqual(survivor);
      expect(res.body.merged).toEqual(merged);
      expect(res.body.result).toMatchObject({
        id: survivor.id,
        lastName: 'Lima',
        tags: ['vip', 'emea', 'hot'],
        customFields: { plan: 'pro', seats: 12, region: 'north' },
        consentEmail: true,
        consentWhatsapp: true,
        unsubscribedAt: '2024-01-02T00:00:00.000Z',
      });

      // Choices: the merged lead's email brings its own (absent) consent, never the survivor's.
      const chosen = await call('POST', '/api/leads/merge/preview', {
        survivorId: survivor.id,
        mergedId: merged.id,
        fields: { email: 'merged', tags: 'survivor', 'customFields.plan': 'merged', score: 'survivor' },
      });
      expect(chosen.body.result).toMatchObject({
        email: 'ana.lima@merged.example',
        consentEmail: false,
        tags: ['vip', 'emea'],
        customFields: { plan: 'free', seats: 12, region: 'north' },
        score: survivor.score,
      });
      expect((chosen.body.fields as Json[]).find((f) => f.field === 'email')).toMatchObject({
        from: 'merged',
        rule: 'chosen',
      });
      // A preview changes nothing.
      expect((await call('GET', `/api/leads/${survivor.id}`)).body).toEqual(survivor);
      expect((await call('GET', `/api/leads/${merged.id}`)).body).toEqual(merged);
    });

    it('merges: every value kept, email handed over, timeline moved, merged activity and audit written', async () => {
      const res = await call('POST', '/api/leads/merge', {
        survivorId: survivor.id,
        mergedId: merged.id,
        fields: { email: 'merged' },
      });
      expect(res.status).toBe(200);
      expect(res.body.movedActivities).toBe(2);
      expect(res.body.survivor).toMatchObject({
        id: survivor.id,
        firstName: 'Ana',
        lastName: 'Lima',
        // The merged lead's email moved over in the same transaction: the unique index allowed it.
        email: 'ana.lima@merged.example',
        phone: '+447911123456',
        company: 'Acme',
        title: 'CTO',
        source: 'web',
        status: 'contacted',
        score: merged.score,
        tags: ['vip', 'emea', 'hot'],
        customFields: { plan: 'pro', seats: 12, region: 'north' },
        consentEmail: false,
        consentWhatsapp: true,
        unsubscribedAt: '2024-01-02T00:00:00.000Z',
        deletedAt: null,
        mergedIntoId: null,
      });
      expect(res.body.merged).toMatchObject({ id: merged.id, mergedIntoId: survivor.id });
      expect(res.body.merged.deletedAt).toEqual(expect.any(String));
      expect([...(res.body.changedFields as string[])].sort()).toEqual(
        [
          'lastName',
          'email',
          'phone',
          'title',
          'source',
          'score',
          'tags',
          'customFields.region',
          'customFields.seats',
          'consentEmail',
          'consentWhatsapp',
          'unsubscribedAt',
        ].sort(),
      );
      expect((await call('GET', `/api/leads/${survivor.id}`)).body).toEqual(res.body.survivor);
      expect((await call('GET', `/api/leads/${merged.id}`)).status).toBe(404);
      const bin = await call('GET', '/api/leads?deleted=true&limit=200');
      expect((bin.body.items as Json[]).find((l) => l.id === merged.id)).toMatchObject({ mergedIntoId: survivor.id });

      // The survivor's timeline: the merge on top, with a snapshot of every value of the merged lead,
      // then the merged lead's own entries (marked), then the survivor's.
      const timeline = (await call('GET', `/api/leads/${survivor.id}/activities`)).body.items as Json[];
      expect(timeline.map((a): unknown[] => [a.type, a.data.movedFromLeadId ?? null])).toEqual([
        ['merged', null],
        ['note', merged.id],
        ['created', merged.id],
        ['created', null],
      ]);
      expect(timeline[0].data).toEqual({
        mergedLeadId: merged.id,
        movedActivities: 2,
        snapshot: merged,
        changes: expect.objectContaining({
          email: { from: 'ana@survivor.example', to: 'ana.lima@merged.example' },
          tags: { from: ['vip', 'emea'], to: ['vip', 'emea', 'hot'] },
          'customFields.seats': { from: null, to: 12 },
        }),
      });
      expect(timeline[1].data.body).toBe('Met at the fair.');
      const gone = (await call('GET', `/api/leads/${merged.id}/activities`)).body.items as Json[];
      expect(gone).toEqual([expect.objectContaining({ type: 'merged_into', data: { mergedIntoId: survivor.id } })]);

      const audit = await call('GET', `/api/audit?entityType=lead&entityId=${survivor.id}&action=lead.merged`);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0].changes).toMatchObject({
        mergedLeadId: merged.id,
        movedActivities: 2,
        fields: {
          email: { from: 'ana@survivor.example', to: 'ana.lima@merged.example' },
          score: { from: survivor.score, to: merged.score },
          consentEmail: { from: true, to: false },
          unsubscribedAt: { from: '2024-03-04T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' },
        },
      });
      expect(audit.body.items[0].changes.fields.firstName).toBeUndefined();

      // The survivor's former email is free; the merged lead cannot come back, nor be merged again.
      expect((await call('POST', '/api/leads', { email: 'ana@survivor.example' })).status).toBe(201);
      const restore = await call('POST', `/api/leads/${merged.id}/restore`);
      expectProblem(restore, 409, 'lead_merged');
      expect(restore.body.mergedIntoId).toBe(survivor.id);
      const again = await call('POST', '/api/leads/merge', { survivorId: survivor.id, mergedId: merged.id });
      expectProblem(again, 409, 'lead_merged');
      expect(problemFields(again)).toEqual(['mergedId']);
      const reverse = await call('POST', '/api/leads/merge/preview', { survivorId: merged.id, mergedId: survivor.id });
      expectProblem(reverse, 409, 'lead_merged');
      expect(problemFields(reverse)).toEqual(['survivorId']);
    });

    it('refuses a deleted lead, a lead into itself, and another organization’s leads', async () => {
      const a = await create({ email: 'a@refuse.example' });
      const b = await create({ email: 'b@refuse.example' });
      await call('DELETE', `/api/leads/${b.id}`);
      const deleted = await call('POST', '/api/leads/merge', { survivorId: a.id, mergedId: b.id });
      expectProblem(deleted, 409, 'lead_deleted');
      expect(problemFields(deleted)).toEqual(['mergedId']);
      const self = await call('POST', '/api/leads/merge', { survivorId: a.id, mergedId: a.id });
      expectProblem(self, 400, 'validation_failed');
      expect(self.body.errors).toEqual([
        expect.objectContaining({ field: 'mergedId', reason: 'must be another lead than survivorId' }),
      ]);
      const foreign = await foreignLead({ email: 'f@other.example', tags: ['theirs'] });
      for (const path of ['/api/leads/merge', '/api/leads/merge/preview']) {
        expectProblem(await call('POST', path, { survivorId: a.id, mergedId: foreign }), 404, 'not_found');
        expectProblem(await call('POST', path, { survivorId: foreign, mergedId: a.id }), 404, 'not_found');
      }
      const [theirs] = await t.db.query<{ deleted_at: Date | null; tags: string[] }>(
        'SELECT deleted_at, tags FROM leads WHERE id = $1',
        [foreign],
      );
      expect(theirs).toEqual({ deleted_at: null, tags: ['theirs'] });
      const ours = await call('GET', `/api/leads/${a.id}/activities`);
      expect((ours.body.items as { type: string }[]).map((x) => x.type)).toEqual(['created']);
    });

    it('names each invalid field', async () => {
      const a = await create({ email: 'a@valid.example', customFields: { plan: 'pro' } });
      const b = await create({ email: 'b@valid.example' });
      const cases: [unknown, string[]][] = [
        [{}, ['mergedId', 'survivorId']],
        [{ survivorId: 'x', mergedId: b.id, organizationId: a.id }, ['organizationId', 'survivorId']],
        [{ survivorId: a.id, mergedId: b.id, fields: 'email' }, ['fields']],
        [
          {
            survivorId: a.id,
            mergedId: b.id,
            fields: {
              nope: 'survivor',
              email: 'both',
              tags: 'neither',
              consentEmail: 'merged',
              unsubscribedAt: 'merged',
            },
          },
          ['fields.consentEmail', 'fields.email', 'fields.nope', 'fields.tags', 'fields.unsubscribedAt'],
        ],
        [
          { survivorId: a.id, mergedId: b.id, fields: { 'customFields.missing': 'merged' } },
          ['fields.customFields.missing'],
        ],
      ];
      for (const [body, fields] of cases) {
        for (const path of ['/api/leads/merge', '/api/leads/merge/preview']) {
          const res = await call('POST', path, body);
          expectProblem(res, 400, 'validation_failed');
          expect(problemFields(res)).toEqual(fields);
        }
      }
      const consent = await call('POST', '/api/leads/merge/preview', {
        survivorId: a.id,
        mergedId: b.id,
        fields: { consentEmail: 'merged' },
      });
      expect(consent.body.errors[0].reason).toBe('follows the email that is kept: choose email instead');
      // Nothing happened to either lead.
      expect((await call('GET', `/api/leads/${b.id}`)).status).toBe(200);
    });
  });

  it('two merges of the same leads at once: one wins, the other is refused, nothing is corrupted', async () => {
    for (let round = 0; round < 4; round++) {
      const a = await create({ email: `a${round}@race.example`, tags: ['a'] });
      const b = await create({ email: `b${round}@race.example`, tags: ['b'] });
      await call('POST', `/api/leads/${b.id}/notes`, { body: 'note on b' });
      await call('POST', `/api/leads/${a.id}/notes`, { body: 'note on a' });
      // Same direction on even rounds, opposite directions on odd ones (the lock order must not deadlock).
      const second = round % 2 === 0 ? { survivorId: a.id, mergedId: b.id } : { survivorId: b.id, mergedId: a.id };
      const results = await Promise.all([
        call('POST', '/api/leads/merge', { survivorId: a.id, mergedId: b.id, fields: { email: 'merged' } }),
        call('POST', '/api/leads/merge', { ...second, fields: { email: 'merged' } }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expectProblem(loser, 409, 'lead_merged');
      const winner = results.find((r) => r.status === 200)!.body;
      const rows = await t.db.query<{
        id: string;
        deleted_at: Date | null;
        merged_into_id: string | null;
        email: string;
      }>('SELECT id, deleted_at, merged_into_id, email FROM leads WHERE id = ANY($1) ORDER BY deleted_at NULLS FIRST', [
        [a.id, b.id],
      ]);
      expect(rows.map((r) => [r.id, r.deleted_at === null, r.merged_into_id])).toEqual([
        [winner.survivor.id, true, null],
        [winner.merged.id, false, winner.survivor.id],
      ]);
      // Every activity is somewhere, once: 2 created + 2 notes + merged + merged_into.
      const acts = await t.db.query<{ lead_id: string; type: string }>(
        'SELECT lead_id, type FROM lead_activities WHERE lead_id = ANY($1)',
        [[a.id, b.id]],
      );
      expect(acts).toHaveLength(6);
      expect(acts.filter((x) => x.type === 'merged')).toEqual([{ lead_id: winner.survivor.id, type: 'merged' }]);
      expect(acts.filter((x) => x.lead_id === winner.merged.id)).toEqual([
        { lead_id: winner.merged.id, type: 'merged_into' },
      ]);
      expect([...(winner.survivor.tags as string[])].sort()).toEqual(['a', 'b']);
      expect(winner.survivor.email).toBe(winner.merged.email);
    }
  });

  it('role limits: viewers and agents find duplicates and preview, only who may delete leads merges', async () => {
    const [viewer, agent, manager] = await Promise.all(
      [Role.Viewer, Role.Agent, Role.Manager].map((role) => createSignedInUser(api, token, role)),
    );
    const a = await create({ email: 'a@roles.example' });
    const b = await create({ email: 'b@roles.example' });
    const pair = { survivorId: a.id, mergedId: b.id };
    for (const user of [viewer, agent]) {
      expect((await call('GET', '/api/leads/duplicates', undefined, user.token)).status).toBe(200);
      expect((await call('GET', `/api/leads/${a.id}/duplicates`, undefined, user.token)).status).toBe(200);
      expect((await call('POST', '/api/leads/merge/preview', pair, user.token)).status).toBe(200);
      const refused = await call('POST', '/api/leads/merge', pair, user.token);
      expectProblem(refused, 403, 'forbidden');
      expect(refused.body.detail).toContain('leads:delete');
    }
    expect((await call('GET', `/api/leads/${b.id}`)).status).toBe(200);
    expect((await call('POST', '/api/leads/merge', pair, manager.token)).status).toBe(200);
  });
});
