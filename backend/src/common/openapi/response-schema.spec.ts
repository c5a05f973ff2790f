import 'reflect-metadata';
import fastJson from 'fast-json-stringify';
import { MeDto } from '../../modules/auth/dto/auth.dto';
import { LeadDto, LeadPageDto } from '../../modules/leads/dto/lead.dto';
import { responseSchemaOf } from './response-schema';

const lead = (over: Partial<LeadDto>): LeadDto => ({
  id: '6b5b885b-4b96-4e6a-b893-948a39d8fc3c',
  firstName: 'Chloé',
  lastName: 'O"Brien \\ </script>',
  email: 'lead@example.com',
  phone: '+442007900000',
  company: 'Acme',
  title: 'CEO',
  source: 'web' as LeadDto['source'],
  status: 'new' as LeadDto['status'],
  score: 37,
  ownerId: '0f5b885b-4b96-4e6a-b893-948a39d8fc3c',
  tags: ['vip', 'emea'],
  customFields: { budget: 1200.5, industry: 'Retail', nested: { a: [1, null, 'x'] }, flag: false, none: null },
  consentEmail: true,
  consentWhatsapp: false,
  unsubscribedAt: '2026-01-02T03:04:05.678Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.001Z',
  deletedAt: null,
  mergedIntoId: null,
  ...over,
});

describe('responseSchemaOf (Fastify response serialization)', () => {
  it('serializes a leads page exactly as JSON.stringify does, nulls and custom fields included', () => {
    const serialize = fastJson(responseSchemaOf(LeadPageDto));
    const pages = [
      {
        items: [
          lead({}),
          lead({
            firstName: null,
            lastName: null,
            email: null,
            phone: null,
            company: null,
            title: null,
            ownerId: null,
            unsubscribedAt: null,
            deletedAt: '2026-02-02T00:00:00.000Z',
            mergedIntoId: '7b5b885b-4b96-4e6a-b893-948a39d8fc3c',
            tags: [],
            customFields: {},
          }),
        ],
        nextCursor: 'WyIyMDI2Il0',
      },
      { items: [], nextCursor: null },
    ];
    for (const page of pages) expect(JSON.parse(serialize(page))).toEqual(JSON.parse(JSON.stringify(page)));
  });

  it('serializes /me as JSON.stringify does', () => {
    const me: MeDto = {
      id: 'u1',
      email: 'owner@example.com',
      name: 'Owner',
      role: 'owner' as MeDto['role'],
      permissions: ['leads:read', 'leads:write'] as MeDto['permissions'],
      organization: { id: 'o1', name: 'Acme "Inc"', mfaRequired: false, timeZone: 'Europe/Berlin' },
      mfaEnabled: true,
      mustChangePassword: false,
      via: 'user',
    };
    expect(fastJson(responseSchemaOf(MeDto))(me)).toBe(JSON.stringify(me));
  });

  it('refuses a DTO it cannot describe rather than serialize it wrongly', () => {
    class Bare {}
    expect(() => responseSchemaOf(Bare)).toThrow(/no @ApiProperty/);
  });
});
