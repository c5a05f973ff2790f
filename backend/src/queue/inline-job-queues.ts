import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { AddJobOptions, JOB_PROCESSOR_QUEUE, JobCounts, JobLike, JobProcessorHost } from './job';
import { JobQueues } from './job-queues';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-names';
import { PING_JOB } from './queue-processor';
import { withTimeout } from '../common/timeout';

interface InlineJob extends JobLike {
  id: string;
  attemptsMade: number;
  maxAttempts: number;
  done: Promise<unknown>;
  /** Inside the processor now (not waiting for its delay or a retry). */
  running: boolean;
  /** Forgets a job that has not started: settles `done` without running it. */
  drop(): void;
}

/**
 * Runs jobs inside the API process (embedded profile): the same processor
 * classes as the BullMQ worker, the same retries and backoff, no Redis.
 * Jobs are kept in memory only: a job accepted just before the process
 * stops is lost, which is the embedded profile's documented trade-off.
 */
@Injectable()
export class InlineJobQueues extends JobQueues implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly mode = 'inline' as const;
  private readonly logger = new Logger('InlineJobs');
  private readonly processors = new Map<QueueName, JobProcessorHost>();
  private readonly pending = new Map<string, InlineJob>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stats = new Map<QueueName, JobCounts>();
  private stopping = false;

  constructor(private readonly discovery: DiscoveryService) {
    super();
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as unknown;
      const metatype = wrapper.metatype;
      if (!instance || !metatype) continue;
      const queue = Reflect.getMetadata(JOB_PROCESSOR_QUEUE, metatype) as QueueName | undefined;
      if (queue) this.processors.set(queue, instance as JobProcessorHost);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Jobs still waiting (a delay, a retry backoff) will not run: lost, as documented above.
    for (const [key, job] of this.pending) {
      if (job.running) continue;
      this.pending.delete(key);
      job.drop();
    }
    await Promise.allSettled([...this.pending.values()].map((job) => job.done));
  }

  add<T>(queue: QueueName, name: string, data: T, options: AddJobOptions = {}): Promise<{ id: string }> {
    const id = options.jobId ?? randomUUID();
    const key = `${queue}:${id}`;
    if (this.pending.has(key) || this.stopping) return Promise.resolve({ id });
    const counts = this.countsOf(queue);
    let resolveDone!: (value: unknown) => void;
    const job: InlineJob = {
      id,
      name,
      data,
      attemptsMade: 0,
      timestamp: Date.now(),
      maxAttempts: options.attempts ?? DEFAULT_JOB_OPTIONS.attempts,
      opts: { attempts: options.attempts ?? DEFAULT_JOB_OPTIONS.attempts },
      done: new Promise((resolve) => (resolveDone = resolve)),
      updateProgress: () => Promise.resolve(),
      running: false,
      drop: () => resolveDone(undefined),
    };
    this.pending.set(key, job);
    counts[options.delay ? 'delayed' : 'waiting']++;
    const run = async (): Promise<void> => {
      counts[job.attemptsMade === 0 && options.delay ? 'delayed' : 'waiting']--;
      counts.active++;
      job.running = true;
      try {
        const result = await this.processorFor(queue).process(job);
        job.running = false;
        counts.active--;
        counts.completed++;
        this.pending.delete(key);
        resolveDone(result);
      } catch (err) {
        job.running = false;
        counts.active--;
        job.attemptsMade++;
        if (job.attemptsMade < job.maxAttempts && !this.stopping) {
          counts.waiting++;
          this.later(run, DEFAULT_JOB_OPTIONS.backoff.delay * 2 ** (job.attemptsMade - 1));
        } else {
          counts.failed++;
          this.pending.delete(key);
          this.logger.error(
            `Job ${queue}/${name} (${id}) failed after ${job.attemptsMade} attempts: ${(err as Error).message}`,
          );
          resolveDone(err);
        }
      }
    };
    this.later(run, options.delay ?? 0);
    return Promise.resolve({ id });
  }

  schedule<T>(queue: QueueName, scheduleId: string, everyMs: number, name: string, data: T): Promise<void> {
    const tick = () => {
      const slot = Math.floor(Date.now() / everyMs);
      void this.add(queue, name, data, { jobId: `${scheduleId}:${slot}` });
      this.later(tick, everyMs);
    };
    this.later(tick, 0);
    return Promise.resolve();
  }

  counts(queue: QueueName): Promise<JobCounts> {
    return Promise.resolve({ ...this.countsOf(queue) });
  }

  workers(queue: QueueName): Promise<number> {
    return Promise.resolve(this.processors.has(queue) ? 1 : 0);
  }

  async roundTrip(queue: QueueName, timeoutMs: number): Promise<number> {
    const started = performance.now();
    const { id } = await this.add(queue, PING_JOB, {}, { attempts: 1 });
    const job = this.pending.get(`${queue}:${id}`);
    if (job) await withTimeout(job.done, timeoutMs, `no answer from the ${queue} queue within ${timeoutMs} ms`);
    return performance.now() - started;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  private processorFor(queue: QueueName): JobProcessorHost {
    const processor = this.processors.get(queue);
    if (!processor) throw new Error(`No processor is registered for queue "${queue}"`);
    return processor;
  }

  private countsOf(queue: QueueName): JobCounts {
    let counts = this.stats.get(queue);
    if (!counts) {
      counts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      this.stats.set(queue, counts);
    }
    return counts;
  }

  private later(fn: () => unknown, delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
