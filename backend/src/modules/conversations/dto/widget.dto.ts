import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageMetaDto } from '../../../common/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimOrNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

export class WidgetSettingsDto {
  @ApiProperty({ example: 'wk_Jm2kQ0c8wq3bT1x9pLk7sV4d', description: 'Public: it is in the embed snippet.' })
  publicKey: string;

  @ApiProperty({ description: 'Off: the script and the public routes answer 404.' })
  enabled: boolean;

  @ApiProperty({ type: [String], example: ['https://www.example.com'], description: 'Sites allowed to embed it.' })
  allowedOrigins: string[];

  @ApiProperty({ example: 'Hi! Ask us anything.' })
  greeting: string;

  @ApiProperty({ example: '#3f51b5' })
  accentColor: string;

  @ApiProperty({ example: 'https://crm.example.com/widget/v1/wk_Jm2kQ0c8wq3bT1x9pLk7sV4d.js' })
  scriptUrl: string;

  @ApiProperty({ description: 'The tag to paste before </body> on every page of the allowed sites.' })
  snippet: string;
}

export class UpdateWidgetSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['https://www.example.com'],
    description: 'Exact origins: scheme, host and port, no path.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, {
    each: true,
    message: 'each allowed origin must look like https://www.example.com (scheme and host, no path)',
  })
  allowedOrigins?: string[];

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  greeting?: string;

  @ApiPropertyOptional({ example: '#3f51b5' })
  @IsOptional()
  @Matches(/^#[0-9a-f]{6}$/i, { message: 'accentColor must be a colour like #3f51b5' })
  accentColor?: string;
}

export class WidgetConfigDto {
  @ApiProperty() greeting: string;
  @ApiProperty() accentColor: string;
  @ApiProperty({ description: 'Send it back with the form; it must be at least minFillSeconds old.' })
  formToken: string;
  @ApiProperty({ example: 3 }) minFillSeconds: number;
}

export class WidgetCaptureDto {
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'ada@example.com',
    description: 'An email or a phone is required.',
  })
  @Transform(trimOrNull)
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '+4915112345678',
    description: 'With the country code.',
  })
  @Transform(trimOrNull)
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiProperty({ example: 'Do you integrate with our CRM?', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'message must not be empty' })
  @MaxLength(2000)
  message: string;

  @ApiProperty({ description: 'The visitor agreed to be contacted about their message (must be true).' })
  @IsBoolean()
  consent: boolean;

  @ApiProperty({ description: 'From GET .../config.' })
  @IsString()
  @MaxLength(200)
  formToken: string;

  @ApiPropertyOptional({ description: 'Honeypot: hidden from people; must stay empty.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;

  @ApiPropertyOptional({ description: 'The page the visitor was on.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  pageUrl?: string;
}

export class WidgetPostDto {
  @ApiProperty({ example: 'And what does it cost?', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(2000)
  text: string;
}

export class WidgetMessagesQueryDto {
  @ApiPropertyOptional({
    description: 'nextCursor of the previous answer, or the id of a stream event: only newer messages.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string;
}

/** What the visitor sees of a message: no internal ids beyond the message's own. */
export class WidgetMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['in', 'out'], description: 'in: from the visitor.' }) direction: 'in' | 'out';
  @ApiProperty({ enum: ['text', 'assistant'], description: 'assistant: answered from the help sources.' })
  kind: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, nullable: true, example: 'Assistant' }) authorLabel: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class WidgetMessagePageDto extends PageMetaDto {
  @ApiProperty({ type: [WidgetMessageDto], description: 'Oldest first. Pass nextCursor as after.' })
  items: WidgetMessageDto[];
}

export class WidgetCaptureResultDto {
  @ApiProperty({ description: 'Send it as X-Widget-Visitor to read and continue this conversation; shown once.' })
  visitorToken: string;
  @ApiProperty({ type: [WidgetMessageDto] }) messages: WidgetMessageDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Cursor for the next poll, or Last-Event-ID of the stream.',
  })
  nextCursor: string | null;
}
