import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { jobDuration, jobFailures } from '../observability/metrics';
import { JOB_PROCESSOR_QUEUE, JobLike } from './job';

/** Name of the no-op job used to measure a queue's round trip. */
export const PING_JOB = '__ping';

/**
 * Base of every processor: answers pings, times each run and counts
 * failures, then hands the job to `handle`. Jobs are delivered at least once,
 * so `handle` must be idempotent.
 */
export abstract class QueueProcessor extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  protected abstract handle(job: JobLike): Promise<unknown>;

  async process(job: JobLike): Promise<unknown> {
    if (job.name === PING_JOB) return { pong: Date.now() };
    const queue = String(Reflect.getMetadata(JOB_PROCESSOR_QUEUE, this.constructor) ?? 'unknown');
    const stop = jobDuration.startTimer({ queue, name: job.name });
    try {
      const result = await this.handle(job);
      stop({ status: 'completed' });
      return result;
    } catch (err) {
      stop({ status: 'failed' });
      jobFailures.inc({ queue, name: job.name });
      this.logger.warn(
        `Job ${job.name} (${job.id ?? '?'}) attempt ${job.attemptsMade + 1} failed: ${(err as Error).message}`,
      );
      throw err;
    }
  }
}
