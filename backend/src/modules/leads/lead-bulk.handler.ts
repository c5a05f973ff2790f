import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { TaskContext, TaskHandler, TaskRunner } from '../tasks/task-handler';
import { applyBulkBatch, selectBatch } from './lead-bulk';
import { fieldValidatorFor } from './lead-fields.service';
import { BULK_TASK_KIND, LeadBulkParams } from './lead-bulk.service';
import { LeadFilter } from './lead-filter';

const BATCH = 500;

/**
 * Runs a large bulk change in batches of 500, walking the selection by id.
 * Each batch, its timeline entries and the checkpoint (last id) commit in
 * one transaction, so a worker killed mid-way resumes after the last
 * committed batch and no lead is changed twice.
 */
@TaskHandler(BULK_TASK_KIND)
export class LeadBulkHandler implements TaskRunner<LeadBulkParams> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run(ctx: TaskContext<LeadBulkParams>): Promise<Record<string, unknown>> {
    const { task } = ctx;
    const params = task.params;
    const selection = {
      ids: params.ids,
      filter: params.filter ? plainToInstance(LeadFilter, params.filter) : undefined,
    };
    const fields = selection.filter?.custom?.length
      ? await fieldValidatorFor(this.dataSource, task.organizationId)
      : undefined;
    const actor = { id: task.createdBy, label: task.createdByLabel ?? 'bulk change' };
    let lastId = (task.checkpoint?.lastId as string | undefined) ?? null;
    let processed = task.processed;
    const counts = { changed: task.counts.changed ?? 0, unchanged: task.counts.unchanged ?? 0 };
    for (;;) {
      const done = await this.dataSource.transaction(async (manager) => {
        const ids = await selectBatch(manager, task.organizationId, selection, params.action, lastId, BATCH, fields);
        if (ids.length === 0) return true;
        const outcome = await applyBulkBatch(manager, task.organizationId, actor, ids, params);
        counts.changed += outcome.changed;
        counts.unchanged += outcome.unchanged;
        processed += ids.length;
        lastId = ids[ids.length - 1];
        await ctx.report({ processed, counts: { ...counts }, checkpoint: { lastId } }, manager);
        return false;
      });
      if (done) break;
    }
    // Leads that left the selection meanwhile: the total was an estimate.
    await ctx.report({ total: processed });
    return { ...counts };
  }
}
