import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { EMAIL_DRIVERS, WHATSAPP_DRIVERS, type EmailDriverName, type WhatsAppDriverName } from '../channel.types';

const CHANNELS = ['email', 'whatsapp'] as const;

export class EmailChannelStatusDto {
  @ApiProperty({
    enum: EMAIL_DRIVERS,
    enumName: 'EmailDriver',
    description: 'smtp: SMTP_URL is set; outbox: kept, never sent.',
  })
  driver: EmailDriverName;

  @ApiProperty({ example: 'Meridian <no-reply@meridian.local>', description: 'The default From (EMAIL_FROM).' })
  from: string;
}

export class WhatsAppChannelStatusDto {
  @ApiProperty({
    enum: WHATSAPP_DRIVERS,
    enumName: 'WhatsAppDriver',
    description: 'cloud-api: token and phone number id are set; outbox: kept, never sent.',
  })
  driver: WhatsAppDriverName;

  @ApiProperty({ type: String, nullable: true, example: '106540352242922' })
  phoneNumberId: string | null;
}

export class ChannelsStatusDto {
  @ApiProperty({ type: EmailChannelStatusDto })
  email: EmailChannelStatusDto;

  @ApiProperty({ type: WhatsAppChannelStatusDto })
  whatsapp: WhatsAppChannelStatusDto;
}

export class OutboxListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANNELS, enumName: 'CampaignChannel' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: (typeof CHANNELS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the messages of this campaign.' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}

export class OutboxMessageDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CHANNELS, enumName: 'CampaignChannel' })
  channel: (typeof CHANNELS)[number];

  @ApiProperty({ example: 'ada@example.com', description: 'Email address, or E.164 phone number for WhatsApp.' })
  to: string;

  @ApiProperty({ example: 'Meridian <no-reply@meridian.local>' })
  from: string;

  @ApiProperty({ type: String, nullable: true, example: 'Our spring offer' })
  subject: string | null;

  @ApiProperty({ description: 'Plain-text body (for WhatsApp: the template and its parameters).' })
  text: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId: string | null;

  @ApiProperty({ description: 'A test send (not part of a campaign audience).' })
  test: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class OutboxMessageDetailDto extends OutboxMessageDto {
  @ApiProperty({ type: String, nullable: true, description: 'HTML body (email only).' })
  html: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'Message-ID': '<6f1c…@meridian>', 'List-Unsubscribe': '<https://…/u/…>' },
  })
  headers: Record<string, string>;
}

export class OutboxMessagePageDto {
  @ApiProperty({ type: [OutboxMessageDto] })
  items: OutboxMessageDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page.',
  })
  nextCursor: string | null;
}

export class WhatsAppWebhookAckDto {
  @ApiProperty({ description: 'Incoming messages and status events in the payload.' })
  received: number;

  @ApiProperty({ description: 'Events not seen before, handed to the handlers.' })
  accepted: number;

  @ApiProperty({ description: 'Events already handled earlier (replays), ignored.' })
  duplicates: number;
}
