import { plainToInstance } from 'class-transformer';
import { LeadFilter } from '../leads/lead-filter';
import type { Campaign } from './campaign.entity';
import type { CampaignRecipient } from './campaign-recipient.entity';
import type { CampaignDto } from './dto/campaign.dto';
import type { RecipientDto } from './dto/recipient.dto';
import type { Segment } from './segment.entity';
import type { SegmentDto } from './dto/segment.dto';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Queued or in flight: what the counters do not cover yet. */
export function remainingOf(c: Campaign): number {
  return Math.max(0, c.total - c.sent - c.failed - c.bounced - c.skipped - c.cancelled);
}

export function toCampaignDto(c: Campaign, segmentName: string | null): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    channel: c.channel,
    status: c.status,
    audience: {
      segmentId: c.audience.segmentId ?? null,
      segmentName: c.audience.segmentId ? segmentName : null,
      filter: c.audience.filter ? plainToInstance(LeadFilter, c.audience.filter) : null,
    },
    email: c.channel === 'email' ? (c.content.email ?? null) : null,
    whatsapp: c.channel === 'whatsapp' ? (c.content.whatsapp ?? null) : null,
    sendAt: iso(c.sendAt),
    timeZone: c.timeZone,
    stats: {
      total: c.total,
      remaining: remainingOf(c),
      sent: c.sent,
      delivered: c.delivered,
      opened: c.opened,
      clicked: c.clicked,
      failed: c.failed,
      bounced: c.bounced,
      skipped: c.skipped,
      cancelled: c.cancelled,
      unsubscribed: c.unsubscribed,
      excluded: {
        noAddress: c.audienceExcluded?.noAddress ?? 0,
        noConsent: c.audienceExcluded?.noConsent ?? 0,
        suppressed: c.audienceExcluded?.suppressed ?? 0,
      },
    },
    lastError: c.lastError,
    createdBy: c.createdBy,
    createdByLabel: c.createdByLabel,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    startedAt: iso(c.startedAt),
    completedAt: iso(c.completedAt),
  };
}

export function toSegmentDto(s: Segment): SegmentDto {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    filter: plainToInstance(LeadFilter, s.filter),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function toRecipientDto(r: CampaignRecipient & { leadName?: string | null }): RecipientDto {
  return {
    id: r.id,
    leadId: r.leadId,
    leadName: r.leadName ?? null,
    address: r.address,
    status: r.status,
    attempts: r.attempts,
    providerMessageId: r.providerMessageId,
    error: r.error,
    sentAt: iso(r.sentAt),
    deliveredAt: iso(r.deliveredAt),
    openedAt: iso(r.openedAt),
    clickedAt: iso(r.clickedAt),
    openCount: r.openCount,
    clickCount: r.clickCount,
    updatedAt: r.updatedAt.toISOString(),
  };
}
