import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../../common/pagination';
import { SuppressionReason } from '../suppression.entity';

const CHANNELS = ['email', 'whatsapp'] as const;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SuppressionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: 'must be email or whatsapp' })
  channel?: 'email' | 'whatsapp';

  @ApiPropertyOptional({ description: 'Part of the address (case-insensitive).', example: 'example.com' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(320)
  q?: string;
}

export class CreateSuppressionDto {
  @ApiProperty({ enum: CHANNELS, example: 'email' })
  @IsIn(CHANNELS, { message: 'must be email or whatsapp' })
  channel: 'email' | 'whatsapp';

  @ApiProperty({
    description: 'An email address, or a phone number in E.164 (with +) for WhatsApp. Stored normalized.',
    example: 'someone@example.com',
  })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(320)
  address: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Why, for your colleagues.',
    example: 'Asked by phone',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(500)
  detail?: string | null;
}

export class SuppressionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CHANNELS }) channel: 'email' | 'whatsapp';
  @ApiProperty({ example: 'someone@example.com' }) address: string;
  @ApiProperty({ enum: Object.values(SuppressionReason), example: SuppressionReason.Unsubscribed })
  reason: SuppressionReason;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ type: String, nullable: true }) detail: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SuppressionPageDto extends PageMetaDto {
  @ApiProperty({ type: [SuppressionDto] }) items: SuppressionDto[];
}

export const EMAIL_EVENT_TYPES = ['hard_bounce', 'soft_bounce', 'complaint', 'delivered'] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export class EmailEventDto {
  @ApiPropertyOptional({
    description:
      'The Message-ID of the campaign email, `<recipientId@host>` (angle brackets optional). Or give recipientId.',
    example: '<6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f@mail.example.com>',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  messageId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The campaign recipient (ledger row) id.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  recipientId?: string;

  @ApiProperty({ enum: EMAIL_EVENT_TYPES, example: 'hard_bounce' })
  @IsIn(EMAIL_EVENT_TYPES, { message: `must be one of ${EMAIL_EVENT_TYPES.join(', ')}` })
  type: EmailEventType;

  @ApiPropertyOptional({
    description: 'The server\'s diagnostic, e.g. "550 5.1.1 user unknown".',
    example: '550 5.1.1 user unknown',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class EmailEventResultDto {
  @ApiProperty({ format: 'uuid' }) recipientId: string;
  @ApiProperty({ enum: EMAIL_EVENT_TYPES }) type: EmailEventType;
  @ApiProperty({
    description: 'Whether this event added a suppression (false when already suppressed or not a suppressing type).',
  })
  suppressed: boolean;
}
