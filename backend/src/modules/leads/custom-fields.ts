import type { FieldError } from '../../common/errors/problem';
import { LeadFieldType } from './lead-field-definition.entity';

/** snake_case: a lower-case letter, then letters, digits or `_`. */
export const CUSTOM_FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;
export const MAX_LEAD_FIELDS_PER_ORGANIZATION = 100;
export const MAX_CUSTOM_TEXT_LENGTH = 1000;

export type CustomFieldValue = string | number | boolean;
export type CustomFieldValues = Record<string, CustomFieldValue>;

/** What the validator needs of a definition (the entity, or a plain object in tests and imports). */
export interface CustomFieldDefinitionLike {
  key: string;
  type: LeadFieldType;
  options: readonly string[];
  required: boolean;
}

export interface CustomFieldValidateOptions {
  /** A new lead: required fields must have a value. */
  create?: boolean;
  /**
   * Values are text, as in a CSV cell: "12.5" is a number, "yes"/"no"/"1"/"0"
   * a boolean, "" is empty. Without it values must have their JSON type.
   */
  fromText?: boolean;
  /** Prefix of the `field` of each error; `customFields.` by default. */
  fieldPrefix?: string;
}

export interface CustomFieldValidation {
  /**
   * The accepted values, normalised (text trimmed, dates `YYYY-MM-DD`, a
   * select value spelled as its option). `null` means "clear this field".
   * Only the keys that were given (and, on create, nothing else).
   */
  values: Record<string, CustomFieldValue | null>;
  errors: FieldError[];
}

type Parsed = { ok: true; value: CustomFieldValue | null } | { ok: false; reason: string };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_TEXT_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

function isCalendarDate(text: string): boolean {
  const m = DATE_PATTERN.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function describeOptions(options: readonly string[]): string {
  const shown = options.slice(0, 20).join(', ');
  return options.length > 20 ? `${shown} (and ${options.length - 20} more)` : shown;
}

/**
 * Checks custom field values against an organization's field definitions.
 * Built once per request (or per import), then called per lead or per row:
 * it holds no state between calls.
 */
export class CustomFieldValidator {
  private readonly byKey: ReadonlyMap<string, CustomFieldDefinitionLike>;

  constructor(definitions: readonly CustomFieldDefinitionLike[]) {
    this.byKey = new Map(definitions.map((d) => [d.key, d]));
  }

  get definitions(): CustomFieldDefinitionLike[] {
    return [...this.byKey.values()];
  }

  /** The keys that are defined: values under other keys are kept in storage but not shown. */
  get keys(): ReadonlySet<string> {
    return new Set(this.byKey.keys());
  }

  definition(key: string): CustomFieldDefinitionLike | undefined {
    return this.byKey.get(key);
  }

  validate(
    input: Record<string, unknown> | null | undefined,
    options: CustomFieldValidateOptions = {},
  ): CustomFieldValidation {
    const prefix = options.fieldPrefix ?? 'customFields.';
    const values: Record<string, CustomFieldValue | null> = {};
    const errors: FieldError[] = [];
    for (const [key, raw] of Object.entries(input ?? {})) {
      if (raw === undefined) continue;
      const definition = this.byKey.get(key);
      if (!definition) {
        errors.push({ field: `${prefix}${key.slice(0, 100)}`, reason: 'is not a custom field of your organization' });
        continue;
      }
      const parsed = this.parse(definition, raw, options.fromText ?? false);
      if (parsed.ok) values[key] = parsed.value;
      else errors.push({ field: `${prefix}${key}`, reason: parsed.reason });
    }
    if (options.create) {
      for (const definition of this.byKey.values()) {
        const given = values[definition.key];
        const failed = errors.some((e) => e.field === `${prefix}${definition.key}`);
        if (definition.required && (given === undefined || given === null) && !failed)
          errors.push({ field: `${prefix}${definition.key}`, reason: 'is required' });
      }
    }
    return { values, errors };
  }

  /** One value of a field, from text (a filter value, a CSV cell). */
  parseText(key: string, text: string): Parsed {
    const definition = this.byKey.get(key);
    if (!definition) return { ok: false, reason: 'is not a custom field of your organization' };
    return this.parse(definition, text, true);
  }

  private parse(definition: CustomFieldDefinitionLike, raw: unknown, fromText: boolean): Parsed {
    if (raw === null) return { ok: true, value: null };
    const text = typeof raw === 'string' ? raw.trim() : undefined;
    if (text === '') return { ok: true, value: null };
    switch (definition.type) {
      case LeadFieldType.Text:
        if (text === undefined) return { ok: false, reason: 'must be text' };
        return text.length > MAX_CUSTOM_TEXT_LENGTH
          ? { ok: false, reason: `must be at most ${MAX_CUSTOM_TEXT_LENGTH} characters` }
          : { ok: true, value: text };
      case LeadFieldType.Number: {
        if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
        if (fromText && text !== undefined && NUMBER_TEXT_PATTERN.test(text)) {
          const n = Number(text);
          if (Number.isFinite(n)) return { ok: true, value: n };
        }
        return { ok: false, reason: fromText ? 'must be a number, such as 12 or -3.5' : 'must be a number' };
      }
      case LeadFieldType.Boolean:
        if (typeof raw === 'boolean') return { ok: true, value: raw };
        if (fromText && text !== undefined) {
          const word = text.toLowerCase();
          if (TRUE_WORDS.has(word)) return { ok: true, value: true };
          if (FALSE_WORDS.has(word)) return { ok: true, value: false };
        }
        return { ok: false, reason: fromText ? 'must be true or false (or yes/no, 1/0)' : 'must be true or false' };
      case LeadFieldType.Date:
        return text !== undefined && isCalendarDate(text)
          ? { ok: true, value: text }
          : { ok: false, reason: 'must be a date written YYYY-MM-DD' };
      case LeadFieldType.Select: {
        const wanted = text?.toLowerCase();
        const option = wanted === undefined ? undefined : definition.options.find((o) => o.toLowerCase() === wanted);
        return option !== undefined
          ? { ok: true, value: option }
          : { ok: false, reason: `must be one of: ${describeOptions(definition.options)}` };
      }
      default:
        return { ok: false, reason: 'has a type this version does not know' };
    }
  }
}

/** A lead's custom fields after a change: given keys replace, `null` removes, the others stay. */
export function mergeCustomFields(
  current: Readonly<Record<string, unknown>>,
  changes: Readonly<Record<string, CustomFieldValue | null>>,
): CustomFieldValues {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged as CustomFieldValues;
}

/** Only the values of fields that are still defined (values of deleted fields stay stored, unseen). */
export function visibleCustomFields(
  values: Readonly<Record<string, unknown>>,
  definedKeys: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => definedKeys.has(key)));
}
