import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { withTimeout } from '../common/timeout';
import { AddJobOptions, JobCounts } from './job';
import { JobQueues } from './job-queues';
import { DEFAULT_JOB_OPTIONS, QUEUE_PREFIX, QueueName } from './queue-names';
import { PING_JOB } from './queue-processor';
import { redisConnectionOptions } from './redis-connection';

/** BullMQ on Redis (production profile): jobs survive restarts and run in the worker process. */
@Injectable()
export class BullJobQueues extends JobQueues implements OnApplicationShutdown {
  readonly mode = 'bullmq' as const;
  private readonly events = new Map<QueueName, QueueEvents>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly redisUrl: string,
  ) {
    super();
  }

  async add<T>(queue: QueueName, name: string, data: T, options: AddJobOptions = {}): Promise<{ id: string }> {
    if (options.replaceFinished && options.jobId) {
      const existing = await this.queue(queue).getJob(options.jobId);
      const state = existing ? await existing.getState() : undefined;
      if (existing && (state === 'completed' || state === 'failed')) await existing.remove();
    }
    const job = await this.queue(queue).add(name, data, {
      ...DEFAULT_JOB_OPTIONS,
      ...(options.jobId ? { jobId: options.jobId } : {}),
      ...(options.delay ? { delay: options.delay } : {}),
      ...(options.attempts ? { attempts: options.attempts } : {}),
    });
    return { id: String(job.id) };
  }

  async schedule<T>(queue: QueueName, scheduleId: string, everyMs: number, name: string, data: T): Promise<void> {
    await this.queue(queue).upsertJobScheduler(
      scheduleId,
      { every: everyMs },
      { name, data, opts: DEFAULT_JOB_OPTIONS },
    );
  }

  async counts(queue: QueueName): Promise<JobCounts> {
    const c = await this.queue(queue).getJobCounts(
      'waiting',
      'active',
      'delayed',
      'failed',
      'completed',
      'paused',
      'prioritized',
    );
    return {
      waiting: (c.waiting ?? 0) + (c.paused ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  workers(queue: QueueName): Promise<number> {
    return this.queue(queue).getWorkersCount();
  }

  async roundTrip(queue: QueueName, timeoutMs: number): Promise<number> {
    const events = await this.queueEvents(queue);
    const started = performance.now();
    const job = await this.queue(queue).add(PING_JOB, {}, { attempts: 1, removeOnComplete: true, removeOnFail: true });
    try {
      await job.waitUntilFinished(events, timeoutMs);
    } catch (err) {
      await job.remove().catch(() => undefined); // nobody took it: do not leave it for a late worker
      throw new Error(
        /timed out/i.test((err as Error).message)
          ? `no worker finished a ping job within ${timeoutMs} ms`
          : (err as Error).message,
      );
    }
    return performance.now() - started;
  }

  async ping(queue: QueueName): Promise<void> {
    // BullMQ types its client loosely; it is an ioredis client.
    const client = (await this.queue(queue).client) as unknown as Redis;
    await client.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.events.values()].map((e) => e.close()));
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  private async queueEvents(queue: QueueName): Promise<QueueEvents> {
    let events = this.events.get(queue);
    if (!events) {
      events = new QueueEvents(queue, { connection: redisConnectionOptions(this.redisUrl), prefix: QUEUE_PREFIX });
      this.events.set(queue, events);
      await withTimeout(events.waitUntilReady(), 2_000, 'Redis did not answer');
    }
    return events;
  }
}
