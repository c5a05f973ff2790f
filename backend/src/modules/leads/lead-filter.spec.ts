import { ValidationProblem } from '../../common/errors/problem';
import { CustomFieldValidator } from './custom-fields';
import { LeadFieldType } from './lead-field-definition.entity';
import { compileCustomConditions } from './lead-filter';

const fields = new CustomFieldValidator([
  { key: 'note', type: LeadFieldType.Text, options: [], required: false },
  { key: 'budget', type: LeadFieldType.Number, options: [], required: false },
  { key: 'vip', type: LeadFieldType.Boolean, options: [], required: false },
  { key: 'renewal', type: LeadFieldType.Date, options: [], required: false },
  { key: 'industry', type: LeadFieldType.Select, options: ['Retail', 'Finance'], required: false },
]);

function reasons(conditions: string[], field?: string): { field: string; reason: string }[] {
  try {
    compileCustomConditions(conditions, fields, field);
  } catch (err) {
    if (err instanceof ValidationProblem) return err.errors.map(({ field, reason }) => ({ field, reason }));
    throw err;
  }
  return [];
}

describe('compileCustomConditions', () => {
  it('binds keys and values as parameters, never in the SQL text', () => {
    const compiled = compileCustomConditions(
      ['budget:gte:1000', 'industry:eq:retail', 'note:contains:50%_off', 'renewal:lt:2026-01-01', 'vip:empty'],
      fields,
    );
    for (const c of compiled) {
      expect(c.where).not.toMatch(/budget|industry|note|renewal|vip|1000|retail|Retail|2026/);
    }
    expect(compiled.map((c) => c.params)).toEqual([
      { fCfKey0: 'budget', fCfValue0: '1000' },
      { fCfValue1: '{"industry":"Retail"}' },
      { fCfKey2: 'note', fCfValue2: '%50\\%\\_off%' },
      { fCfKey3: 'renewal', fCfValue3: '2026-01-01' },
      { fCfKey4: 'vip' },
    ]);
    expect(compiled[0].where).toContain("jsonb_typeof(l.custom_fields -> :fCfKey0::text) = 'number'");
    expect(compiled[1].where).toBe('l.custom_fields @> :fCfValue1::jsonb');
  });

  it('compiles eq on numbers and booleans as typed JSON, neq as its negation', () => {
    const [num, bool] = compileCustomConditions(['budget:eq:12.50', 'vip:neq:yes'], fields);
    expect(num.params).toEqual({ fCfValue0: '{"budget":12.5}' });
    expect(bool).toEqual({
      where: 'NOT (l.custom_fields @> :fCfValue1::jsonb)',
      params: { fCfValue1: '{"vip":true}' },
    });
  });

  it('names every condition that does not fit its field', () => {
    expect(
      reasons(
        [
          'gone:eq:1',
          'note:gt:a',
          'vip:contains:x',
          'budget:gte:lots',
          'renewal:lt:2026-13-01',
          'industry:eq:Health',
          'budget:eq',
          'note:empty:x',
        ],
        'filter.custom',
      ),
    ).toEqual([
      { field: 'filter.custom', reason: 'gone:eq:1: gone is not a custom field of your organization' },
      {
        field: 'filter.custom',
        reason: 'note:gt:a: gt does not apply to a text field (use eq, neq, contains, empty, notempty)',
      },
      {
        field: 'filter.custom',
        reason: 'vip:contains:x: contains does not apply to a boolean field (use eq, neq, empty, notempty)',
      },
      { field: 'filter.custom', reason: 'budget:gte:lots: the value must be a number, such as 12 or -3.5' },
      { field: 'filter.custom', reason: 'renewal:lt:2026-13-01: the value must be a date written YYYY-MM-DD' },
      { field: 'filter.custom', reason: 'industry:eq:Health: the value must be one of: Retail, Finance' },
      { field: 'filter.custom', reason: 'budget:eq: eq needs a value' },
      { field: 'filter.custom', reason: 'note:empty:x: empty takes no value' },
    ]);
  });

  it('keeps colons inside the value', () => {
    const [c] = compileCustomConditions(['note:eq:a:b:c'], fields);
    expect(c.params).toEqual({ fCfValue0: '{"note":"a:b:c"}' });
  });
});
