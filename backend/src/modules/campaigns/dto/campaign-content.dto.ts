import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Email content (same shape as the templates module's EmailContent). Liquid variables: see docs/campaigns.md. */
export class EmailContentDto {
  @ApiProperty({ example: 'Hello {{ firstName | default: "there" }}', maxLength: 998 })
  @IsString()
  @MinLength(1)
  @MaxLength(998)
  subject: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'Inbox preview text.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  preheader?: string | null;

  @ApiProperty({
    example: '<p>Hi {{ firstName | default: "there" }},</p><p><a href="https://example.com">See more</a></p>',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(500_000)
  html: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Plain-text part; null: derived from the HTML.' })
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  text?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Acme Marketing', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fromName?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'news@acme.example',
    description: 'Sender address; null: the installation default (EMAIL_FROM).',
  })
  @IsOptional()
  @IsEmail({}, { message: 'must be an email address' })
  fromEmail?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'support@acme.example' })
  @IsOptional()
  @IsEmail({}, { message: 'must be an email address' })
  replyTo?: string | null;
}

/** A WhatsApp template message (an approved template of the business account, with its parameters). */
export class WhatsAppContentDto {
  @ApiProperty({ example: 'spring_sale', description: 'Name of the approved template.', maxLength: 512 })
  @IsString()
  @Matches(/^[a-z0-9_]{1,512}$/, { message: 'must be a template name: lower-case letters, digits and _' })
  templateName: string;

  @ApiProperty({ example: 'en_US', description: 'Language code of the template.' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/, { message: 'must be a language code such as en or en_US' })
  language: string;

  @ApiProperty({
    type: [String],
    example: ['{{ firstName | default: "there" }}', '20%'],
    description: 'Values of {{1}}, {{2}}... of the template body, each a Liquid template.',
  })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1024, { each: true })
  bodyParameters: string[];

  @ApiPropertyOptional({ type: [String], description: 'Values of the header parameters, if the template has any.' })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MaxLength(1024, { each: true })
  headerParameters?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Hi {{1}}, our spring sale is on: {{2}} off everything.',
    description: 'The approved body with {{1}}.. placeholders, for previews.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  previewText?: string | null;
}
