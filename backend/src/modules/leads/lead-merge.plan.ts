import type { FieldError } from '../../common/errors/problem';
import { Lead, LeadSource } from './lead.entity';

/** Where a merged value comes from: one of the two leads, or both (tags). */
export type MergeSide = 'survivor' | 'merged';
export type MergeChoice = MergeSide | 'both';

/** How the proposed value was chosen; `chosen` when the caller overrode it. */
export const MERGE_RULES = [
  'survivor_unless_empty',
  'survivor_unless_other',
  'survivor',
  'highest',
  'union',
  'follows_email',
  'follows_phone',
  'earliest',
  'chosen',
] as const;
export type MergeRule = (typeof MERGE_RULES)[number];

export type MergeValue = string | number | boolean | string[] | null;

export interface MergeFieldPlan {
  field: string;
  survivorValue: MergeValue;
  mergedValue: MergeValue;
  result: MergeValue;
  from: MergeChoice;
  rule: MergeRule;
  /** What the caller may choose for this field in `fields`; empty when it follows a rule. */
  choices: MergeChoice[];
  /** The survivor's value changes. */
  changed: boolean;
}

export interface MergePlan {
  fields: MergeFieldPlan[];
  /** Column values to write on the survivor. */
  values: Pick<
    Lead,
    | 'firstName'
    | 'lastName'
    | 'email'
    | 'phone'
    | 'company'
    | 'title'
    | 'source'
    | 'status'
    | 'score'
    | 'ownerId'
    | 'tags'
    | 'customFields'
    | 'consentEmail'
    | 'consentWhatsapp'
    | 'unsubscribedAt'
  >;
  /** Before and after of each changed field of the survivor, for the audit log. */
  changes: Record<string, { from: MergeValue; to: MergeValue }>;
}

/** Kept unless empty, then the other lead's. */
const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'company', 'title', 'ownerId'] as const;
const SIDES: MergeChoice[] = ['survivor', 'merged'];
/** Fields the caller may choose; custom fields are chosen per key, as `customFields.<key>`. */
export const CHOOSABLE_FIELDS = [...TEXT_FIELDS, 'source', 'status', 'score', 'tags'] as const;
export const CUSTOM_FIELD_PREFIX = 'customFields.';
/** Never chosen: consent is not invented, and an unsubscribe is not undone, by a merge. */
const RULE_FIELDS: Record<string, string> = {
  consentEmail: 'follows the email that is kept: choose email instead',
  consentWhatsapp: 'follows the phone that is kept: choose phone instead',
  unsubscribedAt: 'is always the earliest unsubscribe of the two leads',
};

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Checks `fields` as far as it can without the leads: names and choices. */
export function checkMergeChoices(fields: Record<string, unknown> | undefined): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, choice] of Object.entries(fields ?? {})) {
    const field = `fields.${key}`;
    if (key in RULE_FIELDS) {
      errors.push({ field, reason: RULE_FIELDS[key] });
    } else if (key === 'tags') {
      if (!['survivor', 'merged', 'both'].includes(choice as string))
        errors.push({ field, reason: 'must be survivor, merged or both' });
    } else if (
      (CHOOSABLE_FIELDS as readonly string[]).includes(key) ||
      (key.startsWith(CUSTOM_FIELD_PREFIX) && key.length > CUSTOM_FIELD_PREFIX.length)
    ) {
      if (choice !== 'survivor' && choice !== 'merged') errors.push({ field, reason: 'must be survivor or merged' });
    } else {
      errors.push({
        field,
        reason: `is not a field you can choose (${CHOOSABLE_FIELDS.join(', ')}, or customFields.<key>)`,
      });
    }
  }
  return errors;
}

/**
 * What merging `merged` into `survivor` gives, field by field. Nothing is
 * dropped silently: each value not kept stays in the merged lead's row and in
 * the snapshot of the `merged` activity.
 */
