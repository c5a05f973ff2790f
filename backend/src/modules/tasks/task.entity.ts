import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum TaskStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const FINISHED_STATUSES: readonly TaskStatus[] = [TaskStatus.Succeeded, TaskStatus.Failed, TaskStatus.Cancelled];

/**
 * A long piece of work (an import, an export, a bulk change) that runs as a
 * job and reports progress. The row is the source of truth: the job only
 * carries the task id, and a handler that is interrupted resumes from
 * `checkpoint`, which it writes in the same transaction as the work it covers.
 */
@Entity({ name: 'tasks' })
@Index('idx_tasks_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_tasks_unfinished', { synchronize: false })
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** Which handler runs it, e.g. `lead.import`. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text', default: TaskStatus.Queued })
  status: TaskStatus;

  /** Short human description shown in lists ("Import leads.csv"). */
  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params: Record<string, unknown>;

  /** Units of work in all, when known (rows, leads). */
  @Column({ type: 'integer', nullable: true })
  total: number | null;

  @Column({ type: 'integer', default: 0 })
  processed: number;

  /** Outcome counters, e.g. created/updated/skipped/failed. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  counts: Record<string, number>;

  /** Where an interrupted run resumes; owned by the handler. */
  @Column({ type: 'jsonb', nullable: true })
  checkpoint: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** Runs started (1 on a clean run; more after a worker was lost or a transient failure). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_by_label', type: 'text', nullable: true })
  createdByLabel: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
