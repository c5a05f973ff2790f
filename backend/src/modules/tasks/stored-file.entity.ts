import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * A file kept in PostgreSQL (uploads to import, error reports, exports), so
 * the API and every worker see it without a shared volume, and backups hold
 * it. The bytes are in `file_chunks`; `complete` turns true once all are written.
 */
@Entity({ name: 'stored_files' })
@Index('idx_stored_files_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_stored_files_expires', ['expiresAt'])
export class StoredFile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId: string | null;

  /** What the file is for, e.g. `lead-import`, `lead-import-errors`, `lead-export`: decides who may read it. */
  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column({ type: 'boolean', default: false })
  complete: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;
}

@Entity({ name: 'file_chunks' })
export class FileChunk {
  @PrimaryColumn({ name: 'file_id', type: 'uuid' })
  fileId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @ManyToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id' })
  file?: StoredFile;

  @Column({ type: 'bytea' })
  data: Buffer;
}
