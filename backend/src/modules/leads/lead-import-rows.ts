import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../../common/errors/validation';
import { unneutraliseCell } from './csv-format';
import type { CustomFieldValidator } from './custom-fields';
import { CreateLeadDto } from './dto/lead.dto';
import type { ColumnTarget, ImportField } from './lead-import-mapping';
import { LeadSource, LeadStatus } from './lead.entity';
import { hasIdentity, NO_IDENTITY_REASON, parsePhone } from './leads.service';

/** The duplicate policy: what a row whose email is already taken does. */
export enum DuplicatePolicy {
  Skip = 'skip',
  Update = 'update',
  Create = 'create',
}

/** What an import does, as the dry run and the task read it. */
export interface ImportOptions {
  mapping: Record<string, ColumnTarget>;
  duplicatePolicy: DuplicatePolicy;
  defaultCountry?: string;
  tags?: string[];
  source?: LeadSource;
}

/** One valid row, ready for the leads table (snake_case like its columns). Null means "not in the file". */
export interface LeadRow {
  row: number;
  /** The record as read, for the error file. */
  values: string[];
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: LeadSource | null;
  status: LeadStatus | null;
  tags: string[];
  custom_fields: Record<string, string | number | boolean | null>;
  consent_email: boolean | null;
  consent_whatsapp: boolean | null;
}

export interface RowFailure {
  row: number;
  reason: string;
  values: string[];
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'ja', 'oui', 'si', 'sí', 'opt-in', 'optin', 'subscribed']);
const FALSE = new Set(['false', 'no', 'n', '0', 'nein', 'non', 'opt-out', 'optout', 'unsubscribed']);

/** Compiled once per import: which cell feeds which field. */
export class RowReader {
  private readonly columns: { index: number; target: ColumnTarget }[];

  constructor(
    headers: readonly string[],
    private readonly options: ImportOptions,
    /** The organization's custom fields: custom cells are checked and typed by them. */
    private readonly fields: CustomFieldValidator,
  ) {
    this.columns = headers
      .map((h, index) => ({ index, target: options.mapping[h] ?? 'ignore' }))
      .filter((c) => c.target !== 'ignore');
  }

  /**
   * A record as a lead row, checked with the lead API's own rules (the
   * CreateLeadDto validation, phone normalisation, "needs an identity"),
   * or the reason it cannot be imported. `row` counts the header as row 1.
   */
  read(record: string[], row: number): LeadRow | RowFailure {
    const input: Record<string, unknown> = {};
    const custom: Record<string, string> = {};
    let fullName: string | undefined;
    let tagCell: string | undefined;
    for (const { index, target } of this.columns) {
      const value = unneutraliseCell((record[index] ?? '').trim());
      if (value === '') continue;
      if (target.startsWith('custom:')) {
        custom[target.slice(7)] = value;
        continue;
      }
      const field = target as ImportField;
      switch (field) {
        case 'fullName':
          fullName = value;
          break;
        case 'tags':
          tagCell = value;
          break;
        case 'source':
        case 'status':
          input[field] = value.toLowerCase();
          break;
        case 'consentEmail':
        case 'consentWhatsapp': {
          const v = value.toLowerCase();
          if (TRUE.has(v)) input[field] = true;
          else if (FALSE.has(v)) input[field] = false;
          else return { row, reason: `${field}: must be yes or no (true/false, 1/0)`, values: record };
          break;
        }
        default:
          input[field] = value;
      }
    }
    if (fullName) {
      const cut = fullName.lastIndexOf(' ');
      if (input.firstName === undefined) input.firstName = cut > 0 ? fullName.slice(0, cut).trim() : fullName;
      if (input.lastName === undefined && cut > 0) input.lastName = fullName.slice(cut + 1).trim();
    }
    const tags = [
      ...new Set([
        ...(tagCell ?? '')
          .split(/[,;|]/)
          .map((t) => t.trim())
          .filter(Boolean),
        ...(this.options.tags ?? []),
      ]),
    ];
    if (tags.length > 0) input.tags = tags;
    let customValues: LeadRow['custom_fields'] = {};
    if (Object.keys(custom).length > 0) {
      const checked = this.fields.validate(custom, { fromText: true, fieldPrefix: 'custom:' });
      if (checked.errors.length > 0) {
        return { row, reason: checked.errors.map((e) => `${e.field}: ${e.reason}`).join('; '), values: record };
      }
      customValues = checked.values;
    }
    if (this.options.defaultCountry) input.defaultCountry = this.options.defaultCountry;

    const dto = plainToInstance(CreateLeadDto, input);
    const errors = flattenValidationErrors(validateSync(dto, { forbidUnknownValues: true }));
    if (errors.length > 0) {
      return { row, reason: errors.map((e) => `${e.field}: ${e.reason}`).join('; '), values: record };
    }
    if (!hasIdentity(dto)) return { row, reason: NO_IDENTITY_REASON, values: record };
    const phone = parsePhone(dto.phone, dto.defaultCountry);
    if ('reason' in phone) return { row, reason: `phone: ${phone.reason}`, values: record };
    return {
      row,
      values: record,
      first_name: dto.firstName ?? null,
      last_name: dto.lastName ?? null,
      email: dto.email?.toLowerCase() ?? null,
      phone: phone.phone ?? null,
      company: dto.company ?? null,
      title: dto.title ?? null,
      source: dto.source ?? null,
      status: dto.status ?? null,
      tags: dto.tags ?? [],
      custom_fields: customValues,
      consent_email: dto.consentEmail ?? null,
      consent_whatsapp: dto.consentWhatsapp ?? null,
    };
  }
}

