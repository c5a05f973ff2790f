import { HttpErrorResponse } from '@angular/common/http';
import {
  AbstractControl,
  FormBuilder,
  FormControl,
  FormGroup,
  FormRecord,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { CreateLeadDto, LeadDto, LeadFieldDto, LeadSource, LeadStatus, UpdateLeadDto } from '@meridian/api-client';

import { email, required } from '../../../core/forms/validators';
import { CustomFormValue, changedCustomFields, createCustomFields, customFormValue } from '../fields/custom-fields';

export interface LeadFormControls {
  firstName: FormControl<string>;
  lastName: FormControl<string>;
  email: FormControl<string>;
  phone: FormControl<string>;
  defaultCountry: FormControl<string>;
  company: FormControl<string>;
  title: FormControl<string>;
  source: FormControl<LeadSource>;
  status: FormControl<LeadStatus>;
  ownerId: FormControl<string | null>;
  tags: FormControl<string[]>;
  consentEmail: FormControl<boolean>;
  consentWhatsapp: FormControl<boolean>;
  /** One control per custom field, by key (see setCustomFieldControls). */
  customFields: FormRecord<FormControl<CustomFormValue>>;
}

export type LeadForm = FormGroup<LeadFormControls>;
export type LeadFormValue = ReturnType<LeadForm['getRawValue']>;

export const LEAD_FIELD_LABELS: Readonly<Record<keyof LeadFormControls, string>> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  defaultCountry: 'Country',
  company: 'Company',
  title: 'Job title',
  source: 'Source',
  status: 'Status',
  ownerId: 'Owner',
  tags: 'Tags',
  consentEmail: 'Email consent',
  consentWhatsapp: 'WhatsApp consent',
  customFields: 'Custom fields',
};

export const PHONE_COUNTRY_STORAGE_KEY = 'meridian.leads.phoneCountry';

/** The API wants one of these to tell who the lead is. */
function identifies(group: AbstractControl): ValidationErrors | null {
  const value = (group as LeadForm).getRawValue();
  const any = [value.firstName, value.lastName, value.email, value.phone, value.company].some((field) => field.trim());
  return any ? null : { identity: true };
}

export function buildLeadForm(fb: FormBuilder, defaultCountry: string): LeadForm {
  const nn = fb.nonNullable;
  return fb.group<LeadFormControls>(
    {
      firstName: nn.control('', Validators.maxLength(100)),
      lastName: nn.control('', Validators.maxLength(100)),
      email: nn.control('', [email, Validators.maxLength(320)]),
      phone: nn.control('', [Validators.maxLength(40), Validators.pattern(/^[\d\s+().\-/]*$/)]),
      defaultCountry: nn.control(defaultCountry),
      company: nn.control('', Validators.maxLength(200)),
      title: nn.control('', Validators.maxLength(200)),
      source: nn.control<LeadSource>('other'),
      status: nn.control<LeadStatus>('new'),
      ownerId: fb.control<string | null>(null),
      tags: nn.control<string[]>([]),
      consentEmail: nn.control(false),
      consentWhatsapp: nn.control(false),
      customFields: new FormRecord<FormControl<CustomFormValue>>({}),
    },
    { validators: identifies },
  );
}

/**
 * One control per custom field, in the definitions' order (controls of deleted fields go).
 * `requireOnCreate`: the create form checks the fields marked required; changes do not.
 */
export function setCustomFieldControls(form: LeadForm, fields: readonly LeadFieldDto[], requireOnCreate = false): void {
  const group = form.controls.customFields;
  const keys = new Set(fields.map((field) => field.key));
  for (const key of Object.keys(group.controls)) {
    if (!keys.has(key)) {
      group.removeControl(key, { emitEvent: false });
    }
  }
  for (const field of fields) {
    if (!group.contains(field.key)) {
      // A yes/no field always has a value (an unticked box is "no"): nothing to require.
      const validators = requireOnCreate && field.required && field.type !== 'boolean' ? [required] : [];
      group.addControl(field.key, new FormControl<CustomFormValue>(customFormValue(field, null), validators), {
        emitEvent: false,
      });
    }
  }
}

/** The form's custom values for a lead's stored ones. */
export function customFormValues(
  fields: readonly LeadFieldDto[],
  stored: Record<string, unknown> | null | undefined,
): Record<string, CustomFormValue> {
  return Object.fromEntries(fields.map((field) => [field.key, customFormValue(field, stored?.[field.key])]));
}

/** The form showing a lead as it is. */
export function leadFormValue(
  lead: LeadDto,
  defaultCountry: string,
  fields: readonly LeadFieldDto[] = [],
): LeadFormValue {
  return {
    firstName: lead.firstName ?? '',
    lastName: lead.lastName ?? '',
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    defaultCountry,
    company: lead.company ?? '',
    title: lead.title ?? '',
    source: lead.source,
    status: lead.status,
    ownerId: lead.ownerId,
    tags: [...lead.tags],
    consentEmail: lead.consentEmail,
    consentWhatsapp: lead.consentWhatsapp,
    customFields: customFormValues(fields, lead.customFields),
  };
}

const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'company', 'title'] as const;

