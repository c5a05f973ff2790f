import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Application metrics on prom-client's default registry (the one /metrics
 * serves). Defined once per process: jest runs several apps in one process.
 */
function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestsTotal = once(
  'http_requests_total',
  () =>
    new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
    }),
);

export const httpRequestDuration = once(
  'http_request_duration_seconds',
  () =>
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: LATENCY_BUCKETS,
    }),
);

export const dbQueryDuration = once(
  'db_query_duration_seconds',
  () =>
    new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database query latency, by statement kind and outcome.',
      labelNames: ['operation', 'success'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
);

export const jobDuration = once(
  'meridian_job_duration_seconds',
  () =>
    new Histogram({
      name: 'meridian_job_duration_seconds',
      help: 'Background job run time, by queue, job name and outcome.',
      labelNames: ['queue', 'name', 'status'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    }),
);

export const jobFailures = once(
  'meridian_job_failures_total',
  () =>
    new Counter({
      name: 'meridian_job_failures_total',
      help: 'Background job attempts that threw, by queue and job name.',
      labelNames: ['queue', 'name'] as const,
    }),
);

/** Set at scrape time by the queue module from live counts. */
export const queueJobs = once(
  'meridian_queue_jobs',
  () =>
    new Gauge({
      name: 'meridian_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed, completed).',
      labelNames: ['queue', 'state'] as const,
    }),
);

/** Reduces a SQL statement to a bounded label value. */
export function sqlOperation(query: string): string {
  const keyword = /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase() ?? 'other';
  return ['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback'].includes(keyword)
    ? keyword
    : 'other';
}

/**
 * prom-client's process and Node.js metrics, minus three gauges whose
 * `_total` names break Prometheus naming rules (promtool rejects them); their
 * un-suffixed twins (nodejs_active_handles...) carry the same data.
 */
export function collectProcessMetrics(): void {
  if (register.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics();
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    register.removeSingleMetric(name);
  }
}
