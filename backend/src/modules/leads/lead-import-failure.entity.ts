import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Task } from '../tasks/task.entity';

/**
 * A row an import could not take, written in the same transaction as the
 * batch it belongs to. The error file is built from these rows once the
 * import is through, so it is complete even after the import resumed.
 */
@Entity({ name: 'lead_import_failures' })
export class LeadImportFailure {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId: string;

  /** The row's number in the file, the header being row 1. */
  @PrimaryColumn({ name: 'row_number', type: 'integer' })
  rowNumber: number;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id' })
  task?: Task;

  @Column({ type: 'text' })
  reason: string;

  /** The cells of the row as read. */
  @Column({ type: 'jsonb' })
  cells: string[];
}
