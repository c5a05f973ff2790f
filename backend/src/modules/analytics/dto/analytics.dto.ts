import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LeadSource, LeadStatus } from '../../leads/lead.entity';
import { PERIOD_PRESETS, type PeriodPreset } from '../analytics-period';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class AnalyticsPeriodQueryDto {
  @ApiPropertyOptional({
    enum: PERIOD_PRESETS,
    default: '30d',
    description: "Days ending today in the organization's time zone, or custom (then from and to).",
  })
  @IsOptional()
  @IsIn(PERIOD_PRESETS, { message: `must be one of ${PERIOD_PRESETS.join(', ')}` })
  period?: PeriodPreset;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'First day (inclusive), organization time zone.' })
  @IsOptional()
  @Matches(DAY, { message: 'must be a day as YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day (inclusive), organization time zone.' })
  @IsOptional()
  @Matches(DAY, { message: 'must be a day as YYYY-MM-DD' })
  to?: string;
}

export class DashboardQueryDto extends AnalyticsPeriodQueryDto {
  @ApiPropertyOptional({ enum: LeadSource, enumName: 'LeadSource', description: 'Lead figures of this source only.' })
  @IsOptional()
  @IsEnum(LeadSource, { message: `must be one of ${Object.values(LeadSource).join(', ')}` })
  source?: LeadSource;

  @ApiPropertyOptional({ format: 'uuid', description: 'Lead figures of this owner only.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id (UUID)' })
  ownerId?: string;

  @ApiPropertyOptional({ example: 'vip', description: 'Lead figures of leads with this tag only.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-03-01' }) from: string;
  @ApiProperty({ example: '2026-03-30' }) to: string;
  @ApiProperty({ example: 30 }) days: number;
  @ApiProperty({ example: '2026-01-30' }) previousFrom: string;
  @ApiProperty({ example: '2026-02-28' }) previousTo: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'The organization time zone the days are cut in.' })
  timeZone: string;
}

export class KpiDto {
  @ApiProperty({ description: 'This period.' }) value: number;
  @ApiProperty({ description: 'The previous period of the same length.' }) previous: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Relative change (0.25 = +25 %); null when the previous value is 0. For rates: the difference in points (0.02 = +2 points).',
  })
  change: number | null;
}

export class DashboardKpisDto {
  @ApiProperty({ type: KpiDto, description: 'Leads created in the period.' }) newLeads: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'Of those, qualified or converted now.' }) qualified: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'Of those, converted now.' }) converted: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'converted / newLeads (0..1).' }) conversionRate: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'Campaigns started in the period.' }) campaignsSent: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'Messages sent by those campaigns (including bounced).' })
  messagesSent: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'delivered / sent (0..1).' }) deliveryRate: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'opened / delivered (0..1).' }) openRate: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'clicked / delivered (0..1).' }) clickRate: KpiDto;
  @ApiProperty({ type: KpiDto, description: 'unsubscribed / delivered (0..1).' }) unsubscribeRate: KpiDto;
}

export class LeadsDayDto {
  @ApiProperty({ example: '2026-03-01' }) day: string;
  @ApiProperty() total: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { web: 3, import: 10 },
    description: 'New leads by source (sources with none are left out).',
  })
  bySource: Record<string, number>;
}

export class EngagementDayDto {
  @ApiProperty({ example: '2026-03-01' }) day: string;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() opened: number;
  @ApiProperty() clicked: number;
  @ApiProperty() unsubscribed: number;
  @ApiProperty() bounced: number;
}

export class FunnelStepDto {
  @ApiProperty({ enum: ['created', 'contacted', 'qualified', 'converted'] }) step: string;
  @ApiProperty({ type: [String], enum: LeadStatus, description: 'Current statuses that count as having reached it.' })
  statuses: string[];
  @ApiProperty() count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'count / the previous step (0..1); null for the first.' })
  stepRate: number | null;
  @ApiProperty({ description: 'count / created (0..1).' }) overallRate: number;
}

