import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { FieldError, ValidationProblem } from '../../common/errors/problem';
import type { WhereTarget } from '../../database/sql-where';
import { CustomFieldValidator } from './custom-fields';
import { LeadFieldType } from './lead-field-definition.entity';
import { LeadSource, LeadStatus } from './lead.entity';

const asArray = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];
const asBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const CUSTOM_FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'notempty'] as const;
export type CustomFilterOp = (typeof CUSTOM_FILTER_OPS)[number];
const CUSTOM_CONDITION = new RegExp(`^([a-z][a-z0-9_]{0,49}):(${CUSTOM_FILTER_OPS.join('|')})(?::(.*))?$`, 's');

/** The full-text document of a lead; the GIN index of the migration is on this same expression. */
export const LEAD_SEARCH_TSV =
  "to_tsvector('simple', coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '') || ' ' || coalesce(l.email, '') || ' ' || coalesce(l.company, ''))";

/**
 * Which leads: one validated object that compiles to parameterised SQL. The
 * leads list uses it, and campaign audiences will.
 */
export class LeadFilter {
  @ApiPropertyOptional({ enum: LeadStatus, enumName: 'LeadStatus', isArray: true })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(10)
  @IsEnum(LeadStatus, { each: true, message: `each value must be one of ${Object.values(LeadStatus).join(', ')}` })
  status?: LeadStatus[];

  @ApiPropertyOptional({ enum: LeadSource, enumName: 'LeadSource', isArray: true })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(10)
  @IsEnum(LeadSource, { each: true, message: `each value must be one of ${Object.values(LeadSource).join(', ')}` })
  source?: LeadSource[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id' })
  ownerId?: string;

  @ApiPropertyOptional({ isArray: true, type: String, description: 'Leads with any of these tags.' })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  scoreMin?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  scoreMax?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be a date-time' })
  createdFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be a date-time' })
  createdTo?: Date;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  hasEmail?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  hasPhone?: boolean;

  @ApiPropertyOptional({ description: 'Consented to email and not unsubscribed.' })
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  emailConsent?: boolean;

  @ApiPropertyOptional({ description: 'Full-text search over name, email and company (prefixes match).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    isArray: true,
    type: String,
    example: ['budget:gte:1000', 'industry:eq:Retail', 'renewal_date:lt:2026-01-01', 'newsletter:empty'],
    description:
      'Conditions on custom fields, all required, each written `<key>:<op>` or `<key>:<op>:<value>`. ' +
      `Operators: ${CUSTOM_FILTER_OPS.join(', ')}. Numbers compare numerically, dates (YYYY-MM-DD) in calendar order; ` +
      'contains is a case-insensitive substring match on text and select fields; empty and notempty take no value.',
  })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  @Matches(CUSTOM_CONDITION, {
    each: true,
    message: `each condition must be written <key>:<op>[:<value>] with a snake_case key and op one of ${CUSTOM_FILTER_OPS.join(', ')}`,
  })
  custom?: string[];

  @ApiPropertyOptional({ description: 'Deleted leads only (the recycle bin).' })
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  deleted?: boolean;
}

const OPS_BY_TYPE: Record<LeadFieldType, readonly CustomFilterOp[]> = {
  [LeadFieldType.Text]: ['eq', 'neq', 'contains', 'empty', 'notempty'],
  [LeadFieldType.Select]: ['eq', 'neq', 'contains', 'empty', 'notempty'],
  [LeadFieldType.Number]: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'empty', 'notempty'],
  [LeadFieldType.Date]: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'empty', 'notempty'],
  [LeadFieldType.Boolean]: ['eq', 'neq', 'empty', 'notempty'],
};
const COMPARISON_SQL = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export interface CompiledCondition {
  where: string;
  params: Record<string, unknown>;
}

/**
 * Compiles `custom` conditions against the organization's fields. Keys and
 * values are bound as parameters, never written into the SQL. Numbers and
 * dates are read only from values of the right JSON type, so a stored value
 * of another type cannot make a cast fail: it just does not match.
 * Throws a 400 naming `field` when a condition does not fit its field.
 */
export function compileCustomConditions(
  conditions: readonly string[],
  fields: CustomFieldValidator,
  field = 'custom',
): CompiledCondition[] {
  const errors: FieldError[] = [];
  const compiled: CompiledCondition[] = [];
  conditions.forEach((condition, i) => {
    const fail = (reason: string) => errors.push({ field, reason: `${condition.slice(0, 80)}: ${reason}` });
    const m = CUSTOM_CONDITION.exec(condition);
    if (!m) return fail(`must be written <key>:<op>[:<value>], op one of ${CUSTOM_FILTER_OPS.join(', ')}`);
    const [, key, op, text] = m as unknown as [string, string, CustomFilterOp, string | undefined];
    const definition = fields.definition(key);
    if (!definition) return fail(`${key} is not a custom field of your organization`);
    if (!OPS_BY_TYPE[definition.type].includes(op))
      return fail(
        `${op} does not apply to a ${definition.type} field (use ${OPS_BY_TYPE[definition.type].join(', ')})`,
      );
    const k = `fCfKey${i}`;
    const v = `fCfValue${i}`;
    const text$ = `(l.custom_fields ->> :${k}::text)`;
    if (op === 'empty' || op === 'notempty') {
      if (text !== undefined) return fail(`${op} takes no value`);
      compiled.push({
        where: `coalesce(${text$}, '') ${op === 'empty' ? '=' : '<>'} ''`,
        params: { [k]: key },
      });
      return;
    }
    if (text === undefined || text.trim() === '') return fail(`${op} needs a value`);
    if (op === 'contains') {
      const pattern = `%${text.trim().replace(/[\\%_]/g, '\\$&')}%`;
      compiled.push({ where: `${text$} ILIKE :${v}`, params: { [k]: key, [v]: pattern } });
      return;
    }
    const parsed = fields.parseText(key, text);
    if (!parsed.ok) return fail(`the value ${parsed.reason}`);
    const value = parsed.value as string | number | boolean;
    if (op === 'eq' || op === 'neq') {
      // Containment, so the GIN index on custom_fields (jsonb_path_ops) serves it.
      const where = `l.custom_fields @> :${v}::jsonb`;
      compiled.push({
        where: op === 'eq' ? where : `NOT (${where})`,
        params: { [v]: JSON.stringify({ [key]: value }) },
      });
      return;
    }
    const jsonType = definition.type === LeadFieldType.Number ? 'number' : 'string';
    const guarded = `(CASE WHEN jsonb_typeof(l.custom_fields -> :${k}::text) = '${jsonType}' THEN ${text$} END)`;
    compiled.push({
      where:
        definition.type === LeadFieldType.Number
          ? `${guarded}::numeric ${COMPARISON_SQL[op]} :${v}::numeric`
          : `${guarded} COLLATE "C" ${COMPARISON_SQL[op]} :${v}::text`,
      params: { [k]: key, [v]: String(value) },
    });
  });
  if (errors.length > 0) throw new ValidationProblem(errors);
  return compiled;
}

