import { ApiClient, Json } from './support/auth-helpers';
import { startTestApp, TestApp } from './support/test-app';

/**
 * `lead_audience`, the narrow copy of the live leads that the audience count
 * scans, is kept by triggers. After every kind of change to leads and
 * suppressions (API and plain SQL), it must equal what it is computed from:
 * the same SELECT as the migration's backfill.
 */
const EXPECTED = `
  SELECT l.organization_id, l.score, l.email IS NOT NULL AS has_email, l.phone IS NOT NULL AS has_phone,
    l.consent_email, l.consent_whatsapp, l.unsubscribed_at IS NULL AS subscribed,
    EXISTS (SELECT 1 FROM suppressions s
            WHERE s.organization_id = l.organization_id AND s.channel = 'email' AND s.address = lower(l.email)) AS email_suppressed,
    EXISTS (SELECT 1 FROM suppressions s
            WHERE s.organization_id = l.organization_id AND s.channel = 'whatsapp' AND s.address = l.phone) AS whatsapp_suppressed,
    l.created_at, l.id AS lead_id, l.owner_id, l.status, l.source, l.tags
  FROM leads l WHERE l.deleted_at IS NULL AND l.merged_into_id IS NULL`;
const ACTUAL = `
  SELECT organization_id, score, has_email, has_phone, consent_email, consent_whatsapp, subscribed, email_suppressed,
    whatsapp_suppressed, created_at, lead_id, owner_id, status, source, tags FROM lead_audience`;

