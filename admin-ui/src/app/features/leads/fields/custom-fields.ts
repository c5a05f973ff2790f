import { LeadFieldDto, LeadFieldType } from '@meridian/api-client';

/** A custom field's value as the API takes it. */
export type CustomApiValue = string | number | boolean | null;
/** As a form control holds it: text and select a string, number a number, boolean a boolean, date a Date. */
export type CustomFormValue = string | number | boolean | Date | null;

export const FIELD_TYPE_LABELS: Readonly<Record<LeadFieldType, string>> = {
  text: 'Text',
  number: 'Number',
  boolean: 'Yes / no',
  date: 'Date',
  select: 'Choice list',
};

export const FIELD_TYPE_ICONS: Readonly<Record<LeadFieldType, string>> = {
  text: 'notes',
  number: 'tag',
  boolean: 'check_circle',
  date: 'event',
  select: 'list',
};

/** The key a label suggests: "Plan tier" -> "plan_tier", "Größe" -> "grosse" (lowercase, [a-z0-9_], a letter first). */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 50)
    .replace(/_+$/, '');
  return key;
}

export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A local calendar day as YYYY-MM-DD (what the API stores for date fields). */
export function toIsoDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** YYYY-MM-DD as a local date (midnight), or null. */
export function fromIsoDay(value: unknown): Date | null {
  if (typeof value !== 'string') {
    return null;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return null;
  }
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** A stored value as text, whatever it is. */
function asText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** The form's value for a lead's stored value. */
export function customFormValue(field: Pick<LeadFieldDto, 'type'>, value: unknown): CustomFormValue {
  switch (field.type) {
    case 'number':
      return typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : null;
    case 'boolean':
      return value === true;
    case 'date':
      return fromIsoDay(value);
    default:
      return asText(value);
  }
}

/** The API's value for what the form holds: an emptied field is null. */
export function customApiValue(field: Pick<LeadFieldDto, 'type'>, value: CustomFormValue): CustomApiValue {
  switch (field.type) {
    case 'number':
      if (typeof value === 'number') {
        return Number.isFinite(value) ? value : null;
      }
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
        return Number(value);
      }
      return null;
    case 'boolean':
      return value === true;
    case 'date':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? toIsoDay(value) : null;
    default: {
      const text = typeof value === 'string' ? value.trim() : value === null ? '' : String(value);
      return text === '' ? null : text;
    }
  }
}

function normalized(value: unknown): unknown {
  return value === undefined || value === '' ? null : value;
}

/**
 * The custom fields of a new lead: only what was filled in (an unticked yes/no is left out
 * unless the field is required, so "empty" still means "never answered").
 */
export function createCustomFields(
  fields: readonly LeadFieldDto[],
  values: Record<string, CustomFormValue>,
): Record<string, CustomApiValue> {
  const result: Record<string, CustomApiValue> = {};
  for (const field of fields) {
    const value = customApiValue(field, values[field.key] ?? null);
    if (value === null || (value === false && !field.required)) {
      continue;
    }
    result[field.key] = value;
  }
  return result;
}

/** The custom fields that changed on an existing lead (null clears one). */
export function changedCustomFields(
  fields: readonly LeadFieldDto[],
  before: Record<string, unknown>,
  values: Record<string, CustomFormValue>,
): Record<string, CustomApiValue> {
  const result: Record<string, CustomApiValue> = {};
  for (const field of fields) {
    if (!(field.key in values)) {
      continue;
    }
    const value = customApiValue(field, values[field.key]);
    const old = normalized(before[field.key]);
    const same = field.type === 'boolean' ? (old === true) === value : old === value;
    if (!same) {
      result[field.key] = value;
    }
  }
  return result;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** A stored value in words, for the drawer's facts and the table; "" when there is none. */
export function formatCustomValue(field: Pick<LeadFieldDto, 'type'>, value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  switch (field.type) {
    case 'boolean':
      return value === true ? 'Yes' : 'No';
    case 'date': {
      const day = fromIsoDay(value);
      return day ? dayFormat.format(day) : asText(value);
    }
    case 'number':
      return typeof value === 'number' ? value.toLocaleString() : asText(value);
    default:
      return asText(value);
  }
}
