import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { LessThan, Repository } from 'typeorm';
import { ProblemException } from '../../common/errors/problem';
import { FileChunk, StoredFile } from './stored-file.entity';

/** Bytes per row of `file_chunks`. */
export const CHUNK_BYTES = 1024 * 1024;
/** How long a stored file is kept unless its writer says otherwise. */
export const DEFAULT_FILE_TTL_MS = 7 * 24 * 3600 * 1000;

export interface NewFile {
  organizationId: string;
  purpose: string;
  name: string;
  contentType: string;
  taskId?: string | null;
  createdBy?: string | null;
  ttlMs?: number;
  /** Larger sources are refused with 413 (and nothing is kept). */
  maxBytes?: number;
}

/**
 * Files in PostgreSQL, written and read as streams in 1 MiB chunks: memory
 * stays flat whatever the size, and a partly written file is never served.
 */
@Injectable()
export class FileStore {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    @InjectRepository(FileChunk) private readonly chunks: Repository<FileChunk>,
  ) {}

  /** Stores everything `source` yields. The file is complete (readable) once this resolves. */
  async write(meta: NewFile, source: AsyncIterable<Buffer | string> | Readable): Promise<StoredFile> {
    const file = await this.files.save({
      organizationId: meta.organizationId,
      purpose: meta.purpose,
      name: meta.name,
      contentType: meta.contentType,
      taskId: meta.taskId ?? null,
      createdBy: meta.createdBy ?? null,
      expiresAt: new Date(Date.now() + (meta.ttlMs ?? DEFAULT_FILE_TTL_MS)),
    });
    let seq = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      for (let off = 0; off < data.length; off += CHUNK_BYTES) {
        await this.chunks.insert({ fileId: file.id, seq: seq++, data: data.subarray(off, off + CHUNK_BYTES) });
      }
    };
    try {
      for await (const part of source as AsyncIterable<Buffer | string>) {
        const buf: Buffer = typeof part === 'string' ? Buffer.from(part) : part;
        size += buf.length;
        if (meta.maxBytes !== undefined && size > meta.maxBytes) {
          throw new ProblemException(
            HttpStatus.PAYLOAD_TOO_LARGE,
            'file_too_large',
            `The file is larger than ${Math.floor(meta.maxBytes / (1024 * 1024))} MiB.`,
          );
        }
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
    } catch (err) {
      await this.files.delete({ id: file.id });
      throw err;
    }
    await this.files.update({ id: file.id }, { size, complete: true });
    return { ...file, size, complete: true };
  }

  /** The file's row, if it is complete and belongs to the organization; 404 otherwise. */
  async get(organizationId: string, id: string): Promise<StoredFile> {
    const file = await this.files.findOne({ where: { id, organizationId, complete: true } });
    if (!file) throw new NotFoundException(`No file ${id}`);
    return file;
  }

  /** The bytes, streamed chunk by chunk (a couple of chunks in memory at most). */
  open(file: StoredFile): Readable {
    const chunks = this.chunks;
    // Ends right after the last chunk (no trailing query): a download is then
    // complete on the server as soon as the client has every byte, so an
    // HTTP server closing at that moment does not wait on the connection.
    async function* read(): AsyncGenerator<Buffer> {
      let bytes = 0;
      for (let seq = 0; bytes < file.size; seq++) {
        const chunk = await chunks.findOne({ where: { fileId: file.id, seq } });
        if (!chunk) return;
        bytes += chunk.data.length;
        yield chunk.data;
      }
    }
    return Readable.from(read(), { objectMode: false });
  }

  async listForTask(organizationId: string, taskId: string): Promise<StoredFile[]> {
    return this.files.find({ where: { organizationId, taskId, complete: true }, order: { createdAt: 'ASC' } });
  }

  async attachToTask(organizationId: string, fileId: string, taskId: string): Promise<void> {
    await this.files.update({ id: fileId, organizationId }, { taskId });
  }

  async remove(organizationId: string, id: string): Promise<void> {
    await this.files.delete({ id, organizationId });
  }

  /** Deletes expired files (and, by cascade, their chunks). Returns how many went. */
  async removeExpired(now = new Date()): Promise<number> {
    const result = await this.files.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
