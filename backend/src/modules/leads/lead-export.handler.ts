import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FileStore } from '../tasks/file-store.service';
import { TaskContext, TaskHandler, TaskRunner } from '../tasks/task-handler';
import { leadsCsv, resolveColumns } from './lead-export';
import {
  EXPORT_FILE_PURPOSE,
  EXPORT_TASK_KIND,
  exportFileName,
  filterFromParams,
  LeadExportParams,
} from './lead-export.service';

/**
 * Writes the CSV of a filter into the file store, reporting progress per
 * 1,000 leads; the file shows in the task's files once complete. An
 * interrupted export starts over (a partial file is never served, and one
 * left by an earlier attempt is replaced).
 */
@TaskHandler(EXPORT_TASK_KIND)
export class LeadExportHandler implements TaskRunner<LeadExportParams> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileStore,
  ) {}

  async run(ctx: TaskContext<LeadExportParams>): Promise<Record<string, unknown>> {
    const { task } = ctx;
    const filter = filterFromParams(task.params.filter);
    const manager = this.dataSource.manager;
    for (const old of await this.files.listForTask(task.organizationId, task.id)) {
      if (old.purpose === EXPORT_FILE_PURPOSE) await this.files.remove(task.organizationId, old.id);
    }
    const columns = await resolveColumns(manager, task.organizationId, filter, task.params.columns);
    let exported = 0;
    const file = await this.files.write(
      {
        organizationId: task.organizationId,
        purpose: EXPORT_FILE_PURPOSE,
        name: exportFileName(task.createdAt),
        contentType: 'text/csv; charset=utf-8',
        taskId: task.id,
        createdBy: task.createdBy,
      },
      leadsCsv(manager, task.organizationId, filter, columns, async (n) => {
        exported = n;
        await ctx.report({ processed: n });
      }),
    );
    await ctx.report({ processed: exported, total: exported, counts: { exported } });
    return { exported, fileId: file.id, columns };
  }
}
