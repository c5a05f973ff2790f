import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Task } from './task.entity';

export const TASK_HANDLER_KIND = 'meridian:task_handler_kind';

/**
 * Marks a provider as the handler of a task kind. Handlers live in job
 * modules (imported by the worker, and by the embedded API), and run through
 * the tasks queue's one processor.
 */
export const TaskHandler = (kind: string) => applyDecorators(Injectable(), SetMetadata(TASK_HANDLER_KIND, kind));

export interface TaskProgress {
  processed?: number;
  total?: number | null;
  counts?: Record<string, number>;
  checkpoint?: Record<string, unknown> | null;
}

/** What a handler gets: its task, and the way to report (and checkpoint) progress. */
export interface TaskContext<P = Record<string, unknown>> {
  readonly task: Task & { params: P };
  /** Aborted when the process is shutting down: stop at the next safe point. */
  readonly signal: AbortSignal;
  /**
   * Saves progress; pass the transaction that did the work so the
   * checkpoint commits with it. Throws TaskCancelled once the task was
   * cancelled, and TaskInterrupted once the process is stopping.
   */
  report(progress: TaskProgress, manager?: EntityManager): Promise<void>;
}

export interface TaskRunner<P = Record<string, unknown>> {
  /** Runs (or resumes, from `task.checkpoint`) the task; what it returns becomes `task.result`. */
  run(context: TaskContext<P>): Promise<Record<string, unknown> | void>;
}

/** A failure that another attempt would not fix (bad file, missing data): the task fails at once. */
export class TaskFailure extends Error {}

/** The task was cancelled by a user: the handler stops, the task stays cancelled. */
export class TaskCancelled extends Error {
  constructor() {
    super('The task was cancelled');
  }
}

/** The process is stopping: the job is retried (by another worker, or after restart) and resumes. */
export class TaskInterrupted extends Error {
  constructor() {
    super('The task was interrupted by a shutdown and will resume');
  }
}
