import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { FormBuilder } from '@angular/forms';
import { LeadDto } from '@meridian/api-client';

import {
  PHONE_COUNTRY_STORAGE_KEY,
  buildLeadForm,
  createLeadBody,
  defaultPhoneCountry,
  duplicateLeadId,
  leadFormValue,
  updateLeadBody,
} from './lead-form';

function lead(overrides: Partial<LeadDto> = {}): LeadDto {
  return {
    id: 'a0000000-0000-4000-8000-000000000001',
    firstName: 'Ana',
    lastName: 'Lima',
    email: 'ana@acme.example',
    phone: '+442079460958',
    company: 'Acme',
    title: null,
    source: 'web',
    status: 'new',
    score: 40,
    ownerId: null,
    tags: ['vip'],
    customFields: {},
    consentEmail: true,
    consentWhatsapp: false,
    unsubscribedAt: null,
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-01-10T10:00:00.000Z',
    deletedAt: null,
    mergedIntoId: null,
    ...overrides,
  };
}

describe('lead form', () => {
  let fb: FormBuilder;
  beforeEach(() => {
    fb = TestBed.inject(FormBuilder);
  });

  it('wants at least a name, an email, a phone or a company', () => {
    const form = buildLeadForm(fb, 'GB');
    expect(form.hasError('identity')).toBe(true);
    form.controls.company.setValue('Acme');
    expect(form.hasError('identity')).toBe(false);
  });

  it('creates with only what was filled in, trimmed', () => {
    const form = buildLeadForm(fb, 'GB');
    form.patchValue({ firstName: '  Ana ', email: 'ana@acme.example', tags: ['vip'], ownerId: 'u1' });
    expect(createLeadBody(form.getRawValue())).toEqual({
      firstName: 'Ana',
      email: 'ana@acme.example',
      source: 'other',
      status: 'new',
      ownerId: 'u1',
      tags: ['vip'],
      consentEmail: false,
      consentWhatsapp: false,
    });
  });

  it('sends the phone with the country of national numbers', () => {
    const form = buildLeadForm(fb, 'GB');
    form.patchValue({ phone: '020 7946 0958' });
    expect(createLeadBody(form.getRawValue())).toMatchObject({ phone: '020 7946 0958', defaultCountry: 'GB' });
    form.patchValue({ defaultCountry: '' });
    expect(createLeadBody(form.getRawValue())).not.toHaveProperty('defaultCountry');
  });

  it('updates only what changed, and sends an emptied field as ""', () => {
    const original = lead();
    const value = leadFormValue(original, 'GB');
    expect(updateLeadBody(original, value)).toEqual({});

    expect(
      updateLeadBody(original, {
        ...value,
        email: 'ANA@acme.example',
        company: '',
        title: 'CTO',
        status: 'qualified',
        tags: ['vip', 'emea'],
        ownerId: 'u2',
        consentEmail: false,
      }),
    ).toEqual({
      company: '',
      title: 'CTO',
      status: 'qualified',
      tags: ['vip', 'emea'],
      ownerId: 'u2',
      consentEmail: false,
    });
  });

  it('sends a changed phone with its country, and null to remove the owner', () => {
    const original = lead({ ownerId: 'u1' });
    const value = leadFormValue(original, 'FR');
    expect(updateLeadBody(original, { ...value, phone: '01 23 45 67 89', ownerId: null })).toEqual({
      phone: '01 23 45 67 89',
      defaultCountry: 'FR',
      ownerId: null,
    });
    expect(updateLeadBody(original, { ...value, phone: '' })).toEqual({ phone: '' });
  });

  it('finds the existing lead in a 409 duplicate_email, whatever the body type', () => {
    const body = { code: 'duplicate_email', existingLeadId: 'b1', errors: [] };
    expect(duplicateLeadId(new HttpErrorResponse({ status: 409, error: body }))).toBe('b1');
    expect(duplicateLeadId(new HttpErrorResponse({ status: 409, error: JSON.stringify(body) }))).toBe('b1');
    expect(duplicateLeadId(new HttpErrorResponse({ status: 400, error: body }))).toBeNull();
    expect(duplicateLeadId(new HttpErrorResponse({ status: 409, error: { code: 'other' } }))).toBeNull();
    expect(duplicateLeadId(new Error('x'))).toBeNull();
  });

  it('defaults the phone country to the last one used, else the browser language', () => {
    const stored = { getItem: (key: string) => (key === PHONE_COUNTRY_STORAGE_KEY ? 'DE' : null) };
    expect(defaultPhoneCountry(stored, 'en-GB')).toBe('DE');
    expect(defaultPhoneCountry({ getItem: () => null }, 'en-GB')).toBe('GB');
    expect(defaultPhoneCountry(null, 'pt-BR')).toBe('BR');
    expect(defaultPhoneCountry(null, 'not a locale!')).toBe('');
  });
});
