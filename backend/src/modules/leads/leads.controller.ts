import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { responseSchemaOf } from '../../common/openapi/response-schema';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import {
  CreateLeadDto,
  LeadActivityDto,
  LeadActivityPageDto,
  LeadCountDto,
  LeadDto,
  LeadListQueryDto,
  LeadPageDto,
  NoteDto,
  RescoreLeadsDto,
  UpdateLeadDto,
} from './dto/lead.dto';
import { LeadActivity } from './lead-activity.entity';
import { PageQueryDto } from '../../common/pagination';
import { LeadFilter } from './lead-filter';
import { ListedLead, LeadRow, LeadsService } from './leads.service';
import { BulkLeadsDto, BulkResultDto } from './dto/lead-bulk.dto';
import { LeadBulkService } from './lead-bulk.service';
import { toTaskDto } from '../tasks/tasks.controller';
import { visibleCustomFields } from './custom-fields';
import { LeadFieldsService } from './lead-fields.service';
import { LeadScoringService } from './lead-scoring.service';
import { LeadExportQueryDto } from './dto/lead-import.dto';
import { exportFileName, LeadExportService } from './lead-export.service';

function iso(value: Date | string): string;
function iso(value: Date | string | null | undefined): string | null;
function iso(value: Date | string | null | undefined): string | null {
  return value == null ? null : typeof value === 'string' ? value : value.toISOString();
}

/** `definedKeys`: the custom fields to show (values of deleted fields stay stored but are not shown). */
export function toLeadDto(l: LeadRow | ListedLead, definedKeys?: ReadonlySet<string>): LeadDto {
  return {
    id: l.id,
    firstName: l.firstName,
    lastName: l.lastName,
    email: l.email,
    phone: l.phone,
    company: l.company,
    title: l.title,
    source: l.source,
    status: l.status,
    score: l.score,
    ownerId: l.ownerId,
    tags: l.tags,
    customFields: definedKeys ? visibleCustomFields(l.customFields, definedKeys) : l.customFields,
    consentEmail: l.consentEmail,
    consentWhatsapp: l.consentWhatsapp,
    unsubscribedAt: iso(l.unsubscribedAt),
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
    deletedAt: iso(l.deletedAt),
    mergedIntoId: l.mergedIntoId ?? null,
  };
}

