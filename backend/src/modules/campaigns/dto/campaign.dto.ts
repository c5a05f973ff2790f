import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../../common/pagination';
import { LeadFilter } from '../../leads/lead-filter';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, type CampaignChannel, type CampaignStatus } from '../campaign.types';
import { EmailContentDto, WhatsAppContentDto } from './campaign-content.dto';

export class AudienceExcludedDto {
  @ApiProperty({ description: 'No email address (or phone number) for the channel.', example: 12 }) noAddress: number;
  @ApiProperty({ description: 'No consent for the channel, or unsubscribed.', example: 30 }) noConsent: number;
  @ApiProperty({ description: 'The address is on the suppression list.', example: 2 }) suppressed: number;
}

export class CampaignAudienceInputDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A saved segment (wins over `filter`).' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a segment id' })
  segmentId?: string;

  @ApiPropertyOptional({ type: () => LeadFilter, description: 'A lead filter of its own, as the leads list takes.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadFilter)
  filter?: LeadFilter;
}

export class CampaignAudienceDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) segmentId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Newsletter subscribers' }) segmentName: string | null;
  @ApiProperty({ type: () => LeadFilter, nullable: true }) filter: LeadFilter | null;
}

export class CampaignStatsDto {
  @ApiProperty({ description: 'Recipients in the ledger (the eligible audience at send time).', example: 1000 })
  total: number;
  @ApiProperty({ description: 'Queued or being sent.', example: 200 }) remaining: number;
  @ApiProperty({ description: 'Accepted by the provider (and not bounced since).', example: 790 }) sent: number;
  @ApiProperty({ example: 700 }) delivered: number;
  @ApiProperty({ description: 'Recipients who opened at least once.', example: 300 }) opened: number;
  @ApiProperty({ description: 'Recipients who clicked at least once.', example: 40 }) clicked: number;
  @ApiProperty({ example: 5 }) failed: number;
  @ApiProperty({ example: 3 }) bounced: number;
  @ApiProperty({ description: 'Became ineligible after the audience was built (unsubscribed, deleted).', example: 2 })
  skipped: number;
  @ApiProperty({ example: 0 }) cancelled: number;
  @ApiProperty({ example: 1 }) unsubscribed: number;
  @ApiProperty({ type: AudienceExcludedDto, description: 'Leads of the audience left out when it was built.' })
  excluded: AudienceExcludedDto;
}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Spring newsletter' }) name: string;
  @ApiProperty({ enum: CAMPAIGN_CHANNELS, enumName: 'CampaignChannel' }) channel: CampaignChannel;
  @ApiProperty({ enum: CAMPAIGN_STATUSES, enumName: 'CampaignStatus' }) status: CampaignStatus;
  @ApiProperty({ type: CampaignAudienceDto }) audience: CampaignAudienceDto;
  @ApiProperty({ type: EmailContentDto, nullable: true }) email: EmailContentDto | null;
  @ApiProperty({ type: WhatsAppContentDto, nullable: true }) whatsapp: WhatsAppContentDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sendAt: string | null;
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone the send time was chosen in.' })
  timeZone: string;
  @ApiProperty({ type: CampaignStatsDto }) stats: CampaignStatsDto;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ type: String, nullable: true }) createdByLabel: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
}

export class CampaignPageDto extends PageMetaDto {
  @ApiProperty({ type: [CampaignDto] }) items: CampaignDto[];
}

export class CampaignListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, enumName: 'CampaignStatus' })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES, { message: `must be one of ${CAMPAIGN_STATUSES.join(', ')}` })
  status?: CampaignStatus;

  @ApiPropertyOptional({ enum: CAMPAIGN_CHANNELS, enumName: 'CampaignChannel' })
  @IsOptional()
  @IsIn(CAMPAIGN_CHANNELS, { message: `must be one of ${CAMPAIGN_CHANNELS.join(', ')}` })
  channel?: CampaignChannel;

  @ApiPropertyOptional({ description: 'Part of the name (case-insensitive).', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Spring newsletter', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: CAMPAIGN_CHANNELS, enumName: 'CampaignChannel' })
  @IsIn(CAMPAIGN_CHANNELS, { message: `must be one of ${CAMPAIGN_CHANNELS.join(', ')}` })
  channel: CampaignChannel;

  @ApiPropertyOptional({ type: CampaignAudienceInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignAudienceInputDto)
  audience?: CampaignAudienceInputDto;

  @ApiPropertyOptional({ type: EmailContentDto, description: 'For an email campaign.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailContentDto)
  email?: EmailContentDto;

  @ApiPropertyOptional({ type: WhatsAppContentDto, description: 'For a WhatsApp campaign.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WhatsAppContentDto)
  whatsapp?: WhatsAppContentDto;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone; UTC when absent.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timeZone?: string;
}

/** Any field of a draft but its channel. */
export class UpdateCampaignDto extends PartialType(OmitType(CreateCampaignDto, ['channel'] as const)) {}

export class ScheduleCampaignDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2030-03-01T09:00:00+01:00',
    description: 'When to send (in the future); absent or null: now.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  sendAt?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone the time was chosen in.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timeZone?: string;
}
