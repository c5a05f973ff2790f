import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CUSTOM_FIELD_KEY_PATTERN } from '../custom-fields';
import { LeadFieldType } from '../lead-field-definition.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

export const MAX_SELECT_OPTIONS = 100;

class LeadFieldSettingsDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['Retail', 'Finance', 'Health'],
    description: 'The allowed values of a select field (required for select, refused for the other types).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SELECT_OPTIONS)
  @Transform(trimEach)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'each option must not be empty' })
  @MaxLength(100, { each: true })
  options?: string[];

  @ApiPropertyOptional({ description: 'A new lead must have a value (checked on create and import, not on changes).' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  required?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 10000, description: 'Order in lists and forms (lowest first).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  position?: number;
}

export class CreateLeadFieldDto extends LeadFieldSettingsDto {
  @ApiProperty({
    example: 'annual_budget',
    pattern: CUSTOM_FIELD_KEY_PATTERN.source,
    description: 'The name of the value in `customFields`; cannot change later.',
  })
  @IsString()
  @Matches(CUSTOM_FIELD_KEY_PATTERN, {
    message: 'must be snake_case: a lower-case letter, then lower-case letters, digits or _ (50 at most)',
  })
  key: string;

  @ApiProperty({ example: 'Annual budget', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(100)
  label: string;

  @ApiProperty({ enum: LeadFieldType, enumName: 'LeadFieldType', description: 'Cannot change later.' })
  @IsEnum(LeadFieldType, { message: `must be one of ${Object.values(LeadFieldType).join(', ')}` })
  type: LeadFieldType;
}

/** Key and type are immutable: stored values keep their meaning. */
export class UpdateLeadFieldDto extends LeadFieldSettingsDto {
  @ApiPropertyOptional({ example: 'Annual budget', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(100)
  label?: string;
}

export class LeadFieldDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'annual_budget' }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: LeadFieldType, enumName: 'LeadFieldType' }) type: LeadFieldType;
  @ApiProperty({ type: [String] }) options: string[];
  @ApiProperty() required: boolean;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
