import { ServiceStatus } from '../system/dto/system-health.dto';

export interface ProbeResult {
  status: ServiceStatus;
  configured: boolean;
  latencyMs: number | null;
  message: string;
  details: Record<string, string | number | boolean>;
}

/** Latency above which a working dependency counts as degraded. */
export const SLOW_MS = { database: 500, cache: 100, queue: 2_000, kapa: 3_000 } as const;

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: round(performance.now() - started) };
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

const ORDER = [ServiceStatus.Healthy, ServiceStatus.Degraded, ServiceStatus.Unhealthy];

export function worst(statuses: ServiceStatus[]): ServiceStatus {
  return statuses.reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), ServiceStatus.Healthy);
}