export class PipelineDto {
  @ApiProperty({ type: [FunnelStepDto] }) steps: FunnelStepDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { new: 4, contacted: 2, qualified: 1, converted: 1, lost: 2 },
    description: 'Leads created in the period by their current status.',
  })
  byStatus: Record<string, number>;
}

export class SourceConversionDto {
  @ApiProperty({ enum: LeadSource, enumName: 'LeadSource' }) source: string;
  @ApiProperty() leads: number;
  @ApiProperty() qualified: number;
  @ApiProperty() converted: number;
  @ApiProperty({ description: 'converted / leads (0..1).' }) conversionRate: number;
}

export class TopCampaignDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['email', 'whatsapp'] }) channel: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() opened: number;
  @ApiProperty() clicked: number;
  @ApiProperty() unsubscribed: number;
  @ApiProperty() openRate: number;
  @ApiProperty() clickRate: number;
}

export class FreshnessDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The rollups include every change committed before this instant (minus in-flight transactions).',
  })
  asOf: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds between asOf and this answer.' })
  ageSeconds: number | null;
}

export class DashboardDto extends FreshnessDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({
    type: 'object',
    properties: {
      source: { type: 'string', nullable: true },
      ownerId: { type: 'string', nullable: true },
      tag: { type: 'string', nullable: true },
    },
    description: 'Lead filters applied (campaign figures are never filtered by them).',
  })
  filters: { source: string | null; ownerId: string | null; tag: string | null };
  @ApiProperty({ type: DashboardKpisDto }) kpis: DashboardKpisDto;
  @ApiProperty({ type: [LeadsDayDto], description: 'Every day of the period, oldest first (zeros included).' })
  leadsByDay: LeadsDayDto[];
  @ApiProperty({ type: [EngagementDayDto], description: 'Every day of the period, oldest first (zeros included).' })
  engagementByDay: EngagementDayDto[];
  @ApiProperty({ type: PipelineDto }) pipeline: PipelineDto;
  @ApiProperty({ type: [SourceConversionDto], description: 'Sources with leads in the period, most leads first.' })
  bySource: SourceConversionDto[];
  @ApiProperty({ type: [TopCampaignDto], description: 'Up to 5 campaigns started in the period, most clicks first.' })
  topCampaigns: TopCampaignDto[];
}

export class CampaignFunnelStepDto {
  @ApiProperty({ enum: ['queued', 'sent', 'delivered', 'opened', 'clicked', 'converted'] }) step: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'count / the previous step (0..1); null for the first.' })
  stepRate: number | null;
  @ApiProperty({ description: 'count / queued (0..1).' }) overallRate: number;
}

export class CampaignLinkDto {
  @ApiProperty({ example: 'https://example.com/pricing' }) url: string;
  @ApiProperty({ description: 'Every click.' }) clicks: number;
  @ApiProperty({ description: 'Recipients who clicked it at least once.' }) uniqueClicks: number;
}

export class CampaignReportDto extends FreshnessDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['email', 'whatsapp'] }) channel: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ example: 'Europe/Paris' }) timeZone: string;
  @ApiProperty({
    type: [CampaignFunnelStepDto],
    description:
      'queued (every recipient) → sent (accepted, bounced included) → delivered (email: not bounced; WhatsApp: delivery receipt) → opened → clicked → converted (lead became converted after the send). Live from the ledger.',
  })
  funnel: CampaignFunnelStepDto[];
  @ApiProperty() bounced: number;
  @ApiProperty() failed: number;
  @ApiProperty() unsubscribed: number;
  @ApiProperty({ type: [EngagementDayDto], description: 'Days with activity, oldest first (rollup: see asOf).' })
  byDay: EngagementDayDto[];
  @ApiProperty({ type: [CampaignLinkDto], description: 'Tracked links, most clicks first (live, up to 100).' })
  links: CampaignLinkDto[];
}
