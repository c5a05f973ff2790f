import type { FieldError } from '../../common/errors/problem';

/** Lead fields a column can be imported into (plus `custom:<key>` and `ignore`). */
export const IMPORT_FIELDS = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'phone',
  'company',
  'title',
  'source',
  'status',
  'tags',
  'consentEmail',
  'consentWhatsapp',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** What one column becomes: a lead field, a custom field, or nothing. */
export type ColumnTarget = ImportField | `custom:${string}` | 'ignore';

/** Columns that make a row a findable lead; at least one must be mapped. */
export const IDENTIFYING_FIELDS: readonly ImportField[] = [
  'email',
  'phone',
  'firstName',
  'lastName',
  'fullName',
  'company',
];

const CUSTOM_KEY = /^[A-Za-z][\w-]{0,49}$/;

/** Header spellings (normalised: lower case, letters and digits only) of each field. */
const SYNONYMS: Record<ImportField, string[]> = {
  firstName: ['firstname', 'first', 'givenname', 'forename', 'vorname', 'prenom', 'nombre', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'nachname', 'nom', 'apellido', 'apellidos', 'lname'],
  fullName: ['name', 'fullname', 'contactname', 'contact', 'leadname', 'displayname'],
  email: ['email', 'emailaddress', 'mail', 'emailadresse', 'courriel', 'correo', 'correoelectronico', 'workemail'],
  phone: [
    'phone',
    'phonenumber',
    'telephone',
    'tel',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
    'telefon',
    'telefonnummer',
    'handy',
    'whatsapp',
    'telefono',
  ],
  company: [
    'company',
    'companyname',
    'organisation',
    'organization',
    'org',
    'account',
    'accountname',
    'firma',
    'unternehmen',
    'employer',
    'business',
    'empresa',
    'societe',
  ],
  title: ['title', 'jobtitle', 'position', 'role', 'jobrole', 'designation', 'funktion', 'beruf', 'cargo'],
  source: ['source', 'leadsource', 'quelle', 'origin'],
  status: ['status', 'leadstatus', 'stage'],
  tags: ['tags', 'tag', 'labels', 'label', 'segments', 'lists'],
  consentEmail: ['consentemail', 'emailconsent', 'emailoptin', 'optin', 'subscribed', 'newsletter', 'marketingconsent'],
  consentWhatsapp: ['consentwhatsapp', 'whatsappconsent', 'whatsappoptin'],
};

const BY_SYNONYM = new Map<string, ImportField>(
  Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as ImportField] as const)),
);

/** A header reduced to lower-case letters and digits ("E-mail Address" → "emailaddress"). */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The mapping the wizard proposes: each header to the field it names (by
 * normalised name or a common synonym, in several languages), `custom:<key>`
 * for headers written that way (exports use it), `ignore` for the rest.
 * A field is proposed once, for its first column.
 */
export function suggestMapping(headers: readonly string[]): Record<string, ColumnTarget> {
  const used = new Set<string>();
  const mapping: Record<string, ColumnTarget> = {};
  for (const header of headers) {
    const custom = /^custom[:.](.+)$/i.exec(header.trim());
    let target: ColumnTarget = 'ignore';
    if (custom && CUSTOM_KEY.test(custom[1])) target = `custom:${custom[1]}`;
    else target = BY_SYNONYM.get(normaliseHeader(header)) ?? 'ignore';
    if (target !== 'ignore' && used.has(target)) target = 'ignore';
    if (target !== 'ignore') used.add(target);
    mapping[header] = target;
  }
  return mapping;
}

/** Every problem of a mapping, each on its own field (`mapping.<header>`), or none. */
export function validateMapping(
  mapping: Record<string, unknown>,
  headers: readonly string[],
  /** The organization's custom field keys; when given, a custom target must be one of them. */
  customKeys?: ReadonlySet<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(headers);
  const firstHeaderOf = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    const field = `mapping.${header}`;
    if (!known.has(header)) {
      errors.push({ field, reason: 'is not a column of the file' });
      continue;
    }
    if (typeof target !== 'string') {
      errors.push({ field, reason: 'must be a lead field, custom:<key> or ignore' });
      continue;
    }
    if (target === 'ignore') continue;
    if (target.startsWith('custom:')) {
      if (!CUSTOM_KEY.test(target.slice(7))) {
        errors.push({
          field,
          reason: 'custom field keys start with a letter and have up to 50 letters, digits, _ or -',
        });
        continue;
      }
      if (customKeys && !customKeys.has(target.slice(7))) {
        errors.push({
          field,
          reason: `"${target.slice(7)}" is not a custom field of your organization (define it first)`,
        });
        continue;
      }
    } else if (!(IMPORT_FIELDS as readonly string[]).includes(target)) {
      errors.push({
        field,
        reason: `unknown field "${target}": use one of ${IMPORT_FIELDS.join(', ')}, custom:<key> or ignore`,
      });
      continue;
    }
    const earlier = firstHeaderOf.get(target);
    if (earlier !== undefined) {
      errors.push({ field, reason: `${target} is already mapped from the column "${earlier}"` });
      continue;
    }
    firstHeaderOf.set(target, header);
  }
  if (!IDENTIFYING_FIELDS.some((f) => firstHeaderOf.has(f))) {
    errors.push({
      field: 'mapping',
      reason: `no identifying column: map at least one column to ${IDENTIFYING_FIELDS.join(', ')}`,
    });
  }
  return errors;
}