/** A new lead: only what was filled in. */
export function createLeadBody(value: LeadFormValue, fields: readonly LeadFieldDto[] = []): CreateLeadDto {
  const body: CreateLeadDto = {
    source: value.source,
    status: value.status,
    consentEmail: value.consentEmail,
    consentWhatsapp: value.consentWhatsapp,
  };
  for (const field of TEXT_FIELDS) {
    const text = value[field].trim();
    if (text) {
      body[field] = text;
    }
  }
  const phone = value.phone.trim();
  if (phone) {
    body.phone = phone;
    if (value.defaultCountry) {
      body.defaultCountry = value.defaultCountry;
    }
  }
  if (value.ownerId) {
    body.ownerId = value.ownerId;
  }
  if (value.tags.length > 0) {
    body.tags = [...value.tags];
  }
  const custom = createCustomFields(fields, value.customFields ?? {});
  if (Object.keys(custom).length > 0) {
    body.customFields = custom;
  }
  return body;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/**
 * Only what changed, so the timeline and the audit log say what someone actually edited.
 * An emptied text field is sent as "" (the API stores it as null).
 */
export function updateLeadBody(
  lead: LeadDto,
  value: LeadFormValue,
  fields: readonly LeadFieldDto[] = [],
): UpdateLeadDto {
  const body: UpdateLeadDto = {};
  for (const field of TEXT_FIELDS) {
    const text = value[field].trim();
    const before = lead[field] ?? '';
    if (field === 'email' ? text.toLowerCase() !== before.toLowerCase() : text !== before) {
      body[field] = text;
    }
  }
  const phone = value.phone.trim();
  if (phone !== (lead.phone ?? '')) {
    body.phone = phone;
    if (phone && value.defaultCountry) {
      body.defaultCountry = value.defaultCountry;
    }
  }
  if (value.source !== lead.source) {
    body.source = value.source;
  }
  if (value.status !== lead.status) {
    body.status = value.status;
  }
  if ((value.ownerId ?? null) !== lead.ownerId) {
    body.ownerId = value.ownerId ?? null;
  }
  if (!sameList(value.tags, lead.tags)) {
    body.tags = [...value.tags];
  }
  if (value.consentEmail !== lead.consentEmail) {
    body.consentEmail = value.consentEmail;
  }
  if (value.consentWhatsapp !== lead.consentWhatsapp) {
    body.consentWhatsapp = value.consentWhatsapp;
  }
  const custom = changedCustomFields(fields, lead.customFields ?? {}, value.customFields ?? {});
  if (Object.keys(custom).length > 0) {
    body.customFields = custom;
  }
  return body;
}

/** On a 409 duplicate_email, the id of the lead that has the email already. */
export function duplicateLeadId(error: unknown): string | null {
  if (!(error instanceof HttpErrorResponse) || error.status !== 409) {
    return null;
  }
  let body: unknown = error.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (typeof body !== 'object' || body === null) {
    return null;
  }
  const id = (body as Record<string, unknown>)['existingLeadId'];
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/** Countries offered for national phone numbers (with + and a code, any country works). */
const PHONE_COUNTRIES = [
  'AR', 'AT', 'AU', 'BE', 'BR', 'CA', 'CH', 'CL', 'CN', 'CO', 'CZ', 'DE', 'DK', 'EG', 'ES', 'FI', 'FR', 'GB',
  'GR', 'HU', 'ID', 'IE', 'IL', 'IN', 'IT', 'JP', 'KE', 'KR', 'MA', 'MX', 'MY', 'NG', 'NL', 'NO', 'NZ', 'PE',
  'PH', 'PK', 'PL', 'PT', 'RO', 'SA', 'SE', 'SG', 'TH', 'TR', 'UA', 'US', 'VN', 'ZA',
]; // prettier-ignore

export interface CountryOption {
  code: string;
  name: string;
}

function regionName(names: Intl.DisplayNames | null, code: string): string {
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The phone countries by name, with `extra` (the user's own) added when it is not among them. */
export function phoneCountries(extra?: string | null): CountryOption[] {
  const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(undefined, { type: 'region' }) : null;
  const codes = new Set(PHONE_COUNTRIES);
  if (extra && /^[A-Z]{2}$/.test(extra)) {
    codes.add(extra);
  }
  return Array.from(codes, (code) => ({ code, name: regionName(names, code) })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

/** The country last picked here, else the one of the browser's language ("en-GB" -> GB), else none. */
export function defaultPhoneCountry(storage: Pick<Storage, 'getItem'> | null | undefined, language: string): string {
  try {
    const stored = storage?.getItem(PHONE_COUNTRY_STORAGE_KEY);
    if (stored && /^[A-Z]{2}$/.test(stored)) {
      return stored;
    }
  } catch {
    // No storage: fall through.
  }
  try {
    const region = new Intl.Locale(language).maximize().region;
    return region && /^[A-Z]{2}$/.test(region) ? region : '';
  } catch {
    return '';
  }
}

export function rememberPhoneCountry(storage: Pick<Storage, 'setItem'> | null | undefined, country: string): void {
  try {
    if (country) {
      storage?.setItem(PHONE_COUNTRY_STORAGE_KEY, country);
    }
  } catch {
    // The choice lasts for this form only.
  }
}
