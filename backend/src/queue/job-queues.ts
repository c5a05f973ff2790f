import type { AddJobOptions, JobCounts } from './job';
import type { QueueName } from './queue-names';

/** How the rest of the code enqueues work, whichever profile runs. */
export abstract class JobQueues {
  abstract readonly mode: 'inline' | 'bullmq';

  abstract add<T>(queue: QueueName, name: string, data: T, options?: AddJobOptions): Promise<{ id: string }>;

  /** Runs `name` every `everyMs` (one schedule per id, replaced on restart). */
  abstract schedule<T>(queue: QueueName, scheduleId: string, everyMs: number, name: string, data: T): Promise<void>;

  abstract counts(queue: QueueName): Promise<JobCounts>;

  /** Workers currently able to take jobs from the queue. */
  abstract workers(queue: QueueName): Promise<number>;

  /** Enqueues a no-op job and waits for a worker to finish it; resolves with the round trip in ms. */
  abstract roundTrip(queue: QueueName, timeoutMs: number): Promise<number>;

  /** Cheap check that the queue's backing store answers. */
  abstract ping(queue: QueueName): Promise<void>;
}
