import { LeadFieldDto } from '@meridian/api-client';

import {
  changedCustomFields,
  createCustomFields,
  customApiValue,
  customFormValue,
  formatCustomValue,
  keyFromLabel,
} from './custom-fields';
import { reorderPositions } from './lead-field-definitions';

function field(key: string, type: LeadFieldDto['type'], required = false): LeadFieldDto {
  return {
    id: key,
    key,
    label: key,
    type,
    options: type === 'select' ? ['Free', 'Pro'] : [],
    position: 10,
    required,
    createdAt: '',
    updatedAt: '',
  };
}

const FIELDS = [
  field('note', 'text'),
  field('budget', 'number'),
  field('vip', 'boolean'),
  field('renewal', 'date'),
  field('plan', 'select'),
];

describe('custom fields', () => {
  it('derives a key from a label', () => {
    expect(keyFromLabel('Plan tier')).toBe('plan_tier');
    expect(keyFromLabel('  Größe (cm) ')).toBe('grosse_cm');
    expect(keyFromLabel('2nd contact')).toBe('nd_contact');
    expect(keyFromLabel('Année fiscale')).toBe('annee_fiscale');
  });

  it('turns form values into API values, empty into null', () => {
    expect(customApiValue(FIELDS[0], '  hello ')).toBe('hello');
    expect(customApiValue(FIELDS[0], '   ')).toBeNull();
    expect(customApiValue(FIELDS[1], 2500)).toBe(2500);
    expect(customApiValue(FIELDS[1], null)).toBeNull();
    expect(customApiValue(FIELDS[2], true)).toBe(true);
    expect(customApiValue(FIELDS[3], new Date(2026, 2, 31))).toBe('2026-03-31');
    expect(customApiValue(FIELDS[3], null)).toBeNull();
    expect(customApiValue(FIELDS[4], '')).toBeNull();
  });

  it('shows stored values in the form', () => {
    expect(customFormValue(FIELDS[3], '2026-03-31')).toEqual(new Date(2026, 2, 31));
    expect(customFormValue(FIELDS[1], 12)).toBe(12);
    expect(customFormValue(FIELDS[2], undefined)).toBe(false);
    expect(customFormValue(FIELDS[4], undefined)).toBe('');
  });

  it('creates with only what was filled in (an unticked box only when the field is required)', () => {
    const values = { note: '', budget: 100, vip: false, renewal: new Date(2026, 0, 5), plan: 'Pro' };
    expect(createCustomFields(FIELDS, values)).toEqual({ budget: 100, renewal: '2026-01-05', plan: 'Pro' });
    expect(createCustomFields([field('vip', 'boolean', true)], { vip: false })).toEqual({ vip: false });
  });

  it('sends only the changed fields on an edit, null to clear one', () => {
    const before = { note: 'old', budget: 100, plan: 'Pro' };
    const values = { note: 'old', budget: 100, vip: false, renewal: null, plan: '' };
    expect(changedCustomFields(FIELDS, before, values)).toEqual({ plan: null });
    expect(changedCustomFields(FIELDS, before, { ...values, vip: true, budget: 150 })).toEqual({
      budget: 150,
      vip: true,
      plan: null,
    });
  });

  it('formats values for reading', () => {
    expect(formatCustomValue(FIELDS[2], true)).toBe('Yes');
    expect(formatCustomValue(FIELDS[2], null)).toBe('');
    expect(formatCustomValue(FIELDS[0], 'x')).toBe('x');
  });

  it('renumbers positions after a move, saving only those that change', () => {
    expect(
      reorderPositions([
        { id: 'b', position: 20 },
        { id: 'a', position: 10 },
        { id: 'c', position: 30 },
      ]),
    ).toEqual(
      new Map([
        ['b', 10],
        ['a', 20],
      ]),
    );
  });
});
