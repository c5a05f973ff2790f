import { LeadFieldDto, MergeFieldDto, MergeLeadsDto } from '@meridian/api-client';

import { formatCustomValue } from '../fields/custom-fields';
import { LEAD_FIELD_LABELS } from '../form/lead-form';
import { SOURCE_LABELS, STATUS_LABELS } from '../leads.query';

export type MergeChoice = 'survivor' | 'merged' | 'both';
export type MergeOverrides = Readonly<Record<string, MergeChoice>>;

/**
 * The body of the merge preview and of the merge: only the choices the user made (the API
 * proposes the rest, by its rules).
 */
export function mergeBody(survivorId: string, mergedId: string, overrides: MergeOverrides): MergeLeadsDto {
  const fields = Object.fromEntries(Object.entries(overrides));
  return Object.keys(fields).length > 0 ? { survivorId, mergedId, fields } : { survivorId, mergedId };
}

/** The same choices once the two leads trade places: what was the survivor's is now the other's. */
export function swapOverrides(overrides: MergeOverrides): Record<string, MergeChoice> {
  const swapped: Record<string, MergeChoice> = {};
  for (const [field, choice] of Object.entries(overrides)) {
    swapped[field] = choice === 'survivor' ? 'merged' : choice === 'merged' ? 'survivor' : choice;
  }
  return swapped;
}

/** A choice for one field: dropped when it is what the API would propose anyway. */
export function withChoice(
  overrides: MergeOverrides,
  row: Pick<MergeFieldDto, 'field' | 'rule' | 'from'>,
  choice: MergeChoice,
): Record<string, MergeChoice> {
  const next = { ...overrides };
  const proposed = row.rule === 'chosen' ? null : row.from;
  if (choice === proposed) {
    delete next[row.field];
  } else {
    next[row.field] = choice;
  }
  return next;
}

const EXTRA_LABELS: Readonly<Record<string, string>> = {
  score: 'Score',
  unsubscribedAt: 'Unsubscribed',
};

/** "Email", "Plan" (a custom field's label), or the field's code. */
export function mergeFieldLabel(field: string, customFields: ReadonlyMap<string, LeadFieldDto>): string {
  if (field.startsWith('customFields.')) {
    const key = field.slice('customFields.'.length);
    return customFields.get(key)?.label ?? key;
  }
  return (LEAD_FIELD_LABELS as Record<string, string>)[field] ?? EXTRA_LABELS[field] ?? field;
}

/** One value of the table in words: owner names, status and source labels, Yes/No, tag lists; "—" when empty. */
export function formatMergeValue(
  field: string,
  value: MergeFieldDto['result'],
  ownerName: (id: string | null) => string,
  customFields: ReadonlyMap<string, LeadFieldDto>,
): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return '—';
  }
  if (Array.isArray(value)) {
    return value.join(', ');
  }
  if (field.startsWith('customFields.')) {
    const definition = customFields.get(field.slice('customFields.'.length));
    return definition ? formatCustomValue(definition, value) || '—' : String(value);
  }
  switch (field) {
    case 'ownerId':
      return ownerName(String(value));
    case 'status':
      return (STATUS_LABELS as Record<string, string>)[String(value)] ?? String(value);
    case 'source':
      return (SOURCE_LABELS as Record<string, string>)[String(value)] ?? String(value);
    case 'unsubscribedAt':
      return new Date(String(value)).toLocaleDateString();
    default:
      return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value);
  }
}

export const CHOICE_LABELS: Readonly<Record<MergeChoice, string>> = {
  survivor: 'Kept lead',
  merged: 'Other lead',
  both: 'Both',
};
