import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ProblemException, ValidationProblem } from '../../common/errors/problem';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { FileStore } from '../tasks/file-store.service';
import { StoredFile } from '../tasks/stored-file.entity';
import { Task } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { CsvDelimiter, CsvEncoding, detectDelimiter, detectEncoding, readRecords, uniqueHeaders } from './csv-format';
import { ImportDryRunDto, ImportPreviewDto, LeadImportOptionsDto } from './dto/lead-import.dto';
import { addCounts, emptyCounts, simulateBatch } from './lead-import';
import { ColumnTarget, suggestMapping, validateMapping } from './lead-import-mapping';
import { LeadFieldsService } from './lead-fields.service';
import { ImportOptions, isFailure, LeadRow, planBatch, RowFailure, RowReader } from './lead-import-rows';
import { LeadSource } from './lead.entity';

export const IMPORT_TASK_KIND = 'lead.import';
export const IMPORT_FILE_PURPOSE = 'lead-import';
export const IMPORT_ERRORS_PURPOSE = 'lead-import-errors';
/** Largest upload: 200 MiB (about a million rows of a typical export). */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
/** Rows a dry run checks. */
export const DRY_RUN_ROWS = 1000;
const DRY_RUN_FAILURES = 50;

/** What the task carries: the upload, how to read it, and the options. */
export interface LeadImportParams extends ImportOptions {
  fileId: string;
  fileName: string;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
}

interface Inspection {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  sampleRows: string[][];
  estimatedRows: number;
  rowsExact: boolean;
}

/** The file's first chunk (1 MiB at most): enough to tell encoding, delimiter, headers and row size. */
async function firstChunk(stream: Readable): Promise<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) return chunk;
    return Buffer.alloc(0);
  } finally {
    stream.destroy();
  }
}

