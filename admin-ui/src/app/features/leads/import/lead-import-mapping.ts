import { DuplicatePolicy, ImportPreviewDto, LeadFieldDto, LeadImportOptionsDto } from '@meridian/api-client';

import { FieldProblem } from '../../../core/http/api-problem';

export type ImportEncoding = ImportPreviewDto['encoding'];
export type ImportDelimiter = ImportPreviewDto['delimiter'];

/** What a column becomes: a lead field, `custom:<key>`, or `ignore`. */
export const IGNORE = 'ignore';

/** The lead fields an import fills (the score is computed, never imported). */
export const IMPORT_FIELDS: readonly { value: string; label: string }[] = [
  { value: 'firstName', label: 'First name' },
  { value: 'lastName', label: 'Last name' },
  { value: 'fullName', label: 'Full name (split into first and last)' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'company', label: 'Company' },
  { value: 'title', label: 'Job title' },
  { value: 'source', label: 'Source' },
  { value: 'status', label: 'Status' },
  { value: 'tags', label: 'Tags' },
  { value: 'consentEmail', label: 'Email consent' },
  { value: 'consentWhatsapp', label: 'WhatsApp consent' },
];

/** Fields that identify a lead: a mapping needs at least one of them. */
export const IDENTIFYING_FIELDS: readonly string[] = ['email', 'phone', 'firstName', 'lastName', 'fullName', 'company'];

export const ENCODINGS: readonly { value: ImportEncoding; label: string }[] = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252 (Excel, Latin-1)' },
  { value: 'utf-16le', label: 'UTF-16 LE' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
];

