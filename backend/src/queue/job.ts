import { SetMetadata } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
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
export function JobProcessor(queue: QueueName): ClassDecorator {
  const bull = Processor(queue);
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
}

export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type JobCounts = Record<(typeof JOB_STATES)[number], number>;