export function planMerge(
  survivor: Lead,
  merged: Lead,
  choices: Record<string, MergeChoice> = {},
): { plan: MergePlan; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const rows: MergeFieldPlan[] = [];
  const row = (
    field: string,
    survivorValue: MergeValue,
    mergedValue: MergeValue,
    proposed: { from: MergeChoice; rule: MergeRule },
    allowed: MergeChoice[],
    bothValue: MergeValue = null,
  ): MergeFieldPlan => {
    const chosen = choices[field];
    const from = chosen ?? proposed.from;
    const result = from === 'both' ? bothValue : from === 'merged' ? mergedValue : survivorValue;
    const plan: MergeFieldPlan = {
      field,
      survivorValue,
      mergedValue,
      result,
      from,
      rule: chosen !== undefined ? 'chosen' : proposed.rule,
      choices: allowed,
      changed: !same(result, survivorValue),
    };
    rows.push(plan);
    return plan;
  };
  const keepUnlessEmpty = (s: MergeValue, m: MergeValue): MergeSide =>
    isEmpty(s) && !isEmpty(m) ? 'merged' : 'survivor';

  const text = {} as Record<(typeof TEXT_FIELDS)[number], MergeFieldPlan>;
  for (const field of TEXT_FIELDS) {
    const s = survivor[field];
    const m = merged[field];
    text[field] = row(field, s, m, { from: keepUnlessEmpty(s, m), rule: 'survivor_unless_empty' }, SIDES);
  }
  // `other` is the default source: it says nothing the other lead's source would not say better.
  const source = row(
    'source',
    survivor.source,
    merged.source,
    {
      from: survivor.source === LeadSource.Other && merged.source !== LeadSource.Other ? 'merged' : 'survivor',
      rule: 'survivor_unless_other',
    },
    SIDES,
  );
  const status = row('status', survivor.status, merged.status, { from: 'survivor', rule: 'survivor' }, SIDES);
  const score = row(
    'score',
    survivor.score,
    merged.score,
    { from: merged.score > survivor.score ? 'merged' : 'survivor', rule: 'highest' },
    SIDES,
  );
  const union = [...survivor.tags, ...merged.tags.filter((t) => !survivor.tags.includes(t))];
  const tags = row(
    'tags',
    survivor.tags,
    merged.tags,
    { from: 'both', rule: 'union' },
    ['survivor', 'merged', 'both'],
    union,
  );

  const customFields: Lead['customFields'] = {};
  const keys = [...new Set([...Object.keys(survivor.customFields), ...Object.keys(merged.customFields)])].sort();
  for (const [field] of Object.entries(choices)) {
    if (field.startsWith(CUSTOM_FIELD_PREFIX) && !keys.includes(field.slice(CUSTOM_FIELD_PREFIX.length)))
      errors.push({ field: `fields.${field}`, reason: 'is not a custom field of either lead' });
  }
  for (const key of keys) {
    const s = survivor.customFields[key] ?? null;
    const m = merged.customFields[key] ?? null;
    const plan = row(
      `${CUSTOM_FIELD_PREFIX}${key}`,
      s,
      m,
      { from: keepUnlessEmpty(s, m), rule: 'survivor_unless_empty' },
      SIDES,
    );
    // A key neither lead fills is left out rather than written as null.
    if (plan.result !== null || key in survivor.customFields)
      customFields[key] = plan.result as string | number | boolean | null;
  }

  // Consent was given for an address: it travels with the address that is kept, never to another one.
  const emailFrom: MergeSide = text.email.from === 'merged' ? 'merged' : 'survivor';
  const consentEmail = row(
    'consentEmail',
    survivor.consentEmail,
    merged.consentEmail,
    { from: emailFrom, rule: 'follows_email' },
    [],
  );
  const phoneFrom: MergeSide = text.phone.from === 'merged' ? 'merged' : 'survivor';
  const consentWhatsapp = row(
    'consentWhatsapp',
    survivor.consentWhatsapp,
    merged.consentWhatsapp,
    { from: phoneFrom, rule: 'follows_phone' },
    [],
  );
  // An unsubscribe is the person's word: the earliest one stands.
  const s = survivor.unsubscribedAt;
  const m = merged.unsubscribedAt;
  const unsubscribedFrom: MergeSide = m && (!s || m.getTime() < s.getTime()) ? 'merged' : 'survivor';
  row('unsubscribedAt', iso(s), iso(m), { from: unsubscribedFrom, rule: 'earliest' }, []);

  const values: MergePlan['values'] = {
    firstName: text.firstName.result as string | null,
    lastName: text.lastName.result as string | null,
    email: text.email.result as string | null,
    phone: text.phone.result as string | null,
    company: text.company.result as string | null,
    title: text.title.result as string | null,
    ownerId: text.ownerId.result as string | null,
    source: source.result as LeadSource,
    status: status.result as Lead['status'],
    score: score.result as number,
    tags: tags.result as string[],
    customFields,
    consentEmail: consentEmail.result as boolean,
    consentWhatsapp: consentWhatsapp.result as boolean,
    unsubscribedAt: unsubscribedFrom === 'merged' ? m : s,
  };
  const changes: MergePlan['changes'] = {};
  for (const r of rows) if (r.changed) changes[r.field] = { from: r.survivorValue, to: r.result };
  return { plan: { fields: rows, values, changes }, errors };
}
