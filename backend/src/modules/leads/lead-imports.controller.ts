import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ProblemException } from '../../common/errors/problem';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { TaskDto } from '../tasks/dto/task.dto';
import { toTaskDto } from '../tasks/tasks.controller';
import {
  ImportDryRunDto,
  ImportPreviewDto,
  LeadImportOptionsDto,
  StartLeadExportDto,
  UploadLeadImportQueryDto,
} from './dto/lead-import.dto';
import { LeadExportService } from './lead-export.service';
import { LeadImportService } from './lead-import.service';

/**
 * CSV imports: upload (raw body) → preview with a proposed mapping → dry run
 * on the first 1,000 rows → start a `lead.import` task whose progress,
 * counts and error file `GET /api/tasks/{id}` reports.
 */
@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/lead-imports')
export class LeadImportsController {
  constructor(private readonly imports: LeadImportService) {}

  @Post()
  @RequirePermissions(Permission.LeadsImport)
  @ApiOperation({
    operationId: 'uploadLeadImport',
    summary: 'Upload a CSV to import (the raw file as the body, up to 200 MiB), and preview it',
    description:
      'Send the file itself as the body with `Content-Type: text/csv` (or `application/octet-stream`). ' +
      'The answer tells the detected encoding and delimiter, the headers, up to 5 rows and a proposed mapping.',
  })
  @ApiConsumes('text/csv', 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: ImportPreviewDto })
  @ApiProblemResponses(413, 415)
  async uploadLeadImport(
    @CurrentActor() actor: Actor,
    @Query() query: UploadLeadImportQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<ImportPreviewDto> {
    const body = request.body;
    if (!(body instanceof Readable)) {
      throw new ProblemException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'unsupported_media_type',
        'Send the CSV file itself as the body, with Content-Type text/csv or application/octet-stream.',
      );
    }
    const declared = Number(request.headers['content-length']);
    return this.imports.upload(actor, query.filename, body, Number.isFinite(declared) ? declared : undefined);
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsImport)
  @ApiOperation({
    operationId: 'getLeadImport',
    summary: 'The preview of an upload (and its task, once started)',
    description:
      'The preview of an uploaded CSV (detected encoding and delimiter, headers, sample rows, the proposed mapping) and, once the import was started, its task.',
  })
  @ApiOkResponse({ type: ImportPreviewDto })
  @ApiProblemResponses(404)
  async getLeadImport(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ImportPreviewDto> {
    return this.imports.preview(actor.principal.organizationId, id);
  }

  @Post(':id/dry-run')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsImport)
  @ApiOperation({
    operationId: 'dryRunLeadImport',
    summary: 'What the import would do to the first 1,000 rows (nothing is written)',
    description:
      'Checks the first 1,000 rows with a mapping and a duplicate policy and says what would be created, updated, skipped or failed (with reasons). Nothing is written.',
  })
  @ApiOkResponse({ type: ImportDryRunDto })
  @ApiProblemResponses(404, 422)
  async dryRunLeadImport(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LeadImportOptionsDto,
  ): Promise<ImportDryRunDto> {
    return this.imports.dryRun(actor, id, body);
  }

  @Post(':id/start')
  @HttpCode(202)
  @RequirePermissions(Permission.LeadsImport)
  @ApiOperation({
    operationId: 'startLeadImport',
    summary: 'Import the upload as a task; follow it at GET /api/tasks/{id}',
    description:
      'created + updated + skipped + failed = rows read (task counts). Failed rows come back as a CSV ' +
      '(purpose lead-import-errors) in the task files, with the row number and the reason.',
  })
  @ApiAcceptedResponse({ type: TaskDto })
  @ApiProblemResponses(404, 409, 503)
  async startLeadImport(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LeadImportOptionsDto,
  ): Promise<TaskDto> {
    return toTaskDto(await this.imports.start(actor, id, body));
  }
}

@ApiTags('Leads')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/lead-exports')
export class LeadExportsController {
  constructor(private readonly exports: LeadExportService) {}

  @Post()
  @HttpCode(202)
  @RequirePermissions(Permission.LeadsExport)
  @ApiOperation({
    operationId: 'startLeadExport',
    summary: 'Export a filter to a CSV file as a task; the file shows in the task files',
    description:
      "Starts a `lead.export` background task for the leads of a filter; follow it with getTask, then download the CSV from the task's files. For small exports, exportLeadsCsv streams the file at once.",
  })
  @ApiAcceptedResponse({ type: TaskDto })
  @ApiProblemResponses(503)
  async startLeadExport(@CurrentActor() actor: Actor, @Body() body: StartLeadExportDto): Promise<TaskDto> {
    return toTaskDto(await this.exports.start(actor, body.filter, body.columns));
  }
}
