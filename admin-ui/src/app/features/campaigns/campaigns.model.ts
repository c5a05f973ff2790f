import {
  CampaignChannel,
  CampaignDto,
  CampaignStatsDto,
  CampaignStatus,
  Permission,
  RecipientStatus,
} from '@meridian/api-client';

import { StatusTone } from '../../shared/status-chip/status-chip.component';

// The zone helpers moved to shared/format (the leads filters cut days with them too).
export { browserTimeZone, wallClock, zonedInstant } from '../../shared/format/time-zone';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'completed',
  'cancelled',
  'failed',
];
export const CAMPAIGN_CHANNELS: readonly CampaignChannel[] = ['email', 'whatsapp'];

export interface StatusInfo {
  label: string;
  tone: StatusTone;
  icon: string;
}

export const CAMPAIGN_STATUS_INFO: Readonly<Record<CampaignStatus, StatusInfo>> = {
  draft: { label: 'Draft', tone: 'neutral', icon: 'edit' },
  scheduled: { label: 'Scheduled', tone: 'neutral', icon: 'schedule' },
  sending: { label: 'Sending', tone: 'degraded', icon: 'send' },
  paused: { label: 'Paused', tone: 'degraded', icon: 'pause' },
  completed: { label: 'Completed', tone: 'healthy', icon: 'check_circle' },
  cancelled: { label: 'Cancelled', tone: 'neutral', icon: 'cancel' },
  failed: { label: 'Failed', tone: 'unhealthy', icon: 'error' },
};

export const CHANNEL_INFO: Readonly<Record<CampaignChannel, { label: string; icon: string }>> = {
  email: { label: 'Email', icon: 'mail' },
  whatsapp: { label: 'WhatsApp', icon: 'chat' },
};

export const RECIPIENT_STATUSES: readonly RecipientStatus[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'failed',
  'bounced',
  'skipped',
  'cancelled',
];

export const RECIPIENT_STATUS_INFO: Readonly<Record<RecipientStatus, StatusInfo>> = {
  queued: { label: 'Queued', tone: 'neutral', icon: 'schedule' },
  sending: { label: 'Sending', tone: 'degraded', icon: 'send' },
  sent: { label: 'Sent', tone: 'healthy', icon: 'check' },
  delivered: { label: 'Delivered', tone: 'healthy', icon: 'check_circle' },
  opened: { label: 'Opened', tone: 'healthy', icon: 'visibility' },
  clicked: { label: 'Clicked', tone: 'healthy', icon: 'open_in_new' },
  failed: { label: 'Failed', tone: 'unhealthy', icon: 'error' },
  bounced: { label: 'Bounced', tone: 'unhealthy', icon: 'block' },
  skipped: { label: 'Skipped', tone: 'neutral', icon: 'remove_circle_outline' },
  cancelled: { label: 'Cancelled', tone: 'neutral', icon: 'cancel' },
};

/** Campaigns whose numbers still move: the live page polls them. */
export function isLive(status: CampaignStatus): boolean {
  return status === 'sending' || status === 'scheduled';
}

/** Campaigns with a progress bar in the list. */
export function showsProgress(status: CampaignStatus): boolean {
  return status === 'sending' || status === 'paused';
}

export interface CampaignProgress {
  total: number;
  /** Handed over to the channel (sent, delivered, opened, clicked). */
  sent: number;
  /** Failed or bounced. */
  failed: number;
  /** Skipped at claim time or cancelled. */
  other: number;
  /** Still queued or in flight. */
  remaining: number;
  /** Of the total, 0..100, whole numbers; 100 only when nothing remains. */
  percent: number;
  sentPercent: number;
  failedPercent: number;
  otherPercent: number;
}

function pct(part: number, total: number): number {
  return total > 0 ? Math.min(100, Math.max(0, (100 * part) / total)) : 0;
}

/**
 * Progress from the campaign's counters. The processed count is `total - remaining` (the ledger
 * moves them in one statement); within it, failures and skips are shown apart and the rest is
 * what went out. 100 % is only shown when nothing is left, never as a rounding of 99.6.
 */
