import { combine } from './lead-duplicates.service';
import { checkMergeChoices, planMerge } from './lead-merge.plan';
import { Lead, LeadSource, LeadStatus } from './lead.entity';

function lead(values: Partial<Lead>): Lead {
  return Object.assign(new Lead(), {
    id: 'id',
    organizationId: 'org',
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    company: null,
    title: null,
    source: LeadSource.Other,
    status: LeadStatus.New,
    score: 0,
    ownerId: null,
    tags: [],
    customFields: {},
    consentEmail: false,
    consentWhatsapp: false,
    unsubscribedAt: null,
    mergedIntoId: null,
    ...values,
  });
}

const row = (plan: ReturnType<typeof planMerge>['plan'], field: string) => plan.fields.find((f) => f.field === field)!;

describe('planMerge', () => {
  it('treats blank text as empty, keeps the survivor otherwise, and takes the higher score', () => {
    const { plan } = planMerge(
      lead({ firstName: '  ', lastName: 'Lima', score: 70, source: LeadSource.Import }),
      lead({ firstName: 'Ana', lastName: 'Silva', score: 40, source: LeadSource.Web }),
    );
    expect(plan.values).toMatchObject({ firstName: 'Ana', lastName: 'Lima', score: 70, source: LeadSource.Import });
    expect(Object.keys(plan.changes)).toEqual(['firstName']);
  });

  it('unites tags without repeats, or keeps one side when chosen', () => {
    const s = lead({ tags: ['a', 'b'] });
    const m = lead({ tags: ['b', 'c'] });
    expect(planMerge(s, m).plan.values.tags).toEqual(['a', 'b', 'c']);
    expect(planMerge(s, m, { tags: 'both' }).plan.values.tags).toEqual(['a', 'b', 'c']);
    expect(planMerge(s, m, { tags: 'merged' }).plan.values.tags).toEqual(['b', 'c']);
    expect(planMerge(s, m, { tags: 'survivor' }).plan.changes).toEqual({});
  });

  it('merges custom fields per key and never writes a key neither lead fills', () => {
    const { plan } = planMerge(
      lead({ customFields: { plan: 'pro', seats: null, vip: false } }),
      lead({ customFields: { plan: 'free', seats: 3, region: null, vip: true } }),
    );
    // false is a value, not an empty field.
    expect(plan.values.customFields).toEqual({ plan: 'pro', seats: 3, vip: false });
    expect(row(plan, 'customFields.region')).toMatchObject({ result: null, changed: false });
  });

  it('lets consent travel only with its own address', () => {
    const s = lead({ email: 's@x.example', consentEmail: false, phone: '+441', consentWhatsapp: false });
    const m = lead({ email: 'm@x.example', consentEmail: true, phone: '+442', consentWhatsapp: true });
    expect(planMerge(s, m).plan.values).toMatchObject({ consentEmail: false, consentWhatsapp: false });
    expect(planMerge(s, m, { email: 'merged' }).plan.values).toMatchObject({
      email: 'm@x.example',
      consentEmail: true,
      consentWhatsapp: false,
    });
    // Choosing an empty address leaves no address, and no consent borrowed from the survivor's.
    const none = planMerge(lead({ email: 's@x.example', consentEmail: true }), lead({}), { email: 'merged' });
    expect(none.plan.values).toMatchObject({ email: null, consentEmail: false });
  });

  it('keeps the earliest unsubscribe of the two', () => {
    const early = new Date('2024-01-01T00:00:00Z');
    const late = new Date('2024-06-01T00:00:00Z');
    expect(planMerge(lead({ unsubscribedAt: early }), lead({ unsubscribedAt: late })).plan.values.unsubscribedAt).toBe(
      early,
    );
    expect(planMerge(lead({}), lead({ unsubscribedAt: late })).plan.values.unsubscribedAt).toBe(late);
    expect(planMerge(lead({}), lead({})).plan.values.unsubscribedAt).toBeNull();
  });

  it('names custom fields that neither lead has', () => {
    const { errors } = planMerge(lead({ customFields: { a: 1 } }), lead({}), {
      'customFields.a': 'merged',
      'customFields.b': 'merged',
    });
    expect(errors).toEqual([{ field: 'fields.customFields.b', reason: 'is not a custom field of either lead' }]);
  });
});

describe('checkMergeChoices', () => {
  it('accepts known fields and names every wrong one', () => {
    expect(checkMergeChoices({ email: 'merged', tags: 'both', 'customFields.x': 'survivor' })).toEqual([]);
    expect(
      checkMergeChoices({ id: 'merged', 'customFields.': 'merged', status: 'both', consentWhatsapp: 'merged' }).map(
        (e) => e.field,
      ),
    ).toEqual(['fields.id', 'fields.customFields.', 'fields.status', 'fields.consentWhatsapp']);
  });
});

describe('combine', () => {
  it('adds independent hints up without reaching certainty', () => {
    expect(combine([0.7])).toBe(0.7);
    expect(combine([0.8, 0.7])).toBe(0.94);
    expect(combine([0.9, 0.8, 0.7])).toBe(0.99);
  });
});
