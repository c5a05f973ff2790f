import { LeadFieldDto } from '@meridian/api-client';

import { formatMergeValue, mergeBody, mergeFieldLabel, swapOverrides, withChoice } from './lead-merge';

const PLAN = { key: 'plan', label: 'Plan', type: 'select' } as LeadFieldDto;
const fields = new Map([['plan', PLAN]]);

describe('lead merge', () => {
  it('sends only the choices made, and no fields at all when there are none', () => {
    expect(mergeBody('s', 'm', {})).toEqual({ survivorId: 's', mergedId: 'm' });
    expect(mergeBody('s', 'm', { email: 'merged', tags: 'survivor', 'customFields.plan': 'merged' })).toEqual({
      survivorId: 's',
      mergedId: 'm',
      fields: { email: 'merged', tags: 'survivor', 'customFields.plan': 'merged' },
    });
  });

  it('drops a choice that is what the API proposes anyway', () => {
    const email = { field: 'email', rule: 'survivor_unless_empty', from: 'survivor' } as const;
    expect(withChoice({}, email, 'merged')).toEqual({ email: 'merged' });
    expect(withChoice({ email: 'merged' }, { ...email, rule: 'chosen', from: 'merged' }, 'survivor')).toEqual({
      email: 'survivor',
    });
    expect(withChoice({ tags: 'survivor' }, { field: 'tags', rule: 'union', from: 'both' }, 'both')).toEqual({});
  });

  it('keeps the same values when the leads swap places', () => {
    expect(swapOverrides({ email: 'merged', phone: 'survivor', tags: 'both' })).toEqual({
      email: 'survivor',
      phone: 'merged',
      tags: 'both',
    });
  });

  it('names and formats the fields', () => {
    expect(mergeFieldLabel('email', fields)).toBe('Email');
    expect(mergeFieldLabel('customFields.plan', fields)).toBe('Plan');
    expect(mergeFieldLabel('customFields.gone', fields)).toBe('gone');
    const owner = (id: string | null) => (id === 'u1' ? 'Olivia' : 'Another user');
    expect(formatMergeValue('ownerId', 'u1', owner, fields)).toBe('Olivia');
    expect(formatMergeValue('status', 'qualified', owner, fields)).toBe('Qualified');
    expect(formatMergeValue('tags', ['vip', 'emea'], owner, fields)).toBe('vip, emea');
    expect(formatMergeValue('tags', [], owner, fields)).toBe('—');
    expect(formatMergeValue('consentEmail', false, owner, fields)).toBe('No');
    expect(formatMergeValue('customFields.plan', 'Pro', owner, fields)).toBe('Pro');
    expect(formatMergeValue('company', null, owner, fields)).toBe('—');
  });
});