/**
 * Where the filter's plain conditions find their columns. `leads l` by
 * default; the audience count reads the same conditions from its narrow
 * `lead_audience a` (LeadAudienceService). Full-text search and custom fields
 * always read `leads l`. Each entry is SQL; the boolean ones are conditions.
 */
export interface LeadFilterColumns {
  status: string;
  source: string;
  ownerId: string;
  tags: string;
  score: string;
  createdAt: string;
  hasEmail: string;
  hasPhone: string;
  emailConsent: string;
}

export const LEAD_FILTER_COLUMNS: LeadFilterColumns = {
  status: 'l.status',
  source: 'l.source',
  ownerId: 'l.owner_id',
  tags: 'l.tags',
  score: 'l.score',
  createdAt: 'l.created_at',
  hasEmail: 'l.email IS NOT NULL',
  hasPhone: 'l.phone IS NOT NULL',
  emailConsent: 'l.consent_email AND l.unsubscribed_at IS NULL',
};

/** Whether the filter needs a column that only `leads l` has (full-text search, custom fields). */
export function needsLeadRow(f: LeadFilter): boolean {
  return searchWords(f).length > 0 || (f.custom?.length ?? 0) > 0;
}

function searchWords(f: LeadFilter): string[] {
  return (f.q?.toLowerCase().match(/[\p{L}\p{N}@._+-]+/gu) ?? []).filter((w) => /^[\p{L}\p{N}]/u.test(w)).slice(0, 8);
}

/**
 * Adds the filter's conditions (all parameterised) to a query on `leads l`
 * (or on the columns given).
 * `fields` (the organization's custom fields) is needed when the filter has `custom` conditions.
 */
export function applyLeadFilter(
  qb: WhereTarget,
  f: LeadFilter,
  fields?: CustomFieldValidator,
  columns: LeadFilterColumns = LEAD_FILTER_COLUMNS,
): void {
  const c = columns;
  if (f.deleted) {
    qb.withDeleted();
    qb.andWhere('l.deleted_at IS NOT NULL');
  }
  if (f.status?.length) qb.andWhere(`${c.status} IN (:...fStatus)`, { fStatus: f.status });
  if (f.source?.length) qb.andWhere(`${c.source} IN (:...fSource)`, { fSource: f.source });
  if (f.ownerId) qb.andWhere(`${c.ownerId} = :fOwner`, { fOwner: f.ownerId });
  if (f.tag?.length) qb.andWhere(`${c.tags} && :fTags`, { fTags: f.tag });
  if (f.scoreMin !== undefined) qb.andWhere(`${c.score} >= :fScoreMin`, { fScoreMin: f.scoreMin });
  if (f.scoreMax !== undefined) qb.andWhere(`${c.score} <= :fScoreMax`, { fScoreMax: f.scoreMax });
  if (f.createdFrom) qb.andWhere(`${c.createdAt} >= :fFrom`, { fFrom: f.createdFrom });
  if (f.createdTo) qb.andWhere(`${c.createdAt} < :fTo`, { fTo: f.createdTo });
  if (f.hasEmail !== undefined) qb.andWhere(f.hasEmail ? c.hasEmail : `NOT (${c.hasEmail})`);
  if (f.hasPhone !== undefined) qb.andWhere(f.hasPhone ? c.hasPhone : `NOT (${c.hasPhone})`);
  if (f.emailConsent !== undefined) qb.andWhere(f.emailConsent ? `(${c.emailConsent})` : `NOT (${c.emailConsent})`);
  const words = searchWords(f);
  if (words.length > 0) {
    // Each word as a prefix, all required: "ana lim" finds "Ana Lima".
    const tsquery = words.map((w) => `${w}:*`).join(' & ');
    qb.andWhere(`${LEAD_SEARCH_TSV} @@ to_tsquery('simple', :fQuery)`, { fQuery: tsquery });
  }
  if (f.custom?.length) {
    if (!fields) throw new Error("Filtering on custom fields needs the organization's field definitions");
    for (const cond of compileCustomConditions(f.custom, fields)) qb.andWhere(cond.where, cond.params);
  }
}