/** Upload, preview, dry run and start of a lead import (the `lead.import` task does the rest). */
@Injectable()
export class LeadImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileStore,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
    private readonly fields: LeadFieldsService,
  ) {}

  /** Stores the uploaded bytes as they arrive (never all in memory), then previews them. */
  async upload(actor: Actor, filename: string, body: Readable, declaredBytes?: number): Promise<ImportPreviewDto> {
    if (declaredBytes !== undefined && declaredBytes > IMPORT_MAX_BYTES) {
      throw new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'file_too_large', 'The file is larger than 200 MiB.');
    }
    const file = await this.files.write(
      {
        organizationId: actor.principal.organizationId,
        purpose: IMPORT_FILE_PURPOSE,
        name: filename,
        contentType: 'text/csv',
        createdBy: actor.principal.kind === 'user' ? actor.principal.id : null,
        maxBytes: IMPORT_MAX_BYTES,
      },
      body,
    );
    if (file.size === 0) {
      await this.files.remove(file.organizationId, file.id);
      throw new ValidationProblem([{ field: 'body', reason: 'the file is empty' }]);
    }
    return this.preview(actor.principal.organizationId, file.id, file);
  }

  async preview(organizationId: string, id: string, known?: StoredFile): Promise<ImportPreviewDto> {
    const file = known ?? (await this.getUpload(organizationId, id));
    const seen = await this.inspect(file);
    return {
      id: file.id,
      filename: file.name,
      size: file.size,
      encoding: seen.encoding,
      delimiter: seen.delimiter,
      headers: seen.headers,
      sampleRows: seen.sampleRows,
      suggestedMapping: suggestMapping(seen.headers),
      estimatedRows: seen.estimatedRows,
      rowsExact: seen.rowsExact,
      taskId: file.taskId,
    };
  }

  /** What the import would do to the first 1,000 rows, with the same checks, and no writes. */
  async dryRun(actor: Actor, id: string, body: LeadImportOptionsDto): Promise<ImportDryRunDto> {
    const organizationId = actor.principal.organizationId;
    const file = await this.getUpload(organizationId, id);
    const fields = await this.fields.validatorForActor(actor);
    const params = await this.checkOptions(file, body, fields.keys);
    const { headers, records } = await this.open(file, params);
    const reader = new RowReader(headers, params, fields);
    const rows: LeadRow[] = [];
    const readFailures: RowFailure[] = [];
    let checked = 0;
    let moreRows = false;
    try {
      for await (const record of records) {
        if (checked === DRY_RUN_ROWS) {
          moreRows = true;
          break;
        }
        checked++;
        const row = reader.read(record, checked + 1);
        if (isFailure(row)) readFailures.push(row);
        else rows.push(row);
      }
    } catch (err) {
      throw unreadable(err, checked);
    }
    const counts = emptyCounts();
    const outcome = await simulateBatch(
      this.dataSource.manager,
      organizationId,
      params.duplicatePolicy,
      planBatch(rows, params.duplicatePolicy),
      readFailures,
    );
    addCounts(counts, outcome.counts);
    return {
      rowsChecked: checked,
      moreRows,
      counts,
      failures: outcome.failures.slice(0, DRY_RUN_FAILURES).map((f) => ({ row: f.row, reason: f.reason })),
    };
  }

  /** Starts the `lead.import` task on the upload (once: a second start answers 409). */
  async start(actor: Actor, id: string, body: LeadImportOptionsDto): Promise<Task> {
    const organizationId = actor.principal.organizationId;
    const file = await this.getUpload(organizationId, id);
    if (file.taskId) throw alreadyStarted(file.taskId);
    const params = await this.checkOptions(file, body, (await this.fields.validatorForActor(actor)).keys);
    const seen = await this.inspect(file);
    const task = await this.tasks.start(actor, {
      kind: IMPORT_TASK_KIND,
      title: `Import ${file.name}`,
      params: params as unknown as Record<string, unknown>,
      total: seen.estimatedRows,
    });
    if (!(await claimUpload(this.dataSource, file.id, task.id))) {
      await this.tasks.cancel(actor.principal, task.id);
      throw alreadyStarted(null);
    }
    await this.audit.record(actor, {
      action: 'lead.import',
      entityType: 'task',
      entityId: task.id,
      changes: {
        fileId: file.id,
        file: file.name,
        size: file.size,
        duplicatePolicy: params.duplicatePolicy,
        mapping: params.mapping,
        tags: params.tags ?? [],
        estimatedRows: seen.estimatedRows,
      },
    });
    return task;
  }

  private async getUpload(organizationId: string, id: string): Promise<StoredFile> {
    const file = await this.files.get(organizationId, id);
    if (file.purpose !== IMPORT_FILE_PURPOSE) throw new NotFoundException(`No import ${id}`);
    return file;
  }

  /** The options as the import reads them, or 400 naming each problem of the mapping. */
  private async checkOptions(
    file: StoredFile,
    body: LeadImportOptionsDto,
    customKeys: ReadonlySet<string>,
  ): Promise<LeadImportParams> {
    const seen = await this.inspect(file, body.encoding, body.delimiter);
    const errors = validateMapping(body.mapping, seen.headers, customKeys);
    if (errors.length > 0) throw new ValidationProblem(errors);
    return {
      fileId: file.id,
      fileName: file.name,
      encoding: seen.encoding,
      delimiter: seen.delimiter,
      mapping: body.mapping as Record<string, ColumnTarget>,
      duplicatePolicy: body.duplicatePolicy,
      defaultCountry: body.defaultCountry,
      tags: body.tags,
      source: body.source ?? LeadSource.Import,
    };
  }

  private open(file: StoredFile, how: { encoding: CsvEncoding; delimiter: CsvDelimiter }) {
    return openRecords(this.files, file, how);
  }

  private async inspect(file: StoredFile, encoding?: CsvEncoding, delimiter?: CsvDelimiter): Promise<Inspection> {
    const head = await firstChunk(this.files.open(file));
    const enc = encoding ?? detectEncoding(head);
    const delim = delimiter ?? detectDelimiter(new TextDecoder(enc).decode(head.subarray(0, 64 * 1024)));
    const whole = head.length >= file.size;
    let headers: string[] = [];
    const sampleRows: string[][] = [];
    let records = 0;
    try {
      for await (const record of readRecords(Readable.from([head]), { encoding: enc, delimiter: delim })) {
        if (records === 0) headers = uniqueHeaders(record);
        else if (sampleRows.length < 5) sampleRows.push(record);
        records++;
      }
    } catch {
      // The sample ends inside a quoted field: what was read so far counts.
    }
    if (headers.length === 0) {
      throw new ValidationProblem([{ field: 'body', reason: 'no header line: the first line must name the columns' }]);
    }
    const dataRows = Math.max(0, records - 1);
    // A cut sample's last record is partial: scale the whole ones to the file's size.
    const estimatedRows = whole ? dataRows : Math.round((Math.max(0, dataRows - 1) * file.size) / head.length);
    return { encoding: enc, delimiter: delim, headers, sampleRows, estimatedRows, rowsExact: whole };
  }
}

/** The header and then each data record of an upload, streamed. */
export async function openRecords(
  files: FileStore,
  file: StoredFile,
  how: { encoding: CsvEncoding; delimiter: CsvDelimiter },
): Promise<{ headers: string[]; records: AsyncGenerator<string[]> }> {
  const all = readRecords(files.open(file), how);
  const first = await all.next();
  if (first.done) throw new ValidationProblem([{ field: 'body', reason: 'the file has no header line' }]);
  return { headers: uniqueHeaders(first.value), records: all };
}

/** Ties the upload to one import task; false when another task has it. */
export async function claimUpload(dataSource: DataSource, fileId: string, taskId: string): Promise<boolean> {
  const rows = await dataSource.query<[unknown[], number]>(
    `UPDATE stored_files SET task_id = $2 WHERE id = $1 AND (task_id IS NULL OR task_id = $2) RETURNING id`,
    [fileId, taskId],
  );
  return rows[1] > 0;
}

export function unreadable(err: unknown, rowsRead: number): ProblemException {
  return new ProblemException(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'unreadable_csv',
    `The file cannot be read as CSV after data row ${rowsRead}: ${(err as Error).message}`,
  );
}

function alreadyStarted(taskId: string | null): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    'import_started',
    'This upload was already imported; upload the file again to import it again.',
    { taskId },
  );
}