export const DELIMITERS: readonly { value: ImportDelimiter; label: string }[] = [
  { value: ',', label: 'Comma ,' },
  { value: ';', label: 'Semicolon ;' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe |' },
];

export const DUPLICATE_POLICIES: readonly { value: DuplicatePolicy; label: string; explanation: string }[] = [
  {
    value: 'skip',
    label: 'Skip duplicates',
    explanation: 'A row whose email a lead already has is skipped; that lead is left as it is.',
  },
  {
    value: 'update',
    label: 'Update the existing lead',
    explanation: "The row's non-empty cells replace the lead's values; tags and custom fields are added.",
  },
  {
    value: 'create',
    label: 'Create new leads only',
    explanation: 'A row whose email is already used fails (an email belongs to one lead); new emails are created.',
  },
];

export interface TargetOption {
  value: string;
  label: string;
  group: 'lead' | 'custom';
}

/** The targets a column can be mapped to: lead fields, then the organization's custom fields. */
export function targetOptions(customFields: readonly Pick<LeadFieldDto, 'key' | 'label'>[]): TargetOption[] {
  return [
    ...IMPORT_FIELDS.map((field) => ({ ...field, group: 'lead' as const })),
    ...customFields.map((field) => ({ value: `custom:${field.key}`, label: field.label, group: 'custom' as const })),
  ];
}

/** One column of the file as the mapping table shows it. */
export interface MappingRow {
  header: string;
  /** The first non-empty sample values of this column. */
  samples: string[];
  target: string;
}

/**
 * The mapping table from the preview: one row per header, its sample values, and the
 * proposed target (`ignore` when none is proposed, or when the proposal is not a known
 * target, e.g. a custom field deleted since).
 */
export function mappingRows(
  preview: Pick<ImportPreviewDto, 'headers' | 'sampleRows' | 'suggestedMapping'>,
  targets: readonly Pick<TargetOption, 'value'>[],
): MappingRow[] {
  const known = new Set(targets.map((target) => target.value));
  return preview.headers.map((header, column) => {
    const suggested = preview.suggestedMapping[header];
    return {
      header,
      samples: preview.sampleRows
        .map((row) => (row[column] ?? '').trim())
        .filter((value) => value !== '')
        .slice(0, 3),
      target: suggested && known.has(suggested) ? suggested : IGNORE,
    };
  });
}

/** What the options form holds besides the mapping. */
export interface ImportSettings {
  duplicatePolicy: DuplicatePolicy;
  /** Comma-separated, as typed. */
  tags: string;
  /** ISO 3166 alpha-2, or empty. */
  defaultCountry: string;
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
}

/** Tags as typed ("fair-2025, vip") → the list the API takes: trimmed, no blanks, no repeats. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[,;]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  return [...new Set(tags)];
}

/**
 * The body of the dry run and the start. Every column is sent (ignored ones as `ignore`);
 * the encoding and delimiter only when they differ from what the preview detected.
 */
export function importOptionsBody(
  rows: readonly Pick<MappingRow, 'header' | 'target'>[],
  settings: ImportSettings,
  detected: Pick<ImportPreviewDto, 'encoding' | 'delimiter'>,
): LeadImportOptionsDto {
  const body: LeadImportOptionsDto = {
    mapping: Object.fromEntries(rows.map((row) => [row.header, row.target || IGNORE])),
    duplicatePolicy: settings.duplicatePolicy,
  };
  const tags = parseTags(settings.tags);
  if (tags.length > 0) {
    body.tags = tags;
  }
  const country = settings.defaultCountry.trim().toUpperCase();
  if (country) {
    body.defaultCountry = country;
  }
  if (settings.encoding !== detected.encoding) {
    body.encoding = settings.encoding;
  }
  if (settings.delimiter !== detected.delimiter) {
    body.delimiter = settings.delimiter;
  }
  return body;
}

/** Problems the console sees before asking the API: nothing identifies a lead, a field used twice. */
export function localMappingErrors(rows: readonly Pick<MappingRow, 'header' | 'target'>[]): FieldProblem[] {
  const errors: FieldProblem[] = [];
  const firstHeader = new Map<string, string>();
  for (const row of rows) {
    if (!row.target || row.target === IGNORE) {
      continue;
    }
    const earlier = firstHeader.get(row.target);
    if (earlier !== undefined) {
      errors.push({ field: `mapping.${row.header}`, reason: `is mapped to the same field as "${earlier}"` });
    } else {
      firstHeader.set(row.target, row.header);
    }
  }
  if (!rows.some((row) => IDENTIFYING_FIELDS.includes(row.target))) {
    errors.push({
      field: 'mapping',
      reason: 'map at least one column to email, phone, a name or company, so each row identifies a lead',
    });
  }
  return errors;
}

/** Server (or local) errors split for the form: per header of the mapping table, and the rest. */
export interface MappingErrors {
  byHeader: Record<string, string[]>;
  general: string[];
}

/**
 * Where each problem belongs: `mapping.<header>` on that header's row (headers may contain
 * dots, so the whole rest is the header), `mapping` and anything else above the table.
 */
export function mappingErrors(errors: readonly FieldProblem[], headers: readonly string[]): MappingErrors {
  const known = new Set(headers);
  const result: MappingErrors = { byHeader: {}, general: [] };
  for (const error of errors) {
    const header = error.field.startsWith('mapping.') ? error.field.slice('mapping.'.length) : null;
    if (header !== null && known.has(header)) {
      (result.byHeader[header] ??= []).push(error.reason);
    } else if (header !== null) {
      result.general.push(`${header}: ${error.reason}`);
    } else if (error.field === 'mapping' || error.field === '') {
      result.general.push(error.reason);
    } else {
      result.general.push(`${error.field}: ${error.reason}`);
    }
  }
  return result;
}

/** How the detected delimiter and encoding are shown. */
export function delimiterLabel(delimiter: ImportDelimiter): string {
  return DELIMITERS.find((option) => option.value === delimiter)?.label ?? delimiter;
}

export function encodingLabel(encoding: ImportEncoding): string {
  return ENCODINGS.find((option) => option.value === encoding)?.label ?? encoding;
}

/** Files the upload step takes. */
export function acceptsFile(file: Pick<File, 'name'>): boolean {
  return /\.(csv|txt)$/i.test(file.name);
}