describe('lead audience projection (what the audience count scans)', () => {
  let t: TestApp;
  let api: ApiClient;
  let token: string;
  let orgId: string;

  const call = (method: string, path: string, body?: unknown) => api.request(method, path, { token, body });
  const create = async (body: Record<string, unknown>): Promise<Json> => {
    const res = await call('POST', '/api/leads', body);
    if (res.status !== 201) throw new Error(`create lead answered ${res.status}: ${res.text}`);
    return res.body;
  };
  /** Rows missing from the projection, and rows it has that it should not (both empty when in step). */
  const drift = async () => {
    const missing = await t.db.query(`${EXPECTED} EXCEPT ${ACTUAL}`);
    const extra = await t.db.query(`${ACTUAL} EXCEPT ${EXPECTED}`);
    return { missing, extra };
  };
  const inStep = async () => expect(await drift()).toEqual({ missing: [], extra: [] });
  const row = async (id: string) =>
    (
      await t.db.query<Record<string, unknown>>(
        `SELECT *, xmin::text AS version FROM lead_audience WHERE lead_id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t.baseUrl);
    token = await t.login();
    [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
  });
  afterAll(() => t?.close());

  it('follows creates, edits, bulk changes, deletes, restores, merges and upserts of leads', async () => {
    await t.db.query(
      `INSERT INTO leads (organization_id, first_name, email, phone, tags, consent_email, score)
       SELECT $1, 'Bulk ' || g, 'bulk-' || g || '@audience.test', CASE WHEN g % 2 = 0 THEN '+1415666' || lpad(g::text, 4, '0') END,
              ARRAY['bulk'], g % 3 = 0, g FROM generate_series(1, 50) g`,
      [orgId],
    );
    const a = await create({ firstName: 'Ana', email: 'ana@audience.test', consentEmail: true, tags: ['vip'] });
    const b = await create({ firstName: 'Ben', phone: '+14155550100', consentWhatsapp: true });
    await inStep();
    expect((await t.db.query(`SELECT count(*)::int AS n FROM lead_audience`))[0].n).toBe(52);

    // Edits through the API, one projected column after another.
    expect((await call('PATCH', `/api/leads/${a.id}`, { status: 'qualified', tags: ['vip', 'emea'] })).status).toBe(
      200,
    );
    expect((await call('PATCH', `/api/leads/${b.id}`, { email: 'ben@audience.test', consentEmail: true })).status).toBe(
      200,
    );
    await inStep();
    expect(await row(a.id as string)).toMatchObject({ status: 'qualified', tags: ['vip', 'emea'] });

    // An edit of a column the count does not read leaves the row as it was (not rewritten).
    const before = await row(a.id as string);
    await t.db.query(`UPDATE leads SET first_name = 'Ana Maria', updated_at = now() WHERE id = $1`, [a.id]);
    expect((await row(a.id as string)).version).toBe(before.version);

    // Bulk changes in SQL, as the bulk task and the scorer write them.
    await t.db.query(`UPDATE leads SET status = 'contacted', score = score + 7 WHERE 'bulk' = ANY(tags)`);
    await t.db.query(`UPDATE leads SET unsubscribed_at = now() WHERE 'bulk' = ANY(tags) AND score > 40`);
    await inStep();

    // Recycle bin and back, through the API.
    expect((await call('DELETE', `/api/leads/${a.id}`)).status).toBe(204);
    expect(await row(a.id as string)).toBeUndefined();
    await inStep();
    expect((await call('POST', `/api/leads/${a.id}/restore`)).status).toBe(200);
    expect(await row(a.id as string)).toMatchObject({ status: 'qualified', has_email: true });
    await inStep();

    // A merge retires the merged lead.
    const dup = await create({ firstName: 'Ana', lastName: 'Dup', email: 'ana.dup@audience.test' });
    const merged = await call('POST', '/api/leads/merge', { survivorId: a.id, mergedId: dup.id });
    expect(merged.status).toBe(200);
    expect(await row(dup.id as string)).toBeUndefined();
    await inStep();

    // An upsert (the importer's INSERT ... ON CONFLICT DO UPDATE) and a hard delete.
    await t.db.query(
      `INSERT INTO leads (id, organization_id, first_name, email, score) VALUES ($1, $2, 'Ben', 'ben@audience.test', 99)
       ON CONFLICT (id) DO UPDATE SET score = excluded.score`,
      [b.id, orgId],
    );
    expect(await row(b.id as string)).toMatchObject({ score: 99 });
    await t.db.query(`DELETE FROM leads WHERE first_name = 'Bulk 1'`);
    await inStep();
  });

  it('follows the suppression list: added, removed, and a lead whose address changes onto it', async () => {
    const c = await create({ firstName: 'Cleo', email: 'Cleo@Audience.test', phone: '+14155550123' });
    const add = await call('POST', '/api/suppressions', { channel: 'email', address: 'cleo@audience.test' });
    expect(add.status).toBe(201);
    expect(await row(c.id as string)).toMatchObject({ email_suppressed: true, whatsapp_suppressed: false });
    await t.db.query(
      `INSERT INTO suppressions (organization_id, channel, address, reason) VALUES ($1, 'whatsapp', '+14155550123', 'manual')`,
      [orgId],
    );
    expect(await row(c.id as string)).toMatchObject({ email_suppressed: true, whatsapp_suppressed: true });
    await inStep();

    // Another organization's list does not touch this organization's leads.
    const [other] = await t.db.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Other') RETURNING id`);
    await t.db.query(
      `INSERT INTO suppressions (organization_id, channel, address, reason) VALUES ($1, 'email', 'dora@audience.test', 'manual')`,
      [other.id],
    );
    const d = await create({ firstName: 'Dora', email: 'dora@audience.test' });
    expect(await row(d.id as string)).toMatchObject({ email_suppressed: false });

    // Removing the address from the list clears the flag; moving a lead onto a listed address sets it.
    expect((await call('DELETE', `/api/suppressions/${add.body.id}`)).status).toBe(204);
    expect(await row(c.id as string)).toMatchObject({ email_suppressed: false, whatsapp_suppressed: true });
    await t.db.query(
      `INSERT INTO suppressions (organization_id, channel, address, reason) VALUES ($1, 'email', 'listed@audience.test', 'manual')`,
      [orgId],
    );
    expect((await call('PATCH', `/api/leads/${d.id}`, { email: 'LISTED@audience.test' })).status).toBe(200);
    expect(await row(d.id as string)).toMatchObject({ email_suppressed: true });
    await inStep();

    // The count reads the projection, also when the filter needs the lead's own row (search).
    const counted = await call('POST', '/api/audiences/count', { channel: 'email', filter: { q: 'dora' } });
    expect(counted.body).toEqual({ matching: 1, eligible: 0, excluded: { noAddress: 0, noConsent: 1, suppressed: 0 } });
  });
});
