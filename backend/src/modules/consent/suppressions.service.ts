import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ValidationProblem } from '../../common/errors/problem';
import { Page, pageByCreation } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import type { CampaignChannel } from '../campaigns/templates/campaign-template.types';
import { parsePhone } from '../leads/leads.service';
import { Suppression, SuppressionReason } from './suppression.entity';

export interface SuppressionRefs {
  campaignId?: string | null;
  leadId?: string | null;
  detail?: string | null;
}

export interface SuppressionQuery {
  channel?: CampaignChannel;
  /** Part of the address. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Where a lead of `leads l` stands for one channel; the parts let the audience count explain its exclusions. */
export interface EligibilityParts {
  /** The lead has an address on this channel (and is a live lead). */
  hasAddress: string;
  /** It consented and did not unsubscribe. */
  consented: string;
  /** Its address is not suppressed. */
  notSuppressed: string;
  /**
   * The same three tests on the audience count's `lead_audience a`, which
   * holds live leads only and keeps "the address is suppressed" as a flag
   * (migration LeadAudience): `suppressed` is the opposite of notSuppressed.
   */
  projected: { hasAddress: string; consented: string; suppressed: string };
}

const LIVE_LEAD = 'l.deleted_at IS NULL AND l.merged_into_id IS NULL';

const ELIGIBILITY: Record<CampaignChannel, EligibilityParts> = {
  email: {
    hasAddress: `l.email IS NOT NULL AND ${LIVE_LEAD}`,
    consented: 'l.consent_email AND l.unsubscribed_at IS NULL',
    // Emails are stored trimmed (chk_leads_email_trimmed): lower(email) is the mailbox, as normalizeAddress gives it.
    notSuppressed:
      "NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.organization_id = l.organization_id AND s.channel = 'email' AND s.address = lower(l.email))",
    projected: {
      hasAddress: 'a.has_email',
      consented: 'a.consent_email AND a.subscribed',
      suppressed: 'a.email_suppressed',
    },
  },
  whatsapp: {
    hasAddress: `l.phone IS NOT NULL AND ${LIVE_LEAD}`,
    consented: 'l.consent_whatsapp',
    notSuppressed:
      "NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.organization_id = l.organization_id AND s.channel = 'whatsapp' AND s.address = l.phone)",
    projected: { hasAddress: 'a.has_phone', consented: 'a.consent_whatsapp', suppressed: 'a.whatsapp_suppressed' },
  },
};

/** Email lower-cased and trimmed, phone E.164; null when it is not an address of that channel. */
export function normalizeAddress(channel: CampaignChannel, address: string): string | null {
  const trimmed = address.trim();
  if (channel === 'email') {
    const email = trimmed.toLowerCase();
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 320 ? email : null;
  }
  const parsed = parsePhone(trimmed);
  return 'phone' in parsed && parsed.phone ? parsed.phone : null;
}

/**
 * One consent model for email and WhatsApp: the lead's consent flags say who
 * opted in; suppressions say which addresses must never get a channel again
 * (unsubscribed, hard bounce, complaint, manual), whatever lead they are on.
 */
@Injectable()
export class SuppressionsService {
  constructor(
    @InjectRepository(Suppression) private readonly suppressions: Repository<Suppression>,
    private readonly audit: AuditService,
  ) {}

  /** SQL for "this lead may get this channel", on `leads l`. Constant text: no parameters needed. */
  eligibilitySql(channel: CampaignChannel): { where: string; params: Record<string, unknown> } {
    const p = ELIGIBILITY[channel];
    return { where: `(${p.hasAddress} AND ${p.consented} AND ${p.notSuppressed})`, params: {} };
  }

  /** The parts of eligibilitySql, for counting why leads were excluded. */
  eligibilityParts(channel: CampaignChannel): EligibilityParts {
    return ELIGIBILITY[channel];
  }

  async isSuppressed(organizationId: string, channel: CampaignChannel, address: string): Promise<boolean> {
    const normalized = normalizeAddress(channel, address);
    if (!normalized) return false;
    return this.suppressions.exists({ where: { organizationId, channel, address: normalized } });
  }

  /**
   * Idempotent: the first reason is kept. Pass the manager to commit with the
   * change it belongs to. Returns whether a row was added.
   */
  async suppress(
    organizationId: string,
    channel: CampaignChannel,
    address: string,
    reason: SuppressionReason | `${SuppressionReason}`,
    refs: SuppressionRefs = {},
    manager?: EntityManager,
  ): Promise<boolean> {
    const normalized = normalizeAddress(channel, address);
    if (!normalized) return false;
    const repo = manager ? manager.getRepository(Suppression) : this.suppressions;
    const result = await repo
      .createQueryBuilder()
      .insert()
      .into(Suppression)
      .values({
        organizationId,
        channel,
        address: normalized,
        reason: reason as SuppressionReason,
        campaignId: refs.campaignId ?? null,
        leadId: refs.leadId ?? null,
        detail: refs.detail ?? null,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Newest first. */
  list(organizationId: string, query: SuppressionQuery): Promise<Page<Suppression>> {
    const qb = this.suppressions
      .createQueryBuilder('s')
      .where('s.organization_id = :organizationId', { organizationId });
    if (query.channel) qb.andWhere('s.channel = :channel', { channel: query.channel });
    if (query.q) {
      const q = query.q
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (c) => `\\${c}`);
      qb.andWhere('s.address LIKE :q', { q: `%${q}%` });
    }
    return pageByCreation(qb, 's', 'DESC', query.limit, query.cursor);
  }

  async get(organizationId: string, id: string): Promise<Suppression> {
    const row = await this.suppressions.findOne({ where: { id, organizationId } });
    if (!row) throw new NotFoundException(`No suppression ${id}`);
    return row;
  }

  /** A manual suppression; adding an address that is already suppressed answers the existing row. */
  async add(
    actor: Actor,
    input: { channel: CampaignChannel; address: string; detail?: string | null },
  ): Promise<Suppression> {
    const organizationId = actor.principal.organizationId;
    const address = normalizeAddress(input.channel, input.address);
    if (!address) {
      throw new ValidationProblem([
        {
          field: 'address',
          reason: input.channel === 'email' ? 'is not an email address' : 'is not a phone number (E.164, with +)',
        },
      ]);
    }
    return this.suppressions.manager.transaction(async (manager) => {
      const added = await this.suppress(
        organizationId,
        input.channel,
        address,
        SuppressionReason.Manual,
        { detail: input.detail ?? null },
        manager,
      );
      const row = await manager
        .getRepository(Suppression)
        .findOneOrFail({ where: { organizationId, channel: input.channel, address } });
      if (added) {
        await this.audit.record(
          actor,
          {
            action: 'suppression.created',
            entityType: 'suppression',
            entityId: row.id,
            changes: { channel: row.channel, address: row.address, reason: row.reason },
          },
          manager,
        );
      }
      return row;
    });
  }

  /** Lets the address receive the channel again (the lead's own consent flags still apply). */
  async unsuppress(actor: Actor, id: string): Promise<void> {
    await this.suppressions.manager.transaction(async (manager) => {
      const row = await manager.getRepository(Suppression).findOne({
        where: { id, organizationId: actor.principal.organizationId },
      });
      if (!row) throw new NotFoundException(`No suppression ${id}`);
      await manager.getRepository(Suppression).delete({ id: row.id });
      await this.audit.record(
        actor,
        {
          action: 'suppression.deleted',
          entityType: 'suppression',
          entityId: row.id,
          changes: { channel: row.channel, address: row.address, reason: row.reason },
        },
        manager,
      );
    });
  }
}
