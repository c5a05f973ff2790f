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
  ValidateNested,
} from 'class-validator';
import { PageMetaDto } from '../../../common/pagination';
import { LeadFilter } from '../lead-filter';
import { LeadSource, LeadStatus } from '../lead.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

export class CreateLeadDto {
  @ApiPropertyOptional({ example: 'Ana' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ example: 'Lima' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ example: 'ana@example.com' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
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

  @ApiPropertyOptional({ example: 'Acme Ltd' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  company?: string | null;

  @ApiPropertyOptional({ example: 'Head of Marketing' })
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

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

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
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  @IsOptional()
  @IsObject()
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
  @ApiProperty() score: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) customFields: Record<string, unknown>;
  @ApiProperty() consentEmail: boolean;
  @ApiProperty() consentWhatsapp: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) unsubscribedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: string | null;
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

export class LeadPageDto extends PageMetaDto {
  @ApiProperty({ type: [LeadDto] }) items: LeadDto[];
}

export class LeadCountDto {
  @ApiProperty() count: number;
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
  @ApiProperty({
    enum: ['created', 'status_changed', 'assigned', 'note', 'updated', 'deleted', 'restored', 'imported'],
  })
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
