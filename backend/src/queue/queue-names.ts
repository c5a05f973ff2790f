import type { JobsOptions } from 'bullmq';

/** Every queue Meridian uses. A queue's processor lives in its feature module. */
export enum QueueName {
  System = 'system',
  /** Long tasks with progress (imports, exports, bulk changes): see modules/tasks. */
  Tasks = 'tasks',
  /** Lead upkeep: rescoring (leads.processor.ts). */
  Leads = 'leads',
  /** Campaign sending: audience materialization and send slots (modules/campaigns/engine). */
  Campaigns = 'campaigns',
  /** Channels upkeep: outbox retention, webhook replay keys (channels.processor.ts). */
  Channels = 'channels',
  /** Analytics rollups: the fold of leads and the campaign ledger into daily buckets (analytics.processor.ts). */
  Analytics = 'analytics',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/** Defaults for every job: retried with exponential backoff, cleaned up once done. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies JobsOptions;

/** Prefix of every BullMQ key in Redis. */
export const QUEUE_PREFIX = 'meridian';