export function campaignProgress(stats: CampaignStatsDto): CampaignProgress {
  const total = Math.max(0, stats.total);
  const remaining = Math.min(total, Math.max(0, stats.remaining));
  const processed = total - remaining;
  const failed = Math.min(processed, Math.max(0, stats.failed + stats.bounced));
  const other = Math.min(processed - failed, Math.max(0, stats.skipped + stats.cancelled));
  const sent = processed - failed - other;
  const exact = pct(processed, total);
  const percent = remaining === 0 && total > 0 ? 100 : Math.min(99, Math.floor(exact));
  return {
    total,
    sent,
    failed,
    other,
    remaining,
    percent,
    sentPercent: pct(sent, total),
    failedPercent: pct(failed, total),
    otherPercent: pct(other, total),
  };
}

/** "12.5 %" of a base; "—" without a base. */
export function rate(part: number, base: number): string {
  if (base <= 0) {
    return '—';
  }
  const value = (100 * part) / base;
  return `${value >= 10 || value === 0 ? Math.round(value) : value.toFixed(1)} %`;
}

export interface FunnelStep {
  key: 'queued' | 'sent' | 'delivered' | 'opened' | 'clicked';
  label: string;
  value: number;
  /** Width of the bar, of the first step. */
  percent: number;
}

/** queued → sent → delivered → opened → clicked; each step counts those who reached it (or further). */
export function funnel(stats: CampaignStatsDto): FunnelStep[] {
  const steps: [FunnelStep['key'], string, number][] = [
    ['queued', 'Audience', stats.total],
    ['sent', 'Sent', stats.sent],
    ['delivered', 'Delivered', stats.delivered],
    ['opened', 'Opened', stats.opened],
    ['clicked', 'Clicked', stats.clicked],
  ];
  const base = Math.max(stats.total, 1);
  return steps.map(([key, label, value]) => ({ key, label, value, percent: pct(value, base) }));
}

export type CampaignAction =
  'edit' | 'delete' | 'duplicate' | 'unschedule' | 'pause' | 'resume' | 'cancel' | 'retryFailed';

const ACTION_PERMISSION: Readonly<Record<CampaignAction, Permission>> = {
  edit: 'campaigns:write',
  delete: 'campaigns:write',
  duplicate: 'campaigns:write',
  unschedule: 'campaigns:send',
  pause: 'campaigns:send',
  resume: 'campaigns:send',
  cancel: 'campaigns:send',
  retryFailed: 'campaigns:send',
};

/** What the state machine allows from a status (the API answers 409 to the rest). */
export function actionsForStatus(campaign: Pick<CampaignDto, 'status' | 'stats'>): CampaignAction[] {
  switch (campaign.status) {
    case 'draft':
      return ['edit', 'duplicate', 'delete'];
    case 'scheduled':
      return ['unschedule', 'cancel', 'duplicate'];
    case 'sending':
      return ['pause', 'cancel', 'duplicate'];
    case 'paused':
      return ['resume', 'cancel', 'duplicate'];
    case 'completed':
      return campaign.stats.failed > 0 ? ['retryFailed', 'duplicate'] : ['duplicate'];
    case 'cancelled':
    case 'failed':
      return ['duplicate'];
  }
}

/** The actions a user may take on a campaign: allowed by its status and by their permissions. */
export function allowedActions(
  campaign: Pick<CampaignDto, 'status' | 'stats'>,
  permissions: ReadonlySet<Permission>,
): CampaignAction[] {
  return actionsForStatus(campaign).filter((action) => permissions.has(ACTION_PERMISSION[action]));
}

/** IANA zones for the select; the browser's own and the campaign's are always in. */
export function timeZones(...wanted: (string | null | undefined)[]): string[] {
  let zones: string[] = [];
  try {
    zones =
      (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  const all = new Set(['UTC', ...zones]);
  for (const zone of wanted) {
    if (zone) {
      all.add(zone);
    }
  }
  return [...all].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

/** A date and time in a zone, for reading: "Dec 24, 2026, 09:30 (Europe/Berlin)". */
export function formatInZone(iso: string | null, timeZone: string): string {
  if (!iso) {
    return '—';
  }
  try {
    const text = new Intl.DateTimeFormat('en', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
    return `${text} (${timeZone})`;
  } catch {
    return new Date(iso).toLocaleString('en');
  }
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? noun : nouns}`;
}
