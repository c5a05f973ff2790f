import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { LeadFilter } from '../../leads/lead-filter';
import { CAMPAIGN_CHANNELS, type CampaignChannel } from '../campaign.types';
import { AudienceExcludedDto } from './campaign.dto';

export class AudienceCountDto {
  @ApiProperty({ enum: CAMPAIGN_CHANNELS, enumName: 'CampaignChannel' })
  @IsIn(CAMPAIGN_CHANNELS, { message: `must be one of ${CAMPAIGN_CHANNELS.join(', ')}` })
  channel: CampaignChannel;

  @ApiPropertyOptional({ format: 'uuid', description: 'A saved segment (wins over `filter`).' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a segment id' })
  segmentId?: string;

  @ApiPropertyOptional({ type: () => LeadFilter })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadFilter)
  filter?: LeadFilter;
}

export class AudienceCountResultDto {
  @ApiProperty({ description: 'Live leads the segment or filter matches.', example: 1200 }) matching: number;
  @ApiProperty({ description: 'Of those, the ones the campaign would send to.', example: 1156 }) eligible: number;
  @ApiProperty({ type: AudienceExcludedDto }) excluded: AudienceExcludedDto;
}
