import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { CAMPAIGN_CHANNELS, type CampaignChannel } from '../campaign.types';
import { EmailContentDto, WhatsAppContentDto } from './campaign-content.dto';

export class PreviewRequestDto {
  @ApiProperty({ enum: CAMPAIGN_CHANNELS, enumName: 'CampaignChannel' })
  @IsIn(CAMPAIGN_CHANNELS, { message: `must be one of ${CAMPAIGN_CHANNELS.join(', ')}` })
  channel: CampaignChannel;

  @ApiPropertyOptional({ type: EmailContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailContentDto)
  email?: EmailContentDto;

  @ApiPropertyOptional({ type: WhatsAppContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WhatsAppContentDto)
  whatsapp?: WhatsAppContentDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'Render with this lead; sample data when absent.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a lead id' })
  leadId?: string;

  @ApiPropertyOptional({ example: 'Spring newsletter', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  campaignName?: string;
}

export class EmailPreviewDto {
  @ApiProperty({ example: 'Hello Ana' }) subject: string;
  @ApiProperty() html: string;
  @ApiProperty() text: string;
}

export class WhatsAppPreviewDto {
  @ApiProperty({ type: String, nullable: true, example: 'Hi Ana, our spring sale is on: 20% off everything.' })
  text: string | null;
  @ApiProperty({ type: [String], example: ['Ana', '20%'] }) bodyParameters: string[];
}

export class PreviewLeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Ana Lima' }) name: string;
}

export class PreviewDto {
  @ApiProperty({ type: EmailPreviewDto, nullable: true }) email: EmailPreviewDto | null;
  @ApiProperty({ type: WhatsAppPreviewDto, nullable: true }) whatsapp: WhatsAppPreviewDto | null;
  @ApiProperty({ type: PreviewLeadDto, nullable: true, description: 'The lead rendered; null: sample data.' })
  lead: PreviewLeadDto | null;
}

export class TestSendDto {
  @ApiProperty({ example: 'me@example.com', description: 'An email address (email) or an E.164 phone (WhatsApp).' })
  @IsString()
  @MinLength(3)
  @MaxLength(320)
  to: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Render with this lead; sample data when absent.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a lead id' })
  leadId?: string;
}

export class TestSendResultDto {
  @ApiProperty({ enum: ['smtp', 'outbox', 'cloud-api'] }) driver: 'smtp' | 'outbox' | 'cloud-api';
  @ApiProperty({ example: '<test-3f2a@meridian>' }) providerMessageId: string;
  @ApiProperty({ example: 'me@example.com' }) to: string;
}
