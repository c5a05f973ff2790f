import type { EntityManager } from 'typeorm';
import { ValidationProblem } from '../../common/errors/problem';
import { csvLine, UTF8_BOM } from './csv-format';
import { applyLeadFilter, LeadFilter } from './lead-filter';
import { Lead } from './lead.entity';

/** Lead fields an export can hold, in the default order. Custom fields follow as `custom:<key>`. */
export const EXPORT_FIELDS = [
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
] as const;
type ExportField = (typeof EXPORT_FIELDS)[number];

/** Leads read per query: a keyset walk over the id, never OFFSET. */
export const EXPORT_BATCH = 1000;

function cell(lead: Lead, column: string): string | number | boolean | null {
  if (column.startsWith('custom:')) {
    const value = lead.customFields?.[column.slice(7)];
    return value === undefined ? null : value;
  }
  const value = lead[column as ExportField];
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join(', ');
  return value;
}

function baseQuery(manager: EntityManager, organizationId: string, filter: LeadFilter) {
  const qb = manager
    .getRepository(Lead)
    .createQueryBuilder('l')
    .where('l.organization_id = :organizationId', { organizationId });
  applyLeadFilter(qb, filter);
  return qb;
}

/**
 * The export's columns: the ones asked for (each checked), or every lead
 * field followed by every custom field some selected lead has.
 */
export async function resolveColumns(
  manager: EntityManager,
  organizationId: string,
  filter: LeadFilter,
  columns: string[] | undefined,
  field = 'columns',
): Promise<string[]> {
  if (columns && columns.length > 0) {
    const errors = columns.flatMap((c, i) =>
      (EXPORT_FIELDS as readonly string[]).includes(c) || /^custom:[A-Za-z][\w-]{0,49}$/.test(c)
        ? []
        : [
            {
              field: `${field}[${i}]`,
              reason: `unknown column "${c}": use one of ${EXPORT_FIELDS.join(', ')} or custom:<key>`,
            },
          ],
    );
    if (errors.length > 0) throw new ValidationProblem(errors);
    return [...new Set(columns)];
  }
  const keys = await baseQuery(manager, organizationId, filter)
    .select('DISTINCT jsonb_object_keys(l.custom_fields)', 'key')
    .orderBy('key')
    .getRawMany<{ key: string }>();
  return [...EXPORT_FIELDS, ...keys.map((k) => `custom:${k.key}`)];
}

/**
 * The CSV, produced batch by batch: UTF-8 with a byte-order mark, a header
 * line, then one line per lead in id order, every cell quoted and cells a
 * spreadsheet would run as a formula neutralised. `onBatch` hears the
 * running total (progress of an export task).
 */
export async function* leadsCsv(
  manager: EntityManager,
  organizationId: string,
  filter: LeadFilter,
  columns: string[],
  onBatch?: (exported: number) => Promise<void>,
): AsyncGenerator<string> {
  yield UTF8_BOM + csvLine(columns);
  let afterId: string | null = null;
  let exported = 0;
  for (;;) {
    const qb = baseQuery(manager, organizationId, filter);
    if (afterId) qb.andWhere('l.id > :afterId', { afterId });
    const leads = await qb.orderBy('l.id', 'ASC').take(EXPORT_BATCH).getMany();
    if (leads.length === 0) return;
    yield leads.map((lead) => csvLine(columns.map((c) => cell(lead, c)))).join('');
    exported += leads.length;
    afterId = leads[leads.length - 1].id;
    await onBatch?.(exported);
    if (leads.length < EXPORT_BATCH) return;
  }
}
