import type { EntityManager } from 'typeorm';
import { NO_ENGAGEMENT, scoreLead } from './lead-scoring';
import { LeadActivityType } from './lead-activity.entity';
import { BatchPlan, DuplicatePolicy, LeadRow, RowFailure } from './lead-import-rows';
import { LeadSource } from './lead.entity';

/** Outcome of every row read: created + updated + skipped + failed = rows read. */
export interface ImportCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export const emptyCounts = (): ImportCounts => ({ created: 0, updated: 0, skipped: 0, failed: 0 });

export function addCounts(into: ImportCounts, more: ImportCounts): void {
  into.created += more.created;
  into.updated += more.updated;
  into.skipped += more.skipped;
  into.failed += more.failed;
}

export interface BatchContext {
  organizationId: string;
  policy: DuplicatePolicy;
  /** Source of created leads whose row names none. */
  defaultSource: LeadSource;
  taskId: string;
  fileName: string;
  actor: { id: string | null; label: string };
}

/** The columns of LeadRow as jsonb_to_recordset reads them. */
const RECORD = `x("row" int, first_name text, last_name text, email text, phone text, company text, title text,
  source text, status text, score smallint, tags text[], custom_fields jsonb, consent_email boolean, consent_whatsapp boolean)`;

/**
 * New leads get their score as they are inserted: a new lead has no
 * engagement yet and was touched just now, so the rules of lead-scoring.ts
 * need nothing but the row (the same score a rescore would compute).
 */
function withScores(rows: LeadRow[], defaultSource: LeadSource) {
  const now = new Date();
  return rows.map(({ values: _values, ...row }) => ({
    ...row,
    score: scoreLead(
      {
        firstName: row.first_name,
        lastName: row.last_name,
        email: row.email,
        phone: row.phone,
        company: row.company,
        title: row.title,
        source: row.source ?? defaultSource,
        consentEmail: row.consent_email ?? false,
        consentWhatsapp: row.consent_whatsapp ?? false,
        unsubscribedAt: null,
        createdAt: now,
        updatedAt: now,
      },
      NO_ENGAGEMENT,
      now,
    ).score,
  }));
}

const asJson = (rows: LeadRow[]) => JSON.stringify(rows.map(({ values: _values, ...row }) => row));

export const emailTakenReason = (email: string) => `email: ${email} is already used by another lead`;

/**
 * Writes one planned batch in the caller's transaction: new leads in one
 * multi-row INSERT that skips emails already taken (ON CONFLICT on the
 * unique email index, so concurrent imports cannot double a lead); then,
 * by policy, the taken ones are skipped, updated (given cells overwrite,
 * tags and custom fields add up) or failed. Each lead touched gets an
 * `imported` timeline entry; failed rows go to lead_import_failures.
 */
