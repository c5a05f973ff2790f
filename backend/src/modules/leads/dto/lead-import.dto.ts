import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEnum,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CSV_DELIMITERS, CSV_ENCODINGS, type CsvDelimiter, type CsvEncoding } from '../csv-format';
import { IMPORT_FIELDS } from '../lead-import-mapping';
import { DuplicatePolicy } from '../lead-import-rows';
import { LeadFilter } from '../lead-filter';
import { LeadSource } from '../lead.entity';

const TARGET_DESCRIPTION =
  `What each column becomes, by header: a lead field (${IMPORT_FIELDS.join(', ')}), ` +
  '`custom:<key>` (a custom field), or `ignore`. Columns left out are ignored.';

export class UploadLeadImportQueryDto {
  @ApiProperty({ example: 'leads.csv', description: 'The name of the uploaded file (shown in tasks and timelines).' })
  @IsString()
  @MinLength(1, { message: 'is required' })
  @MaxLength(200)
  filename: string;
}

export class ImportPreviewDto {
  @ApiProperty({ format: 'uuid', description: 'The upload; dry-run and start refer to it.' })
  id: string;

  @ApiProperty({ example: 'leads.csv' })
  filename: string;

  @ApiProperty({ description: 'Bytes.' })
  size: number;

  @ApiProperty({
    enum: CSV_ENCODINGS,
    description: 'Detected: from the byte-order mark, else UTF-8 when valid, else windows-1252.',
  })
  encoding: CsvEncoding;

  @ApiProperty({ enum: CSV_DELIMITERS, description: 'Detected among , ; tab and |.' })
  delimiter: CsvDelimiter;

  @ApiProperty({
    type: [String],
    description: 'Column names as the mapping uses them (blank ones are "Column N", repeats get " (2)").',
  })
  headers: string[];

  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
    description: 'Up to 5 data rows as read.',
  })
  sampleRows: string[][];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'E-mail': 'email', Vorname: 'firstName', Notes: 'ignore' },
    description: 'Proposed mapping, header → field (same values as the mapping of dry-run and start).',
  })
  suggestedMapping: Record<string, string>;

  @ApiProperty({ description: 'Data rows in the file (exact when `rowsExact`, else estimated from the first MiB).' })
  estimatedRows: number;

  @ApiProperty({ description: 'Whether estimatedRows is an exact count.' })
  rowsExact: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The import task, once started.' })
  taskId: string | null;
}

export class LeadImportOptionsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'E-mail': 'email', Vorname: 'firstName', Firma: 'company', Branche: 'custom:industry', Notes: 'ignore' },
    description: TARGET_DESCRIPTION,
  })
  @IsObject({ message: 'must be an object of header → field' })
  mapping: Record<string, string>;

  @ApiProperty({
    enum: DuplicatePolicy,
    enumName: 'DuplicatePolicy',
    description:
      'A row whose email a lead already has (or an earlier row of the file): skip it, update that lead, or ' +
      'create-new — which fails the row with "email … is already used", since an email is on one lead only.',
  })
  @IsEnum(DuplicatePolicy, { message: `must be one of ${Object.values(DuplicatePolicy).join(', ')}` })
  duplicatePolicy: DuplicatePolicy;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO country for phone numbers written without +code.' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be a two-letter country code such as GB' })
  defaultCountry?: string;

  @ApiPropertyOptional({ type: [String], example: ['fair-2025'], description: 'Added to every imported lead.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    enum: LeadSource,
    enumName: 'LeadSource',
    default: LeadSource.Import,
    description: 'Source of created leads whose row has no source column value.',
  })
  @IsOptional()
  @IsEnum(LeadSource, { message: `must be one of ${Object.values(LeadSource).join(', ')}` })
  source?: LeadSource;

  @ApiPropertyOptional({ enum: CSV_ENCODINGS, description: 'Override the detected encoding.' })
  @IsOptional()
  @IsIn(CSV_ENCODINGS, { message: `must be one of ${CSV_ENCODINGS.join(', ')}` })
  encoding?: CsvEncoding;

  @ApiPropertyOptional({ enum: CSV_DELIMITERS, description: 'Override the detected delimiter.' })
  @IsOptional()
  @IsIn(CSV_DELIMITERS, { message: 'must be one of , ; | or a tab' })
  delimiter?: CsvDelimiter;
}

export class ImportCountsDto {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() skipped: number;
  @ApiProperty() failed: number;
}

export class ImportRowFailureDto {
  @ApiProperty({ description: 'Row number in the file; the header is row 1.' })
  row: number;

  @ApiProperty({ example: 'email: must be an email address' })
  reason: string;
}

export class ImportDryRunDto {
  @ApiProperty({ description: 'Rows checked: the first 1,000 data rows (or all, if fewer).' })
  rowsChecked: number;

  @ApiProperty({ description: 'Whether the file has more rows than were checked.' })
  moreRows: boolean;

  @ApiProperty({ type: ImportCountsDto, description: 'What would happen to the rows checked; nothing was written.' })
  counts: ImportCountsDto;

  @ApiProperty({ type: [ImportRowFailureDto], description: 'The first 50 rows that would fail.' })
  failures: ImportRowFailureDto[];
}

export class LeadExportQueryDto extends LeadFilter {
  @ApiPropertyOptional({
    type: [String],
    description:
      'Columns, in order (default: all lead fields, then every custom field present). Lead fields by name, ' +
      'custom fields as custom:<key>; repeat the parameter or separate with commas.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((c) => c.trim()) : value,
  )
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  columns?: string[];
}

export class StartLeadExportDto {
  @ApiPropertyOptional({ type: () => LeadFilter, description: 'Which leads (default: all live leads).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadFilter)
  @IsObject()
  filter?: LeadFilter;

  @ApiPropertyOptional({ type: [String], description: 'As the columns of GET /api/leads/export.csv.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  columns?: string[];
}
