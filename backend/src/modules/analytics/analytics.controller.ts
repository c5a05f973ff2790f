import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { AnalyticsService } from './analytics.service';
import { CampaignReportDto, DashboardDto, DashboardQueryDto } from './dto/analytics.dto';

@ApiTags('Analytics')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('dashboard')
  @RequirePermissions(Permission.AnalyticsRead)
  @ApiOperation({
    operationId: 'getAnalyticsDashboard',
    summary: 'KPIs, daily series, pipeline funnel, conversion by source and top campaigns of a period',
    description:
      "Days are cut in the organization's time zone. Every KPI comes with the previous period of the same length. " +
      'Lead figures count the leads created in the period (by their current status) and follow the source, owner ' +
      'and tag filters; campaign figures count the campaigns started in the period. Read from rollups refreshed ' +
      'every few seconds: asOf says up to when.',
  })
  @ApiOkResponse({ type: DashboardDto })
  @ApiProblemResponses(400)
  dashboard(@CurrentActor() actor: Actor, @Query() query: DashboardQueryDto): Promise<DashboardDto> {
    return this.analytics.dashboard(actor.principal.organizationId, query);
  }

  @Get('campaigns/:id')
  @RequirePermissions(Permission.AnalyticsRead, Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'getCampaignReport',
    summary: 'Report of a campaign: funnel, activity per day, clicks per link',
    description:
      'The funnel is live from the ledger; the days come from the rollup (asOf); links from the lead timeline.',
  })
  @ApiOkResponse({ type: CampaignReportDto })
  @ApiProblemResponses(400, 404)
  campaignReport(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<CampaignReportDto> {
    return this.analytics.campaignReport(actor.principal.organizationId, id);
  }

  @Get('campaigns/:id/report.csv')
  @RequirePermissions(Permission.AnalyticsRead, Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'exportCampaignReportCsv',
    summary: 'The campaign report as CSV',
    description:
      "UTF-8 with a byte-order mark, every cell quoted; cells starting with = + - @ tab or CR get a leading ' " +
      '(formula injection). Sections: summary, funnel, days, links.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiProblemResponses(400, 404)
  async campaignReportCsv(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<StreamableFile> {
    const { body } = await this.analytics.campaignReportCsv(actor.principal.organizationId, id);
    return new StreamableFile(Readable.from([body]), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="campaign-${id}-report.csv"`,
    });
  }
}