export async function writeBatch(
  manager: EntityManager,
  ctx: BatchContext,
  plan: BatchPlan,
  readFailures: RowFailure[],
  /** Receives the ids of the leads updated (to score them again once committed; new leads are scored here). */
  leadIds: string[] = [],
): Promise<ImportCounts> {
  const counts: ImportCounts = { created: 0, updated: plan.merged, skipped: plan.skipped, failed: 0 };
  const failures = [...readFailures, ...plan.failures];
  const touched: { id: string; outcome: 'created' | 'updated' }[] = [];

  if (plan.rows.length > 0) {
    const inserted = await manager.query<{ id: string; email: string | null }[]>(
      `INSERT INTO leads (organization_id, first_name, last_name, email, phone, company, title, source, status, score,
                          tags, custom_fields, consent_email, consent_whatsapp)
       SELECT $1, x.first_name, x.last_name, x.email, x.phone, x.company, x.title, coalesce(x.source, $3),
              coalesce(x.status, 'new'), coalesce(x.score, 0), coalesce(x.tags, '{}'), coalesce(x.custom_fields, '{}'),
              coalesce(x.consent_email, false), coalesce(x.consent_whatsapp, false)
       FROM jsonb_to_recordset($2::jsonb) AS ${RECORD}
       ORDER BY x."row"
       ON CONFLICT (organization_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL DO NOTHING
       RETURNING id, email`,
      [ctx.organizationId, JSON.stringify(withScores(plan.rows, ctx.defaultSource)), ctx.defaultSource],
    );
    counts.created = inserted.length;
    for (const r of inserted) touched.push({ id: r.id, outcome: 'created' });
    const insertedEmails = new Set(inserted.map((r) => r.email));
    const taken = plan.rows.filter((r) => r.email !== null && !insertedEmails.has(r.email));

    if (ctx.policy === DuplicatePolicy.Skip) {
      counts.skipped += taken.length;
    } else if (ctx.policy === DuplicatePolicy.Create) {
      for (const r of taken) failures.push({ row: r.row, reason: emailTakenReason(r.email!), values: r.values });
    } else if (taken.length > 0) {
      const updated = await manager.query<[{ id: string; email: string }[], number]>(
        `UPDATE leads l SET
           first_name = coalesce(x.first_name, l.first_name), last_name = coalesce(x.last_name, l.last_name),
           phone = coalesce(x.phone, l.phone), company = coalesce(x.company, l.company),
           title = coalesce(x.title, l.title), source = coalesce(x.source, l.source),
           status = coalesce(x.status, l.status),
           tags = ARRAY(SELECT t FROM unnest(l.tags || coalesce(x.tags, '{}')) WITH ORDINALITY AS u(t, n)
                        GROUP BY t ORDER BY min(n)),
           custom_fields = l.custom_fields || coalesce(x.custom_fields, '{}'),
           consent_email = coalesce(x.consent_email, l.consent_email),
           consent_whatsapp = coalesce(x.consent_whatsapp, l.consent_whatsapp),
           updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS ${RECORD}
         WHERE l.organization_id = $1 AND l.deleted_at IS NULL AND l.email IS NOT NULL AND lower(l.email) = x.email
         RETURNING l.id, x.email`,
        [ctx.organizationId, asJson(taken)],
      );
      const rows = updated[0];
      counts.updated += rows.length;
      for (const r of rows) touched.push({ id: r.id, outcome: 'updated' });
      const done = new Set<string | null>(rows.map((r) => r.email));
      // Taken a moment ago, gone now (deleted by someone meanwhile): say so rather than guess.
      for (const r of taken.filter((t) => !done.has(t.email)))
        failures.push({
          row: r.row,
          reason: `email: the lead with ${r.email} was deleted during the import; import this row again`,
          values: r.values,
        });
    }
  }

  for (const t of touched) if (t.outcome === 'updated') leadIds.push(t.id);
  if (touched.length > 0) {
    await manager.query(
      `INSERT INTO lead_activities (organization_id, lead_id, type, actor_id, actor_label, data)
       SELECT $1, x.id, $2, $3, $4, jsonb_build_object('taskId', $5::text, 'file', $6::text, 'outcome', x.outcome)
       FROM jsonb_to_recordset($7::jsonb) AS x(id uuid, outcome text)`,
      [
        ctx.organizationId,
        LeadActivityType.Imported,
        ctx.actor.id,
        ctx.actor.label,
        ctx.taskId,
        ctx.fileName,
        JSON.stringify(touched),
      ],
    );
  }
  if (failures.length > 0) {
    await manager.query(
      `INSERT INTO lead_import_failures (task_id, row_number, reason, cells)
       SELECT $1, x."row", x.reason, x.cells FROM jsonb_to_recordset($2::jsonb) AS x("row" int, reason text, cells jsonb)
       ON CONFLICT DO NOTHING`,
      [ctx.taskId, JSON.stringify(failures.map((f) => ({ row: f.row, reason: f.reason, cells: f.values })))],
    );
  }
  counts.failed = failures.length;
  return counts;
}

/**
 * What writeBatch would do, without writing: the same plan, and one SELECT
 * for the emails already taken. Returns the counts and the failures.
 */
export async function simulateBatch(
  manager: EntityManager,
  organizationId: string,
  policy: DuplicatePolicy,
  plan: BatchPlan,
  readFailures: RowFailure[],
): Promise<{ counts: ImportCounts; failures: RowFailure[] }> {
  const failures = [...readFailures, ...plan.failures];
  const counts: ImportCounts = { created: 0, updated: plan.merged, skipped: plan.skipped, failed: 0 };
  const emails = plan.rows.map((r) => r.email).filter((e): e is string => e !== null);
  const taken = new Set<string>();
  if (emails.length > 0) {
    const rows = await manager.query<{ email: string }[]>(
      `SELECT lower(email) AS email FROM leads
       WHERE organization_id = $1 AND deleted_at IS NULL AND email IS NOT NULL AND lower(email) = ANY($2::text[])`,
      [organizationId, emails],
    );
    for (const r of rows) taken.add(r.email);
  }
  for (const row of plan.rows) {
    if (row.email === null || !taken.has(row.email)) counts.created++;
    else if (policy === DuplicatePolicy.Skip) counts.skipped++;
    else if (policy === DuplicatePolicy.Update) counts.updated++;
    else failures.push({ row: row.row, reason: emailTakenReason(row.email), values: row.values });
  }
  failures.sort((a, b) => a.row - b.row);
  counts.failed = failures.length;
  return { counts, failures };
}
