import { ServiceHealthDto, ServiceStatus } from '@meridian/api-client';

import { StatusTone } from '../../shared/status-chip/status-chip.component';

/** Words and icons for each status, shared by the banner, the cards and the tests. */
export const STATUS_LABELS: Record<ServiceStatus, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
};

export const OVERALL_HEADLINES: Record<ServiceStatus, string> = {
  healthy: 'All systems operational',
  degraded: 'Some services are degraded',
  unhealthy: 'One or more services are down',
};

export const STATUS_ICONS: Record<ServiceStatus, string> = {
  healthy: 'check_circle',
  degraded: 'warning',
  unhealthy: 'error',
};

const SERVICE_ICONS: Record<string, string> = {
  database: 'storage',
  cache: 'memory',
  queue: 'list',
  kapa: 'chat_bubble_outline',
  ai_provider: 'auto_awesome',
};

export function serviceIcon(name: string): string {
  return SERVICE_ICONS[name] ?? 'dns';
}

export interface ServiceChip {
  tone: StatusTone;
  label: string;
}

/** A service that is not configured is neither good nor bad: it gets a neutral chip. */
export function serviceChip(service: Pick<ServiceHealthDto, 'status' | 'configured'>): ServiceChip {
  if (!service.configured) {
    return { tone: 'neutral', label: 'Not configured' };
  }
  return { tone: service.status, label: STATUS_LABELS[service.status] };
}

/** "queueDepth" / "queue_depth" -> "Queue depth". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatDetailValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') {
    return value ? 'Yes' : 'No';
  }
  if (typeof value === 'number') {
    return new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(value);
  }
  return value;
}
