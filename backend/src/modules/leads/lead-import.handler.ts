import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FileStore } from '../tasks/file-store.service';
import { StoredFile } from '../tasks/stored-file.entity';
import { TaskContext, TaskFailure, TaskHandler, TaskRunner } from '../tasks/task-handler';
import { csvLine, UTF8_BOM } from './csv-format';
import { addCounts, BatchContext, emptyCounts, ImportCounts, writeBatch } from './lead-import';
import { isFailure, LeadRow, planBatch, RowFailure, RowReader } from './lead-import-rows';
import {
  claimUpload,
  IMPORT_ERRORS_PURPOSE,
  IMPORT_TASK_KIND,
  LeadImportParams,
  openRecords,
} from './lead-import.service';
import { LeadSource } from './lead.entity';
import { fieldValidatorFor } from './lead-fields.service';
import { LeadScoringService } from './lead-scoring.service';

/** Rows per transaction. */
export const IMPORT_BATCH = 1000;

interface ImportCheckpoint {
  /** Data rows whose outcome is committed. */
  rowsDone: number;
  /** Data rows in the file (counted once, before the first batch). */
  total: number;
  /** Set once the error file is written: the import is through. */
  errorFileId?: string | null;
  done?: boolean;
}

/**
 * Runs an import: counts the rows, then reads the file as a stream and
 * writes it in batches of 1,000 rows, each batch with its timeline entries,
 * its failed rows and the checkpoint (rows done, counts) in one
 * transaction. A worker killed mid-way resumes after the last committed
 * batch, so no row is written twice; the error file is built at the end
 * from lead_import_failures, so it is complete after any number of resumes.
 */
@TaskHandler(IMPORT_TASK_KIND)
export class LeadImportHandler implements TaskRunner<LeadImportParams> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileStore,
    private readonly scoring: LeadScoringService,
  ) {}

  async run(ctx: TaskContext<LeadImportParams>): Promise<Record<string, unknown>> {
    const { task } = ctx;
    const params = task.params;
    const counts: ImportCounts = { ...emptyCounts(), ...(task.counts as Partial<ImportCounts>) };
    const checkpoint = task.checkpoint as ImportCheckpoint | null;
    if (checkpoint?.done)
      return { ...counts, rowsRead: checkpoint.rowsDone, errorFileId: checkpoint.errorFileId ?? null };

    if (!(await claimUpload(this.dataSource, params.fileId, task.id)))
      throw new TaskFailure('The upload belongs to another import.');
    let file: StoredFile;
    try {
      file = await this.files.get(task.organizationId, params.fileId);
    } catch {
      throw new TaskFailure('The uploaded file is gone (uploads are kept 7 days): upload it again.');
    }

    let total = checkpoint?.total;
    if (total === undefined) {
      total = await this.countRows(file, params);
      await ctx.report({ total, checkpoint: { rowsDone: 0, total } satisfies ImportCheckpoint });
    }

    const batchContext: BatchContext = {
      organizationId: task.organizationId,
      policy: params.duplicatePolicy,
      defaultSource: params.source ?? LeadSource.Import,
      taskId: task.id,
      fileName: params.fileName,
      actor: { id: task.createdBy, label: task.createdByLabel ?? 'import' },
    };
    const { headers, records } = await openRecords(this.files, file, params);
    const reader = new RowReader(headers, params, await fieldValidatorFor(this.dataSource, task.organizationId));
    let rowsDone = checkpoint?.rowsDone ?? 0;
    let read = 0;
    let batch: string[][] = [];
    const flush = async () => {
      const first = rowsDone;
      const rows: LeadRow[] = [];
      const failures: RowFailure[] = [];
      batch.forEach((record, i) => {
        const row = reader.read(record, first + i + 2);
        if (isFailure(row)) failures.push(row);
        else rows.push(row);
      });
      const size = batch.length;
      batch = [];
      const leadIds: string[] = [];
      await this.dataSource.transaction(async (manager) => {
        const outcome = await writeBatch(
          manager,
          batchContext,
          planBatch(rows, params.duplicatePolicy),
          failures,
          leadIds,
        );
        addCounts(counts, outcome);
        await ctx.report(
          {
            processed: first + size,
            counts: { ...counts },
            checkpoint: { rowsDone: first + size, total } satisfies ImportCheckpoint,
          },
          manager,
        );
      });
      rowsDone = first + size;
      // Updated leads are scored again from their committed state (new ones were scored on
      // insert). A worker lost right here leaves those scores for the next rescore.
      await this.scoring.rescore(task.organizationId, leadIds);
    };
    try {
      for await (const record of records) {
        read++;
        if (read <= rowsDone) continue; // committed before an interruption
        batch.push(record);
        if (batch.length === IMPORT_BATCH) await flush();
      }
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('CSV_'))
        throw new TaskFailure(`The file cannot be read as CSV after data row ${read}: ${(err as Error).message}`);
      throw err;
    }
    if (batch.length > 0) await flush();

    const errorFileId =
      counts.failed > 0 ? await this.writeErrorFile(task.id, task.organizationId, headers, params) : null;
    await ctx.report({
      total: rowsDone,
      processed: rowsDone,
      counts: { ...counts },
      checkpoint: { rowsDone, total: rowsDone, errorFileId, done: true } satisfies ImportCheckpoint,
    });
    await this.dataSource.query(`DELETE FROM lead_import_failures WHERE task_id = $1`, [task.id]);
    return { ...counts, rowsRead: rowsDone, errorFileId };
  }

  /** Data rows in the file: one quick pass, so progress has a true 100 %. */
  private async countRows(file: StoredFile, params: LeadImportParams): Promise<number> {
    const { records } = await openRecords(this.files, file, params);
    let n = 0;
    try {
      for await (const _ of records) n++;
    } catch (err) {
      throw new TaskFailure(`The file cannot be read as CSV after data row ${n}: ${(err as Error).message}`);
    }
    return n;
  }

  /** The failed rows as CSV: the file's own columns, then `row` and `reason`; replaces an earlier attempt's file. */
  private async writeErrorFile(
    taskId: string,
    organizationId: string,
    headers: string[],
    params: LeadImportParams,
  ): Promise<string> {
    for (const old of await this.files.listForTask(organizationId, taskId)) {
      if (old.purpose === IMPORT_ERRORS_PURPOSE) await this.files.remove(organizationId, old.id);
    }
    const dataSource = this.dataSource;
    async function* lines(): AsyncGenerator<string> {
      yield UTF8_BOM + csvLine([...headers, 'row', 'reason']);
      let after = 0;
      for (;;) {
        const rows = await dataSource.query<{ row_number: number; reason: string; cells: string[] }[]>(
          `SELECT row_number, reason, cells FROM lead_import_failures
           WHERE task_id = $1 AND row_number > $2 ORDER BY row_number LIMIT 1000`,
          [taskId, after],
        );
        if (rows.length === 0) return;
        yield rows.map((r) => csvLine([...headers.map((_, i) => r.cells[i] ?? ''), r.row_number, r.reason])).join('');
        after = rows[rows.length - 1].row_number;
      }
    }
    const name = `${params.fileName.replace(/\.csv$/i, '')}-errors.csv`;
    const file = await this.files.write(
      { organizationId, purpose: IMPORT_ERRORS_PURPOSE, name, contentType: 'text/csv; charset=utf-8', taskId },
      lines(),
    );
    return file.id;
  }
}
