import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageMetaDto } from '../../../common/pagination';
import { registerFastQueryParser } from '../../../common/errors/validation';
import { LeadActivityType } from '../lead-activity.entity';
import { LeadFilter } from '../lead-filter';
import { LeadSource, LeadStatus } from '../lead.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

export class CreateLeadDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Ana' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Lima' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'ana@example.com' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '+44 20 7946 0958',
    description: 'Any common format; stored as E.164. National numbers need defaultCountry.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ example: 'GB', description: 'ISO country for phone numbers written without +code.' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be a two-letter country code such as GB' })
  defaultCountry?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Acme Ltd' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  company?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Head of Marketing' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  title?: string | null;

  @ApiPropertyOptional({ enum: LeadSource, enumName: 'LeadSource' })
  @IsOptional()
  @IsEnum(LeadSource, { message: `must be one of ${Object.values(LeadSource).join(', ')}` })
  source?: LeadSource;

  @ApiPropertyOptional({ enum: LeadStatus, enumName: 'LeadStatus' })
  @IsOptional()
  @IsEnum(LeadStatus, { message: `must be one of ${Object.values(LeadStatus).join(', ')}` })
  status?: LeadStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A user of your organization.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id' })
  ownerId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['vip', 'emea'] })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    // OpenAPI 3.0 has no null type: null (clear the value) rides on the string branch.
    additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] },
    example: { annual_budget: 25000, industry: 'Retail', renewal_date: '2026-03-31' },
    description:
      'Values of the custom fields of your organization (GET /api/lead-fields), by key: text, number, ' +
      'boolean, date as YYYY-MM-DD, or one of the options of a select field. On change, only the keys ' +
      'given are changed; null clears one.',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsObject({ message: 'must be an object of custom field values by key' })
  customFields?: Record<string, string | number | boolean | null>;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() consentEmail?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() consentWhatsapp?: boolean;
}

export class UpdateLeadDto extends PartialType(CreateLeadDto) {}

export class LeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'E.164' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ enum: LeadSource, enumName: 'LeadSource' }) source: LeadSource;
  @ApiProperty({ enum: LeadStatus, enumName: 'LeadStatus' }) status: LeadStatus;
  @ApiProperty({
    minimum: 0,
    maximum: 100,
    description: 'Computed from the lead and its timeline (docs: "How the score is computed"); read-only.',
  })
  score: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Values of the custom fields that are defined (values of deleted fields are kept but not shown).',
  })
  customFields: Record<string, unknown>;
  @ApiProperty() consentEmail: boolean;
  @ApiProperty() consentWhatsapp: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) unsubscribedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The lead this one was merged into (it is then deleted and cannot be restored).',
  })
  mergedIntoId: string | null;
}

export const LEAD_SORTS = ['createdAt', 'updatedAt', 'score', 'name'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

class LeadPageQuery {
  @ApiPropertyOptional({ enum: LEAD_SORTS, default: 'createdAt' })
  @IsOptional()
  @IsIn(LEAD_SORTS, { message: `must be one of ${LEAD_SORTS.join(', ')}` })
  sort: LeadSort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order: 'asc' | 'desc' = 'desc';

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (same sort and filter).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class LeadListQueryDto extends IntersectionType(LeadFilter, LeadPageQuery) {}

const STATUSES: ReadonlySet<unknown> = new Set(Object.values(LeadStatus));
const SORTS: ReadonlySet<unknown> = new Set(LEAD_SORTS);
const LIMIT = /^[1-9]\d{0,2}$/;

/**
 * The list query as people page through it (limit, cursor, sort, order, q,
 * status), without class-transformer and class-validator; anything else
 * takes the full ValidationPipe (see FastQueryParser).
 */
export function parseLeadListQuery(query: Readonly<Record<string, unknown>>): LeadListQueryDto | undefined {
  const dto = new LeadListQueryDto();
  for (const key in query) {
    const value = query[key];
    switch (key) {
      case 'limit': {
        if (typeof value !== 'string' || !LIMIT.test(value) || Number(value) > 200) return undefined;
        dto.limit = Number(value);
        break;
      }
      case 'cursor':
        // MaxLength counts characters; a string of at most 500 code units always passes.
        if (typeof value !== 'string' || value.length > 500) return undefined;
        dto.cursor = value;
        break;
      case 'q':
        if (typeof value !== 'string' || value.length > 200) return undefined;
        dto.q = value;
        break;
      case 'sort':
        if (!SORTS.has(value)) return undefined;
        dto.sort = value as LeadSort;
        break;
      case 'order':
        if (value !== 'asc' && value !== 'desc') return undefined;
        dto.order = value;
        break;
      case 'status': {
        const list: unknown[] = Array.isArray(value) ? value : [value];
        if (list.length > 10 || !list.every((s) => STATUSES.has(s))) return undefined;
        dto.status = [...list] as LeadStatus[];
        break;
      }
      default:
        return undefined;
    }
  }
  return dto;
}

registerFastQueryParser(LeadListQueryDto, parseLeadListQuery);

export class LeadPageDto extends PageMetaDto {
  @ApiProperty({ type: [LeadDto] }) items: LeadDto[];
}

export class LeadCountDto {
  @ApiProperty() count: number;
}

export class RescoreLeadsDto {
  @ApiProperty({ description: 'The background job; requests within the same two seconds share one.' }) jobId: string;
}

export class DuplicateLeadProblemDto {
  @ApiProperty({ format: 'uuid' }) existingLeadId: string;
}

export class NoteDto {
  @ApiProperty({ example: 'Called, wants a demo next week.' })
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(5000)
  body: string;
}

export class LeadActivityDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: Object.values(LeadActivityType) })
  type: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty() actorLabel: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class LeadActivityPageDto extends PageMetaDto {
  @ApiProperty({ type: [LeadActivityDto] }) items: LeadActivityDto[];
}

export class SavedViewInputDto {
  @ApiProperty({ example: 'Hot EMEA leads' })
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ description: 'Visible to everyone in the organization.' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;

  @ApiProperty({ type: () => LeadFilter })
  @ValidateNested()
  @Type(() => LeadFilter)
  @IsObject()
  filter: LeadFilter;

  @ApiPropertyOptional({ enum: LEAD_SORTS })
  @IsOptional()
  @IsIn(LEAD_SORTS, { message: `must be one of ${LEAD_SORTS.join(', ')}` })
  sort?: LeadSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order?: 'asc' | 'desc';
}

export class SavedViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() shared: boolean;
  @ApiProperty({ description: 'Yours (you can change or delete it).' }) mine: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) filter: Record<string, unknown>;
  @ApiProperty({ enum: LEAD_SORTS }) sort: string;
  @ApiProperty({ enum: ['asc', 'desc'] }) order: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
