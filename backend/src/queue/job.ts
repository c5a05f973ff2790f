import { SetMetadata } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import type { WorkerOptions } from 'bullmq';
import type { QueueName } from './queue-names';

/**
 * What a processor may use of a job. BullMQ's Job satisfies it, and so does
 * the in-process runner's job, so one processor class serves both profiles.
 */
export interface JobLike<T = unknown> {
  readonly id?: string;
  readonly name: string;
  readonly data: T;
  readonly attemptsMade: number;
  /** Creation time (epoch ms). */
  readonly timestamp: number;
  /** Options it was added with (attempts: how many runs it may have in all). */
  readonly opts?: { attempts?: number };
  updateProgress(progress: number | object): Promise<void>;
}

export interface JobProcessorHost {
  process(job: JobLike): Promise<unknown>;
}

export const JOB_PROCESSOR_QUEUE = 'meridian:job_processor_queue';

/**
 * Marks a class as the processor of a queue: BullMQ runs it in the worker
 * process, the inline runner calls it in the embedded profile.
 */
export function JobProcessor(
  queue: QueueName,
  workerOptions?: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>,
): ClassDecorator {
  const bull = workerOptions ? Processor(queue, workerOptions) : Processor(queue);
  const ours = SetMetadata(JOB_PROCESSOR_QUEUE, queue);
  return (target) => {
    bull(target);
    ours(target);
  };
}

export interface AddJobOptions {
  /** Deterministic id: a second add with the same id is ignored while the first is known. */
  jobId?: string;
  delay?: number;
  attempts?: number;
  /**
   * With jobId: a job of that id that already finished (completed, or failed
   * for good) is replaced by this one instead of swallowing it. For work
   * whose real state lives elsewhere (a task row) and must run again.
   */
  replaceFinished?: boolean;
}

export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type JobCounts = Record<(typeof JOB_STATES)[number], number>;
