import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageMetaDto } from '../../../common/pagination';
import { DUPLICATE_REASONS, type DuplicateReason } from '../lead-duplicates.service';
import { MERGE_RULES, type MergeChoice, type MergeValue } from '../lead-merge.plan';
import { LeadDto } from './lead.dto';

const MERGE_CHOICES = ['survivor', 'merged', 'both'];
const ANY_VALUE: ApiPropertyOptions = {
  nullable: true,
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
};

export class DuplicateGroupsQueryDto {
  @ApiPropertyOptional({ enum: DUPLICATE_REASONS, enumName: 'DuplicateReason', description: 'Only this reason.' })
  @IsOptional()
  @IsIn(DUPLICATE_REASONS, { message: `must be one of ${DUPLICATE_REASONS.join(', ')}` })
  reason?: DuplicateReason;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Groups per page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (same reason filter).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class LeadDuplicatesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(50)
  limit: number = 10;
}

export class DuplicateGroupDto {
  @ApiProperty({ enum: DUPLICATE_REASONS, enumName: 'DuplicateReason' }) reason: DuplicateReason;
  @ApiProperty({ description: 'How likely the leads are one person, 0–1.', example: 0.9 }) confidence: number;
  @ApiProperty({
    description:
      'What the leads share: the mailbox (email), the E.164 number (phone), or name|company in the compared form (name_company).',
  })
  key: string;
  @ApiProperty({ description: 'How many live leads share the key.' }) size: number;
  @ApiProperty({ type: [LeadDto], description: 'Up to 10 of them (lowest ids first).' }) leads: LeadDto[];
}

export class DuplicateGroupPageDto extends PageMetaDto {
  @ApiProperty({ type: [DuplicateGroupDto] }) items: DuplicateGroupDto[];
}

export class DuplicateMatchDto {
  @ApiProperty({ enum: DUPLICATE_REASONS, enumName: 'DuplicateReason' }) reason: DuplicateReason;
  @ApiProperty({ example: 0.7 }) confidence: number;
}

export class LeadDuplicateDto {
  @ApiProperty({ type: LeadDto }) lead: LeadDto;
  @ApiProperty({ description: 'All reasons together, 0–1.', example: 0.94 }) confidence: number;
  @ApiProperty({ type: [DuplicateMatchDto] }) matches: DuplicateMatchDto[];
}

export class LeadDuplicateListDto {
  @ApiProperty({ type: [LeadDuplicateDto], description: 'Most likely first.' }) items: LeadDuplicateDto[];
}

export class MergeLeadsDto {
  @ApiProperty({ format: 'uuid', description: 'The lead that stays.' })
  @IsUUID('all', { message: 'must be a lead id' })
  survivorId: string;

  @ApiProperty({ format: 'uuid', description: 'The lead merged into the survivor, then deleted.' })
  @IsUUID('all', { message: 'must be a lead id' })
  mergedId: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: MERGE_CHOICES },
    description:
      'Overrides of the proposed values: `{ "email": "merged", "tags": "survivor", "customFields.plan": "merged" }`. ' +
      'Fields: firstName, lastName, email, phone, company, title, ownerId, source, status, score, tags (also `both`), ' +
      'customFields.<key>. Consent and unsubscribedAt follow rules and cannot be chosen.',
    example: { email: 'merged' },
  })
  @IsOptional()
  @IsObject({ message: 'must be an object of field names to survivor or merged' })
  fields?: Record<string, MergeChoice>;
}

export class MergeFieldDto {
  @ApiProperty({ example: 'email', description: 'A lead field, or customFields.<key>.' }) field: string;
  @ApiProperty(ANY_VALUE) survivorValue: MergeValue;
  @ApiProperty(ANY_VALUE) mergedValue: MergeValue;
  @ApiProperty({ ...ANY_VALUE, description: 'The value the survivor will have.' }) result: MergeValue;
  @ApiProperty({ enum: MERGE_CHOICES }) from: MergeChoice;
  @ApiProperty({ enum: MERGE_RULES, description: 'Why this value (`chosen`: your override).' }) rule: string;
  @ApiProperty({ enum: MERGE_CHOICES, isArray: true, description: 'What you may choose; empty: a rule decides.' })
  choices: MergeChoice[];
  @ApiProperty({ description: "The survivor's value changes." }) changed: boolean;
}

export class MergePreviewDto {
  @ApiProperty({ type: LeadDto }) survivor: LeadDto;
  @ApiProperty({ type: LeadDto }) merged: LeadDto;
  @ApiProperty({ type: LeadDto, description: 'The survivor as the merge would leave it.' }) result: LeadDto;
  @ApiProperty({ type: [MergeFieldDto] }) fields: MergeFieldDto[];
  @ApiProperty({ description: 'Timeline entries that move from the merged lead to the survivor.' })
  activitiesToMove: number;
}

export class MergeResultDto {
  @ApiProperty({ type: LeadDto }) survivor: LeadDto;
  @ApiProperty({ type: LeadDto, description: 'Now deleted, with mergedIntoId set.' }) merged: LeadDto;
  @ApiProperty() movedActivities: number;
  @ApiProperty({ type: [String], description: "The survivor's fields that changed." }) changedFields: string[];
}
