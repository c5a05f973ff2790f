import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { Task } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { leadsCsv, resolveColumns } from './lead-export';
import { LeadFilter } from './lead-filter';
import { LeadsService } from './leads.service';

export const EXPORT_TASK_KIND = 'lead.export';
export const EXPORT_FILE_PURPOSE = 'lead-export';

export interface LeadExportParams {
  filter: Record<string, unknown>;
  columns?: string[];
}

/** The filter as the task stored it (JSON), back as a LeadFilter (dates as dates). */
export function filterFromParams(filter: Record<string, unknown> | undefined): LeadFilter {
  return plainToInstance(LeadFilter, filter ?? {});
}

export function exportFileName(now = new Date()): string {
  return `leads-${now.toISOString().slice(0, 10)}.csv`;
}

/** CSV exports of a filter: streamed at once, or written to a file by a `lead.export` task. */
@Injectable()
export class LeadExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leads: LeadsService,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
  ) {}

  /** The CSV as a stream; the columns are checked before the first byte goes out. */
  async stream(actor: Actor, filter: LeadFilter, columns?: string[]): Promise<Readable> {
    const organizationId = actor.principal.organizationId;
    const resolved = await resolveColumns(this.dataSource.manager, organizationId, filter, columns);
    await this.audit.record(actor, {
      action: 'lead.export',
      entityType: 'lead',
      changes: { filter: { ...filter }, columns: resolved, delivery: 'download' },
    });
    return Readable.from(leadsCsv(this.dataSource.manager, organizationId, filter, resolved));
  }

  async start(actor: Actor, filter: LeadFilter = new LeadFilter(), columns?: string[]): Promise<Task> {
    const organizationId = actor.principal.organizationId;
    // Checks the columns now (400), so the task cannot fail on them later.
    if (columns?.length) await resolveColumns(this.dataSource.manager, organizationId, filter, columns);
    const total = await this.leads.count(organizationId, filter);
    const params: LeadExportParams = { filter: { ...filter }, columns };
    const task = await this.tasks.start(actor, {
      kind: EXPORT_TASK_KIND,
      title: `Export ${total} lead${total === 1 ? '' : 's'}`,
      params: params as unknown as Record<string, unknown>,
      total,
    });
    await this.audit.record(actor, {
      action: 'lead.export',
      entityType: 'task',
      entityId: task.id,
      changes: { filter: params.filter, columns: columns ?? null, delivery: 'file', selected: total },
    });
    return task;
  }
}