function toActivityDto(a: LeadActivity): LeadActivityDto {
  return {
    id: a.id,
    type: a.type,
    actorId: a.actorId,
    actorLabel: a.actorLabel,
    data: a.data,
    createdAt: a.createdAt.toISOString(),
  };
}

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly bulk: LeadBulkService,
    private readonly fields: LeadFieldsService,
    private readonly scoring: LeadScoringService,
    private readonly exports: LeadExportService,
  ) {}

  private async keys(actor: Actor): Promise<ReadonlySet<string>> {
    return this.fields.visibleKeys(actor);
  }

  @Get('export.csv')
  @RequirePermissions(Permission.LeadsExport)
  @ApiOperation({
    operationId: 'exportLeadsCsv',
    summary: 'The leads of a filter as CSV, streamed',
    description:
      "UTF-8 with a byte-order mark, every cell quoted; cells starting with = + - @ tab or CR get a leading ' " +
      '(formula injection). For large exports with a download link, use POST /api/lead-exports.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async exportLeadsCsv(@CurrentActor() actor: Actor, @Query() query: LeadExportQueryDto): Promise<StreamableFile> {
    const { columns, ...filter } = query;
    const stream = await this.exports.stream(actor, Object.assign(new LeadFilter(), filter), columns);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${exportFileName()}"`,
    });
  }

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'listLeads',
    summary: 'Leads matching a filter, sorted, keyset-paginated',
    description:
      "Filters (status, source, owner, tags, score, dates, consent, full-text q, custom fields) combine with AND. Pass the answer's nextCursor as cursor for the next page; every lead is returned exactly once, at any depth. Deleted leads only with deleted=true.",
  })
  @ApiOkResponse({ type: LeadPageDto })
  @RouteSchema({ response: { 200: responseSchemaOf(LeadPageDto) } })
  async list(@CurrentActor() actor: Actor, @Query() query: LeadListQueryDto): Promise<LeadPageDto> {
    const { sort, order, limit, cursor, ...filter } = query;
    const page = await this.leads.list(actor.principal.organizationId, filter, sort, order, limit, cursor);
    const keys = await this.keys(actor);
    return { items: page.items.map((l) => toLeadDto(l, keys)), nextCursor: page.nextCursor };
  }

  @Get('count')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'countLeads',
    summary: 'How many leads match a filter',
    description:
      'The number of leads a filter matches (the same filter as listLeads), e.g. before a bulk change or an export.',
  })
  @ApiOkResponse({ type: LeadCountDto })
  async count(@CurrentActor() actor: Actor, @Query() filter: LeadFilter): Promise<LeadCountDto> {
    return { count: await this.leads.count(actor.principal.organizationId, filter) };
  }

  @Post('bulk')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    operationId: 'bulkUpdateLeads',
    summary: 'Change many leads: status, owner, tags, delete or restore',
    description:
      'Select leads by `ids` (up to 1000) or by `filter`. Up to 200 ids change at once (200); anything larger ' +
      'runs as a task (202) whose progress `GET /api/tasks/{id}` reports. delete and restore also need leads:delete.',
  })
  @ApiOkResponse({ type: BulkResultDto, description: 'Done at once.' })
  @ApiAcceptedResponse({ type: BulkResultDto, description: 'Running as a task.' })
  @ApiProblemResponses(400, 503)
  async bulkUpdate(
    @CurrentActor() actor: Actor,
    @Body() body: BulkLeadsDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkResultDto> {
    const result = await this.bulk.apply(actor, body);
    if ('task' in result) {
      reply.status(202);
      return { changed: null, unchanged: null, task: toTaskDto(result.task) };
    }
    reply.status(200);
    return { ...result.outcome, task: null };
  }

  @Post('rescore')
  @HttpCode(202)
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'rescoreLeads',
    summary: 'Recompute the score of every lead of the organization, in the background',
    description:
      'Queues a rescore of every lead of your organization (the score rules change, or time passed). Answers at once; the work runs in the background.',
  })
  @ApiAcceptedResponse({ type: RescoreLeadsDto })
  async rescoreLeads(@CurrentActor() actor: Actor): Promise<RescoreLeadsDto> {
    return this.scoring.enqueueRescoreAll(actor.principal.organizationId);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    operationId: 'createLead',
    summary: 'Create a lead',
    description:
      'A lead needs at least an email, a phone, a name or a company. Phones are stored as E.164 (give defaultCountry for national numbers); an email may belong to one lead only (409). The score is computed, not sent.',
  })
  @ApiCreatedResponse({ type: LeadDto })
  @ApiProblemResponses(409)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateLeadDto): Promise<LeadDto> {
    const lead = await this.leads.create(actor, body);
    return toLeadDto(lead, await this.keys(actor));
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'getLead',
    summary: 'One lead',
    description:
      'The lead with its custom field values and score. A lead in the recycle bin answers 404 here; list those with deleted=true.',
  })
  @ApiOkResponse({ type: LeadDto })
  @ApiProblemResponses(404)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LeadDto> {
    const lead = await this.leads.get(actor.principal.organizationId, id);
    return toLeadDto(lead, await this.keys(actor));
  }

  @Patch(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    operationId: 'updateLead',
    summary: 'Change a lead',
    description:
      'Changes only the fields given; customFields changes only the keys given (null clears one). The score is recomputed.',
  })
  @ApiOkResponse({ type: LeadDto })
  @ApiProblemResponses(404, 409)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateLeadDto,
  ): Promise<LeadDto> {
    const lead = await this.leads.update(actor, id, body);
    return toLeadDto(lead, await this.keys(actor));
  }

  @Get(':id/activities')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    operationId: 'listLeadActivities',
    summary: "The lead's timeline, newest first",
    description:
      'Everything that happened to the lead (created, changed fields, status moves, notes, imports, merges), newest first, keyset-paginated.',
  })
  @ApiOkResponse({ type: LeadActivityPageDto })
  @ApiProblemResponses(404)
  async activities(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<LeadActivityPageDto> {
    const page = await this.leads.timeline(actor.principal.organizationId, id, query.limit, query.cursor);
    return { items: page.items.map(toActivityDto), nextCursor: page.nextCursor };
  }

  @Post(':id/notes')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    operationId: 'addLeadNote',
    summary: "Add a note to the lead's timeline",
    description: "Adds a note (plain text) to the lead's timeline, signed with your name.",
  })
  @ApiCreatedResponse({ type: LeadActivityDto })
  @ApiProblemResponses(404)
  async addNote(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: NoteDto,
  ): Promise<LeadActivityDto> {
    return toActivityDto(await this.leads.addNote(actor, id, body.body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.LeadsDelete)
  @ApiOperation({
    operationId: 'deleteLead',
    summary: 'Move a lead to the recycle bin (restore brings it back)',
    description:
      'Soft delete: the lead leaves lists and campaigns but can be restored (restoreLead). Recorded in the timeline and the audit log.',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(404)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.leads.remove(actor, id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsDelete)
  @ApiOperation({
    operationId: 'restoreLead',
    summary: 'Bring a deleted lead back',
    description:
      'Brings a lead back from the recycle bin. Refused (409) when its email now belongs to another lead, or when it was merged into another lead.',
  })
  @ApiOkResponse({ type: LeadDto })
  @ApiProblemResponses(404, 409)
  async restore(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LeadDto> {
    const lead = await this.leads.restore(actor, id);
    return toLeadDto(lead, await this.keys(actor));
  }
}
