import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { LeadSource, LeadStatus } from './lead.entity';

const asArray = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];
const asBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The full-text document of a lead; the GIN index of the migration is on this same expression. */
export const LEAD_SEARCH_TSV =
  "to_tsvector('simple', coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '') || ' ' || coalesce(l.email, '') || ' ' || coalesce(l.company, ''))";

/**
 * Which leads: one validated object that compiles to parameterised SQL. The
 * leads list uses it, and campaign audiences will.
 */
export class LeadFilter {
  @ApiPropertyOptional({ enum: LeadStatus, enumName: 'LeadStatus', isArray: true })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(10)
  @IsEnum(LeadStatus, { each: true, message: `each value must be one of ${Object.values(LeadStatus).join(', ')}` })
  status?: LeadStatus[];

  @ApiPropertyOptional({ enum: LeadSource, enumName: 'LeadSource', isArray: true })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(10)
  @IsEnum(LeadSource, { each: true, message: `each value must be one of ${Object.values(LeadSource).join(', ')}` })
  source?: LeadSource[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id' })
  ownerId?: string;

  @ApiPropertyOptional({ isArray: true, type: String, description: 'Leads with any of these tags.' })
  @IsOptional()
  @Transform(asArray)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  scoreMin?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  scoreMax?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be a date-time' })
  createdFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be a date-time' })
  createdTo?: Date;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  hasEmail?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  hasPhone?: boolean;

  @ApiPropertyOptional({ description: 'Consented to email and not unsubscribed.' })
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  emailConsent?: boolean;

  @ApiPropertyOptional({ description: 'Full-text search over name, email and company (prefixes match).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Deleted leads only (the recycle bin).' })
  @IsOptional()
  @Transform(asBool)
  @IsBoolean({ message: 'must be true or false' })
  deleted?: boolean;
}

/** Adds the filter's conditions (all parameterised) to a query on `leads l`. */
export function applyLeadFilter(qb: SelectQueryBuilder<ObjectLiteral>, f: LeadFilter): void {
  if (f.deleted) qb.withDeleted().andWhere('l.deleted_at IS NOT NULL');
  if (f.status?.length) qb.andWhere('l.status IN (:...fStatus)', { fStatus: f.status });
  if (f.source?.length) qb.andWhere('l.source IN (:...fSource)', { fSource: f.source });
  if (f.ownerId) qb.andWhere('l.owner_id = :fOwner', { fOwner: f.ownerId });
  if (f.tag?.length) qb.andWhere('l.tags && :fTags', { fTags: f.tag });
  if (f.scoreMin !== undefined) qb.andWhere('l.score >= :fScoreMin', { fScoreMin: f.scoreMin });
  if (f.scoreMax !== undefined) qb.andWhere('l.score <= :fScoreMax', { fScoreMax: f.scoreMax });
  if (f.createdFrom) qb.andWhere('l.created_at >= :fFrom', { fFrom: f.createdFrom });
  if (f.createdTo) qb.andWhere('l.created_at < :fTo', { fTo: f.createdTo });
  if (f.hasEmail !== undefined) qb.andWhere(f.hasEmail ? 'l.email IS NOT NULL' : 'l.email IS NULL');
  if (f.hasPhone !== undefined) qb.andWhere(f.hasPhone ? 'l.phone IS NOT NULL' : 'l.phone IS NULL');
  if (f.emailConsent !== undefined) {
    qb.andWhere(
      f.emailConsent
        ? 'l.consent_email AND l.unsubscribed_at IS NULL'
        : new Brackets((w) => w.where('NOT l.consent_email').orWhere('l.unsubscribed_at IS NOT NULL')),
    );
  }
  const words = (f.q?.toLowerCase().match(/[\p{L}\p{N}@._+-]+/gu) ?? [])
    .filter((w) => /^[\p{L}\p{N}]/u.test(w))
    .slice(0, 8);
  if (words.length > 0) {
    // Each word as a prefix, all required: "ana lim" finds "Ana Lima".
    const tsquery = words.map((w) => `${w}:*`).join(' & ');
    qb.andWhere(`${LEAD_SEARCH_TSV} @@ to_tsquery('simple', :fQuery)`, { fQuery: tsquery });
  }
}
