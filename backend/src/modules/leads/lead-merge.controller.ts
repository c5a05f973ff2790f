import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import {
  DuplicateGroupPageDto,
  DuplicateGroupsQueryDto,
  LeadDuplicateListDto,
  LeadDuplicatesQueryDto,
  MergeLeadsDto,
  MergePreviewDto,
  MergeResultDto,
} from './dto/lead-merge.dto';
import { LeadDuplicatesService } from './lead-duplicates.service';
import { LeadMergeService } from './lead-merge.service';
import { toLeadDto } from './leads.controller';

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/leads')
export class LeadMergeController {
  constructor(
    private readonly duplicates: LeadDuplicatesService,
    private readonly merges: LeadMergeService,
  ) {}

  @Get('duplicates')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'listDuplicateGroups',
    summary: 'Groups of live leads that are likely one person (same mailbox, phone, or name and company)',
  })
  @ApiOkResponse({ type: DuplicateGroupPageDto })
  async listDuplicateGroups(
    @CurrentActor() actor: Actor,
    @Query() query: DuplicateGroupsQueryDto,
  ): Promise<DuplicateGroupPageDto> {
    const page = await this.duplicates.groups(actor.principal.organizationId, query.reason, query.limit, query.cursor);
    return {
      items: page.items.map((g) => ({ ...g, leads: g.leads.map(toLeadDto) })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id/duplicates')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ operationId: 'listLeadDuplicates', summary: 'Likely duplicates of one lead, most likely first' })
  @ApiOkResponse({ type: LeadDuplicateListDto })
  @ApiProblemResponses(404)
  async listLeadDuplicates(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LeadDuplicatesQueryDto,
  ): Promise<LeadDuplicateListDto> {
    const found = await this.duplicates.forLead(actor.principal.organizationId, id, query.limit);
    return { items: found.map((d) => ({ ...d, lead: toLeadDto(d.lead) })) };
  }

  @Post('merge/preview')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'previewLeadMerge',
    summary: 'What merging two leads would give, field by field (changes nothing)',
  })
  @ApiOkResponse({ type: MergePreviewDto })
  @ApiProblemResponses(404, 409)
  async previewLeadMerge(@CurrentActor() actor: Actor, @Body() body: MergeLeadsDto): Promise<MergePreviewDto> {
    const preview = await this.merges.preview(actor.principal.organizationId, body);
    return {
      survivor: toLeadDto(preview.survivor),
      merged: toLeadDto(preview.merged),
      result: toLeadDto({ ...preview.survivor, ...preview.plan.values }),
      fields: preview.plan.fields,
      activitiesToMove: preview.activitiesToMove,
    };
  }

  @Post('merge')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsWrite, Permission.LeadsDelete)
  @ApiOperation({
    operationId: 'mergeLeads',
    summary: 'Merge one lead into another: values, timeline and history move to the survivor; the other is deleted',
  })
  @ApiOkResponse({ type: MergeResultDto })
  @ApiProblemResponses(404, 409)
  async mergeLeads(@CurrentActor() actor: Actor, @Body() body: MergeLeadsDto): Promise<MergeResultDto> {
    const outcome = await this.merges.merge(actor, body);
    return {
      survivor: toLeadDto(outcome.survivor),
      merged: toLeadDto(outcome.merged),
      movedActivities: outcome.movedActivities,
      changedFields: outcome.changedFields,
    };
  }
}
