import type { EntityManager } from 'typeorm';
import type { CustomFieldValidator } from './custom-fields';
import { BulkAction } from './dto/lead-bulk.dto';
import { applyLeadFilter, LeadFilter } from './lead-filter';
import { LeadActivityType } from './lead-activity.entity';
import { Lead, LeadStatus } from './lead.entity';

/** What to do to each selected lead (the validated body, minus the selection). */
export interface BulkOperation {
  action: BulkAction;
  status?: LeadStatus;
  ownerId?: string | null;
  tags?: string[];
}

/** Who did it, for the timeline. */
export interface BulkActor {
  id: string | null;
  label: string;
}

export interface BatchOutcome {
  changed: number;
  unchanged: number;
}

/** Restore works on the recycle bin; every other action on live leads only. */
export function scopeFilter(action: BulkAction, filter: LeadFilter = new LeadFilter()): LeadFilter {
  return Object.assign(new LeadFilter(), filter, { deleted: action === BulkAction.Restore });
}

/**
 * The next `limit` selected lead ids after `afterId`, in id order: a keyset
 * walk that neither skips nor repeats a lead when the action changes which
 * leads match the filter.
 */
export async function selectBatch(
  manager: EntityManager,
  organizationId: string,
  selection: { ids?: string[]; filter?: LeadFilter },
  action: BulkAction,
  afterId: string | null,
  limit: number,
  /** The organization's custom fields, needed when the filter has conditions on them. */
  fields?: CustomFieldValidator,
): Promise<string[]> {
  const qb = manager
    .getRepository(Lead)
    .createQueryBuilder('l')
    .select('l.id', 'id')
    .where('l.organization_id = :organizationId', { organizationId });
  applyLeadFilter(qb, scopeFilter(action, selection.filter), fields);
  if (selection.ids) qb.andWhere('l.id = ANY(:ids::uuid[])', { ids: selection.ids });
  if (afterId) qb.andWhere('l.id > :afterId', { afterId });
  const rows = await qb.orderBy('l.id', 'ASC').limit(limit).getRawMany<{ id: string }>();
  return rows.map((r) => r.id);
}

interface Changed {
  id: string;
  data: Record<string, unknown>;
}

/**
 * Applies the operation to these leads in the caller's transaction, and
 * writes a timeline entry for each lead that actually changed. Running it
 * twice changes nothing more (each statement skips leads already in the
 * wanted state), which is what makes a resumed task safe.
 */
export async function applyBulkBatch(
  manager: EntityManager,
  organizationId: string,
  actor: BulkActor,
  ids: string[],
  op: BulkOperation,
): Promise<BatchOutcome> {
  if (ids.length === 0) return { changed: 0, unchanged: 0 };
  const [sql, params, type] = statementFor(op);
  // Every statement is an UPDATE: the driver answers [rows, affected].
  const [rows] = await manager.query<[Changed[], number]>(sql, [organizationId, ids, ...params]);
  if (rows.length > 0) {
    await manager.query(
      `INSERT INTO lead_activities (organization_id, lead_id, type, actor_id, actor_label, data)
       SELECT $1, x.id, $2, $3, $4, coalesce(x.data, '{}'::jsonb)
       FROM jsonb_to_recordset($5::jsonb) AS x(id uuid, data jsonb)`,
      [organizationId, type, actor.id, actor.label, JSON.stringify(rows)],
    );
  }
  return { changed: rows.length, unchanged: ids.length - rows.length };
}

/** One statement per action; $1 is the organization, $2 the lead ids. Each returns (id, data) of changed leads. */
function statementFor(op: BulkOperation): [string, unknown[], LeadActivityType] {
  const live = 'organization_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL';
  switch (op.action) {
    case BulkAction.SetStatus:
      return [
        `WITH old AS (SELECT id, status FROM leads WHERE ${live} AND status <> $3 FOR UPDATE)
         UPDATE leads l SET status = $3, updated_at = now() FROM old WHERE l.id = old.id
         RETURNING l.id, jsonb_build_object('from', old.status, 'to', l.status) AS data`,
        [op.status],
        LeadActivityType.StatusChanged,
      ];
    case BulkAction.Assign:
      return [
        `WITH old AS (SELECT id, owner_id FROM leads WHERE ${live} AND owner_id IS DISTINCT FROM $3::uuid FOR UPDATE)
         UPDATE leads l SET owner_id = $3::uuid, updated_at = now() FROM old WHERE l.id = old.id
         RETURNING l.id, jsonb_build_object('from', old.owner_id, 'to', l.owner_id) AS data`,
        [op.ownerId ?? null],
        LeadActivityType.Assigned,
      ];
    case BulkAction.AddTags:
      // New tags go after the existing ones, each once.
      return [
        `UPDATE leads SET updated_at = now(), tags = ARRAY(
           SELECT t FROM unnest(tags || $3::text[]) WITH ORDINALITY AS u(t, n) GROUP BY t ORDER BY min(n))
         WHERE ${live} AND NOT tags @> $3::text[]
         RETURNING id, jsonb_build_object('fields', jsonb_build_array('tags'), 'added', $3::text[]) AS data`,
        [op.tags],
        LeadActivityType.Updated,
      ];
    case BulkAction.RemoveTags:
      return [
        `UPDATE leads SET updated_at = now(), tags = ARRAY(SELECT t FROM unnest(tags) AS t WHERE t <> ALL($3::text[]))
         WHERE ${live} AND tags && $3::text[]
         RETURNING id, jsonb_build_object('fields', jsonb_build_array('tags'), 'removed', $3::text[]) AS data`,
        [op.tags],
        LeadActivityType.Updated,
      ];
    case BulkAction.Delete:
      return [
        `UPDATE leads SET deleted_at = now() WHERE ${live}
         RETURNING id, jsonb_build_object('bulk', true) AS data`,
        [],
        LeadActivityType.Deleted,
      ];
    case BulkAction.Restore:
      // A merged lead stays deleted (it lives on in its survivor), and so does
      // a lead whose email a live lead now uses (both unchanged); of two
      // deleted leads with one email, the most recently deleted comes back.
      return [
        `UPDATE leads l SET deleted_at = NULL WHERE l.id IN (
           SELECT DISTINCT ON (coalesce(lower(d.email), d.id::text)) d.id FROM leads d
           WHERE d.organization_id = $1 AND d.id = ANY($2::uuid[]) AND d.deleted_at IS NOT NULL AND d.merged_into_id IS NULL
             AND (d.email IS NULL OR NOT EXISTS (
               SELECT 1 FROM leads o WHERE o.organization_id = $1 AND o.deleted_at IS NULL AND lower(o.email) = lower(d.email)))
           ORDER BY coalesce(lower(d.email), d.id::text), d.deleted_at DESC)
         RETURNING l.id, jsonb_build_object('bulk', true) AS data`,
        [],
        LeadActivityType.Restored,
      ];
  }
}
