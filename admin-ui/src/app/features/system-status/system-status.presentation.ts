import { ServiceHealthDto, ServiceStatus } from '@meridian/api-client';

import { formatBytes, formatMs } from '../../shared/format/format';
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

/** "queueDepth" -> "Queue depth"; "system.waiting" -> "System · waiting". */
export function humanizeKey(key: string): string {
  const parts = key
    .split('.')
    .map((part) =>
      part
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/[_-]+/g, ' ')
        .trim()
        .toLowerCase(),
    )
    .filter((part) => part.length > 0);
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

export interface ServiceDetail {
  key: string;
  label: string;
  value: string;
}

/** A detail for display; `fooMs` and `fooBytes` keys get their unit. */
export function describeDetail(key: string, value: string | number | boolean): ServiceDetail {
  if (typeof value === 'number') {
    const ms = /^(.+?)_?(ms|Ms)$/.exec(key);
    if (ms) {
      return { key, label: humanizeKey(ms[1]), value: formatMs(value) };
    }
    const bytes = /^(.+?)_?(bytes|Bytes)$/.exec(key);
    if (bytes) {
      return { key, label: humanizeKey(bytes[1]), value: formatBytes(value) };
    }
    return { key, label: humanizeKey(key), value: numberFormat.format(value) };
  }
  if (typeof value === 'boolean') {
    return { key, label: humanizeKey(key), value: value ? 'Yes' : 'No' };
  }
  if (ISO_DATE_TIME.test(value) && Number.isFinite(Date.parse(value))) {
    return { key, label: humanizeKey(key.replace(/At$/, '')), value: formatTimestamp(new Date(value)) };
  }
  return { key, label: humanizeKey(key), value };
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Time of day for today, date and time otherwise; in the browser's time zone. */
export function formatTimestamp(date: Date, now = new Date()): string {
  const sameDay = date.toDateString() === now.toDateString();
  return date.toLocaleString('en', sameDay ? { timeStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' });
}
