import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { RequirePermissions, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { StoredFileDto, TaskDto, TaskListQueryDto, TaskPageDto } from './dto/task.dto';
import { FileStore } from './file-store.service';
import { StoredFile } from './stored-file.entity';
import { mayReadPurpose } from './task-kinds';
import { Task } from './task.entity';
import { TasksService } from './tasks.service';

export function toFileDto(f: StoredFile): StoredFileDto {
  return {
    id: f.id,
    name: f.name,
    purpose: f.purpose,
    contentType: f.contentType,
    size: f.size,
    createdAt: f.createdAt.toISOString(),
    expiresAt: f.expiresAt.toISOString(),
    url: `/api/files/${f.id}`,
  };
}

export function toTaskDto(t: Task, files: StoredFile[] = []): TaskDto {
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    title: t.title,
    total: t.total,
    processed: t.processed,
    percent: t.total ? Math.min(100, Math.floor((t.processed / t.total) * 100)) : t.total === 0 ? 100 : null,
    counts: t.counts,
    result: t.result,
    error: t.error,
    attempts: t.attempts,
    createdByLabel: t.createdByLabel,
    createdAt: t.createdAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
    files: files.map(toFileDto),
  };
}

/**
 * Background tasks (imports, exports, bulk changes). Any signed-in principal
 * may call these routes; each task is visible only with the permission of its
 * kind (see task-kinds.ts), so the check is in the service.
 */
@ApiTags('Tasks')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly files: FileStore,
  ) {}

  @Get()
  @RequirePermissions()
  @ApiOperation({
    operationId: 'listTasks',
    summary: 'Background tasks you may see, newest first',
    description:
      'Imports, exports, bulk changes and other background work of your organization that you may see, with status and progress.',
  })
  @ApiOkResponse({ type: TaskPageDto })
  async listTasks(@CurrentPrincipal() principal: Principal, @Query() query: TaskListQueryDto): Promise<TaskPageDto> {
    const page = await this.tasks.list(
      principal,
      { kind: query.kind, status: query.status },
      query.limit,
      query.cursor,
    );
    return { items: page.items.map((t) => toTaskDto(t)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermissions()
  @ApiOperation({
    operationId: 'getTask',
    summary: 'One task with its progress, counts and files',
    description:
      'Status, progress and counts of one task, its error if it failed, and the files it produced (with download links).',
  })
  @ApiOkResponse({ type: TaskDto })
  @ApiProblemResponses(404)
  async getTask(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDto> {
    const task = await this.tasks.get(principal, id);
    const files = await this.files.listForTask(principal.organizationId, task.id);
    return toTaskDto(
      task,
      files.filter((f) => mayReadPurpose(principal.permissions, f.purpose)),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermissions()
  @ApiOperation({
    operationId: 'cancelTask',
    summary: 'Stop a queued or running task (work already done stays done)',
    description:
      'A queued task does not start; a running one stops at its next checkpoint. What was done stays done; a finished task answers 409.',
  })
  @ApiOkResponse({ type: TaskDto })
  @ApiProblemResponses(404, 409)
  async cancelTask(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDto> {
    return toTaskDto(await this.tasks.cancel(principal, id));
  }
}

@ApiTags('Tasks')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FileStore) {}

  @Get(':id')
  @RequirePermissions()
  @ApiOperation({
    operationId: 'downloadFile',
    summary: 'Download a file a task produced (or an upload)',
    description:
      "Streams a file an import or export produced (the upload, the export, the error report). You need the permission of the file's kind (an export needs leads:export, for example); others get 404. Files are kept 7 days.",
  })
  @ApiProduces('text/csv', 'application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiProblemResponses(404)
  async downloadFile(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<StreamableFile> {
    const file = await this.files.get(principal.organizationId, id);
    if (!mayReadPurpose(principal.permissions, file.purpose)) throw new NotFoundException(`No file ${id}`);
    return new StreamableFile(this.files.open(file), {
      type: file.contentType,
      length: file.size,
      disposition: `attachment; filename="${file.name.replace(/[^\w.-]+/g, '_')}"`,
    });
  }
}
