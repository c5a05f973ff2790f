import { CustomFieldValidator, mergeCustomFields, visibleCustomFields } from './custom-fields';
import { LeadFieldType } from './lead-field-definition.entity';

const validator = new CustomFieldValidator([
  { key: 'note', type: LeadFieldType.Text, options: [], required: false },
  { key: 'budget', type: LeadFieldType.Number, options: [], required: false },
  { key: 'vip', type: LeadFieldType.Boolean, options: [], required: false },
  { key: 'renewal', type: LeadFieldType.Date, options: [], required: false },
  { key: 'industry', type: LeadFieldType.Select, options: ['Retail', 'Finance'], required: true },
]);

describe('CustomFieldValidator', () => {
  it('accepts values of the right type, normalised', () => {
    const { values, errors } = validator.validate({
      note: '  hello ',
      budget: 12.5,
      vip: false,
      renewal: '2024-02-29',
      industry: 'retail',
    });
    expect(errors).toEqual([]);
    expect(values).toEqual({ note: 'hello', budget: 12.5, vip: false, renewal: '2024-02-29', industry: 'Retail' });
  });

  it('names each bad field with the type it expects', () => {
    const { values, errors } = validator.validate({
      nope: 1,
      note: 5,
      budget: '12',
      vip: 'yes',
      renewal: '2023-02-29',
      industry: 'Health',
    });
    expect(values).toEqual({});
    expect(errors).toEqual([
      { field: 'customFields.nope', reason: 'is not a custom field of your organization' },
      { field: 'customFields.note', reason: 'must be text' },
      { field: 'customFields.budget', reason: 'must be a number' },
      { field: 'customFields.vip', reason: 'must be true or false' },
      { field: 'customFields.renewal', reason: 'must be a date written YYYY-MM-DD' },
      { field: 'customFields.industry', reason: 'must be one of: Retail, Finance' },
    ]);
  });

  it('refuses values that are not plain scalars, and overlong text', () => {
    const { errors } = validator.validate({
      note: 'x'.repeat(1001),
      budget: Number.NaN,
      renewal: '2024-01-01T10:00:00Z',
      vip: [true],
      industry: { a: 1 },
    });
    expect(errors.map((e) => e.field)).toEqual([
      'customFields.note',
      'customFields.budget',
      'customFields.renewal',
      'customFields.vip',
      'customFields.industry',
    ]);
    expect(errors[0].reason).toBe('must be at most 1000 characters');
  });

  it('treats null and empty text as clearing the field', () => {
    expect(validator.validate({ budget: null, note: '  ' }).values).toEqual({ budget: null, note: null });
  });

  it('checks required fields on create only', () => {
    expect(validator.validate({ budget: 1 }, { create: true }).errors).toEqual([
      { field: 'customFields.industry', reason: 'is required' },
    ]);
    expect(validator.validate({ industry: null }, { create: true }).errors).toEqual([
      { field: 'customFields.industry', reason: 'is required' },
    ]);
    expect(validator.validate(undefined, { create: true }).errors).toHaveLength(1);
    expect(validator.validate({ industry: null }).errors).toEqual([]);
    // A wrong value is reported once, not also as missing.
    expect(validator.validate({ industry: 'x' }, { create: true }).errors).toHaveLength(1);
  });

  it('reads text cells (CSV import) with a field prefix of the caller', () => {
    const row = validator.validate(
      { budget: ' -3.5 ', vip: 'Yes', renewal: '2025-12-31', industry: 'FINANCE', note: '' },
      { fromText: true, fieldPrefix: '' },
    );
    expect(row).toEqual({
      values: { budget: -3.5, vip: true, renewal: '2025-12-31', industry: 'Finance', note: null },
      errors: [],
    });
    const bad = validator.validate({ budget: '1,000', vip: 'maybe' }, { fromText: true, fieldPrefix: '' });
    expect(bad.errors).toEqual([
      { field: 'budget', reason: 'must be a number, such as 12 or -3.5' },
      { field: 'vip', reason: 'must be true or false (or yes/no, 1/0)' },
    ]);
    expect(validator.parseText('vip', '0')).toEqual({ ok: true, value: false });
  });

  it('lists the defined keys', () => {
    expect([...validator.keys].sort()).toEqual(['budget', 'industry', 'note', 'renewal', 'vip']);
  });
});

describe('mergeCustomFields and visibleCustomFields', () => {
  it('changes given keys, removes nulls, keeps the rest', () => {
    expect(mergeCustomFields({ a: 1, b: 'x', old: true }, { a: 2, b: null, c: 'new' })).toEqual({
      a: 2,
      old: true,
      c: 'new',
    });
  });

  it('shows only defined keys', () => {
    expect(visibleCustomFields({ a: 1, gone: 2 }, new Set(['a', 'b']))).toEqual({ a: 1 });
  });
});
