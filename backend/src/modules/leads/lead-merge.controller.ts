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
import { LeadFieldsService } from './lead-fields.service';
import type { Lead } from './lead.entity';
import type { LeadDto } from './dto/lead.dto';

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/leads')
export class LeadMergeController {
  constructor(
    private readonly duplicates: LeadDuplicatesService,
    private readonly merges: LeadMergeService,
    private readonly fields: LeadFieldsService,
  ) {}

  /** Lead answers show the custom fields the organization still defines (as the leads routes do). */
  private async dto(actor: Actor): Promise<(lead: Lead) => LeadDto> {
    const keys = await this.fields.visibleKeys(actor);
    return (lead) => toLeadDto(lead, keys);
  }

  @Get('duplicates')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'listDuplicateGroups',
    summary: 'Groups of live leads that are likely one person (same mailbox, phone, or name and company)',
    description:
      'Groups of live leads of your organization that are likely one person, each with the reason (same mailbox, phone, or name and company).',
  })
  @ApiOkResponse({ type: DuplicateGroupPageDto })
  async listDuplicateGroups(
    @CurrentActor() actor: Actor,
    @Query() query: DuplicateGroupsQueryDto,
  ): Promise<DuplicateGroupPageDto> {
    const page = await this.duplicates.groups(actor.principal.organizationId, query.reason, query.limit, query.cursor);
    const toDto = await this.dto(actor);
    return {
      items: page.items.map((g) => ({ ...g, leads: g.leads.map((l) => toDto(l)) })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id/duplicates')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'listLeadDuplicates',
    summary: 'Likely duplicates of one lead, most likely first',
    description:
      'Other live leads that are likely the same person: same mailbox, same phone, or a similar name at the same company, with the reason and a confidence.',
  })
  @ApiOkResponse({ type: LeadDuplicateListDto })
  @ApiProblemResponses(404)
  async listLeadDuplicates(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LeadDuplicatesQueryDto,
  ): Promise<LeadDuplicateListDto> {
    const found = await this.duplicates.forLead(actor.principal.organizationId, id, query.limit);
    const toDto = await this.dto(actor);
    return { items: found.map((d) => ({ ...d, lead: toDto(d.lead) })) };
  }

  @Post('merge/preview')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'previewLeadMerge',
    summary: 'What merging two leads would give, field by field (changes nothing)',
    description:
      'Both leads side by side with the value each field would keep, so a person can choose before mergeLeads. Changes nothing.',
  })
  @ApiOkResponse({ type: MergePreviewDto })
  @ApiProblemResponses(404, 409)
  async previewLeadMerge(@CurrentActor() actor: Actor, @Body() body: MergeLeadsDto): Promise<MergePreviewDto> {
    const preview = await this.merges.preview(actor.principal.organizationId, body);
    const toDto = await this.dto(actor);
    return {
      survivor: toDto(preview.survivor),
      merged: toDto(preview.merged),
      result: toDto({ ...preview.survivor, ...preview.plan.values }),
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
    description:
      "One transaction: the survivor takes the chosen values, the other lead's timeline moves to it, and the other lead is deleted (it cannot be restored). Consent follows the address it was given for, and an unsubscribe is never undone.",
  })
  @ApiOkResponse({ type: MergeResultDto })
  @ApiProblemResponses(404, 409)
  async mergeLeads(@CurrentActor() actor: Actor, @Body() body: MergeLeadsDto): Promise<MergeResultDto> {
    const outcome = await this.merges.merge(actor, body);
    const toDto = await this.dto(actor);
    return {
      survivor: toDto(outcome.survivor),
      merged: toDto(outcome.merged),
      movedActivities: outcome.movedActivities,
      changedFields: outcome.changedFields,
    };
  }
}