export function isFailure(r: LeadRow | RowFailure): r is RowFailure {
  return 'reason' in r;
}

/** Later values win where given; tags and custom fields add up. */
function merge(into: LeadRow, later: LeadRow): void {
  for (const key of [
    'first_name',
    'last_name',
    'phone',
    'company',
    'title',
    'source',
    'status',
    'consent_email',
    'consent_whatsapp',
  ] as const) {
    if (later[key] !== null) (into as unknown as Record<string, unknown>)[key] = later[key];
  }
  into.tags = [...new Set([...into.tags, ...later.tags])];
  into.custom_fields = { ...into.custom_fields, ...later.custom_fields };
}

export interface BatchPlan {
  /** Rows to write, each email at most once. */
  rows: LeadRow[];
  /** Rows folded into an earlier row of the same email (policy update): they count as updated. */
  merged: number;
  /** Repeats of an earlier row's email (policy skip). */
  skipped: number;
  failures: RowFailure[];
}

/**
 * Duplicates inside one batch, by email, following the policy: `skip` keeps
 * the first row, `update` folds later rows into the first (they count as
 * updates of the lead it makes), `create` fails the repeats (the email can
 * only be on one lead). A repeat of a row of an earlier batch meets that
 * row's lead in the database, where the same policy applies; rows without
 * an email are never duplicates.
 */
export function planBatch(rows: LeadRow[], policy: DuplicatePolicy): BatchPlan {
  const plan: BatchPlan = { rows: [], merged: 0, skipped: 0, failures: [] };
  const inBatch = new Map<string, LeadRow>();
  for (const row of rows) {
    const first = row.email === null ? undefined : inBatch.get(row.email);
    if (!first) {
      if (row.email !== null) inBatch.set(row.email, row);
      plan.rows.push(row);
    } else if (policy === DuplicatePolicy.Skip) {
      plan.skipped++;
    } else if (policy === DuplicatePolicy.Create) {
      plan.failures.push({
        row: row.row,
        reason: `email: ${row.email} is already used by row ${first.row} of this file`,
        values: row.values,
      });
    } else {
      merge(first, row);
      plan.merged++;
    }
  }
  return plan;
}
