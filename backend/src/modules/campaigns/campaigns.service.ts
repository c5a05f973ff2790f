import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { FieldError, ProblemException, ValidationProblem } from '../../common/errors/problem';
import { Page, pageByCreation } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { EmailSender } from '../channels/email-sender';
import { WhatsAppSender } from '../channels/whatsapp-sender';
import { LeadFieldsService } from '../leads/lead-fields.service';
import { CampaignTemplatesService } from './templates/campaign-templates.service';
import { AudienceService } from './audience.service';
import { Campaign, CampaignContent } from './campaign.entity';
import type { CampaignChannel, CampaignStatus } from './campaign.types';
import type {
  CampaignListQueryDto,
  CreateCampaignDto,
  ScheduleCampaignDto,
  UpdateCampaignDto,
} from './dto/campaign.dto';
import { CampaignJobs } from './engine/campaign-jobs';
import { Segment } from './segment.entity';
import { queryRows } from './ledger-query';

/** A valid IANA time zone name (what Intl knows). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function campaignStateProblem(c: Pick<Campaign, 'status'>, action: string): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    'campaign_state',
    `The campaign is ${c.status}: it cannot be ${action}.`,
    { campaignStatus: c.status },
    'Not allowed in this status',
  );
}

function contentOf(channel: CampaignChannel, input: CampaignContent): CampaignContent {
  return channel === 'email' ? { email: input.email ?? null } : { whatsapp: input.whatsapp ?? null };
}

/** Campaigns: editing a draft, and every transition of the status machine (each a conditional UPDATE). */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectRepository(Segment) private readonly segments: Repository<Segment>,
    private readonly audiences: AudienceService,
    private readonly templates: CampaignTemplatesService,
    private readonly fields: LeadFieldsService,
    private readonly audit: AuditService,
    private readonly jobs: CampaignJobs,
    private readonly email: EmailSender,
    private readonly whatsapp: WhatsAppSender,
    private readonly config: AppConfig,
  ) {}

  async get(organizationId: string, id: string): Promise<Campaign> {
    const campaign = await this.campaigns.findOne({ where: { id, organizationId } });
    if (!campaign) throw new NotFoundException(`No campaign ${id}`);
    return campaign;
  }

  /** Names of the segments the campaigns use (one query per page). */
  async segmentNames(organizationId: string, campaigns: Campaign[]): Promise<Map<string, string>> {
    const ids = [...new Set(campaigns.map((c) => c.audience.segmentId).filter((id): id is string => Boolean(id)))];
    if (ids.length === 0) return new Map();
    const rows = await this.segments.find({ where: { id: In(ids), organizationId }, select: { id: true, name: true } });
    return new Map(rows.map((s) => [s.id, s.name]));
  }

  list(organizationId: string, query: CampaignListQueryDto): Promise<Page<Campaign>> {
    const qb = this.campaigns.createQueryBuilder('c').where('c.organization_id = :org', { org: organizationId });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.channel) qb.andWhere('c.channel = :channel', { channel: query.channel });
    if (query.q?.trim()) {
      qb.andWhere("c.name ILIKE :q ESCAPE '\\'", { q: `%${query.q.trim().replace(/[\\%_]/g, '\\$&')}%` });
    }
    return pageByCreation(qb, 'c', 'DESC', query.limit, query.cursor);
  }

  async create(actor: Actor, input: CreateCampaignDto): Promise<Campaign> {
    const organizationId = actor.principal.organizationId;
    await this.checkDraft(organizationId, input.channel, input);
    return this.campaigns.manager.transaction(async (manager) => {
      const campaign = await manager.getRepository(Campaign).save({
        organizationId,
        name: input.name.trim(),
        channel: input.channel,
        status: 'draft',
        audience: AudienceService.stored(input.audience),
        content: contentOf(input.channel, input),
        timeZone: input.timeZone ?? 'UTC',
        createdBy: actor.principal.kind === 'user' ? actor.principal.id : null,
        createdByLabel: actor.principal.label,
      });
      await this.audit.record(
        actor,
        {
          action: 'campaign.created',
          entityType: 'campaign',
          entityId: campaign.id,
          changes: { name: campaign.name, channel: campaign.channel },
        },
        manager,
      );
      return campaign;
    });
  }

  async update(actor: Actor, id: string, input: UpdateCampaignDto): Promise<Campaign> {
    const organizationId = actor.principal.organizationId;
    const current = await this.get(organizationId, id);
    if (current.status !== 'draft') throw campaignStateProblem(current, 'edited (only drafts can)');
    await this.checkDraft(organizationId, current.channel, input);
    const changes: Partial<Campaign> = {};
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.audience !== undefined) changes.audience = AudienceService.stored(input.audience);
    if (input.email !== undefined || input.whatsapp !== undefined)
      changes.content = { ...current.content, ...contentOf(current.channel, { ...current.content, ...input }) };
    if (input.timeZone !== undefined) changes.timeZone = input.timeZone;
    return this.transition(actor, id, ['draft'], 'edited (only drafts can)', changes, 'campaign.updated', (c) =>
      diffOf(c, changes),
    );
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const organizationId = actor.principal.organizationId;
    await this.campaigns.manager.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(Campaign)
        .where("id = :id AND organization_id = :org AND status = 'draft'", { id, org: organizationId })
        .execute();
      if (!result.affected) {
        const current = await this.get(organizationId, id);
        throw campaignStateProblem(current, 'deleted (only drafts can)');
      }
      await this.audit.record(actor, { action: 'campaign.deleted', entityType: 'campaign', entityId: id }, manager);
    });
  }

  async duplicate(actor: Actor, id: string): Promise<Campaign> {
    const source = await this.get(actor.principal.organizationId, id);
    return this.campaigns.manager.transaction(async (manager) => {
      const copy = await manager.getRepository(Campaign).save({
        organizationId: source.organizationId,
        name: `Copy of ${source.name}`.slice(0, 200),
        channel: source.channel,
        status: 'draft',
        audience: source.audience,
        content: source.content,
        timeZone: source.timeZone,
        createdBy: actor.principal.kind === 'user' ? actor.principal.id : null,
        createdByLabel: actor.principal.label,
      });
      await this.audit.record(
        actor,
        { action: 'campaign.created', entityType: 'campaign', entityId: copy.id, changes: { duplicateOf: source.id } },
        manager,
      );
      return copy;
    });
  }

  /**
   * Checks everything a send needs (each problem a field error), then moves
   * draft → scheduled (a future sendAt) or → sending (now).
   */
  async schedule(actor: Actor, id: string, input: ScheduleCampaignDto): Promise<Campaign> {
    const organizationId = actor.principal.organizationId;
    const campaign = await this.get(organizationId, id);
    if (campaign.status !== 'draft') throw campaignStateProblem(campaign, 'scheduled (only drafts can)');
    const errors: FieldError[] = [];
    const timeZone = input.timeZone ?? campaign.timeZone;
    if (!isTimeZone(timeZone)) errors.push({ field: 'timeZone', reason: `${timeZone} is not an IANA time zone` });
    let sendAt: Date | null = null;
    if (input.sendAt !== undefined && input.sendAt !== null) {
      sendAt = new Date(input.sendAt);
      if (Number.isNaN(sendAt.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(input.sendAt))
        errors.push({
          field: 'sendAt',
          reason: 'must be an ISO 8601 date-time with an offset, e.g. 2030-03-01T09:00:00Z',
        });
      else if (sendAt.getTime() <= Date.now()) errors.push({ field: 'sendAt', reason: 'must be in the future' });
    }
    errors.push(...(await this.contentErrors(organizationId, campaign)));
    errors.push(...this.channelErrors(campaign.channel));
    try {
      const { prepared } = await this.audiences.resolve(organizationId, campaign.audience, 'audience');
      const counts = await this.audiences.count(prepared, campaign.channel, { fresh: true });
      if (counts.eligible === 0) {
        errors.push({
          field: 'audience',
          reason:
            counts.matching === 0
              ? 'matches no lead'
              : `none of the ${counts.matching} matching leads may get ${campaign.channel} (no address ${counts.excluded.noAddress}, no consent ${counts.excluded.noConsent}, suppressed ${counts.excluded.suppressed})`,
        });
      }
    } catch (err) {
      if (err instanceof ValidationProblem) errors.push(...err.errors);
      else throw err;
    }
    if (errors.length > 0) throw new ValidationProblem(errors);

    const now = sendAt === null;
    const changes: Partial<Campaign> = now
      ? { status: 'sending', sendAt: null, timeZone, startedAt: new Date(), lastError: null }
      : { status: 'scheduled', sendAt, timeZone, lastError: null };
    const updated = await this.transition(
      actor,
      id,
      ['draft'],
      'scheduled (only drafts can)',
      changes,
      'campaign.scheduled',
      () => ({ sendAt: sendAt?.toISOString() ?? 'now', timeZone }),
    );
    if (now) await this.jobs.kick(updated.id, updated.materialized);
    return updated;
  }

  unschedule(actor: Actor, id: string): Promise<Campaign> {
    return this.transition(
      actor,
      id,
      ['scheduled'],
      'unscheduled',
      { status: 'draft', sendAt: null },
      'campaign.unscheduled',
    );
  }

  pause(actor: Actor, id: string): Promise<Campaign> {
    return this.transition(actor, id, ['sending'], 'paused', { status: 'paused' }, 'campaign.paused');
  }

  async resume(actor: Actor, id: string): Promise<Campaign> {
    const campaign = await this.transition(actor, id, ['paused'], 'resumed', { status: 'sending' }, 'campaign.resumed');
    await this.jobs.kick(campaign.id, campaign.materialized);
    return campaign;
  }

  /** Stops for good: queued recipients become cancelled (counted in the same statement). */
  async cancel(actor: Actor, id: string): Promise<Campaign> {
    return this.transition(
      actor,
      id,
      ['scheduled', 'sending', 'paused'],
      'cancelled',
      { status: 'cancelled', completedAt: new Date() },
      'campaign.cancelled',
      undefined,
      async (manager, campaign) => {
        const [row] = await queryRows<{ n: number }>(
          manager,
          `WITH cancelled AS (
             UPDATE campaign_recipients SET status = 'cancelled', claim_token = NULL, claimed_until = NULL, updated_at = now()
             WHERE campaign_id = $1 AND status = 'queued' RETURNING 1)
           UPDATE campaigns SET cancelled = cancelled + (SELECT count(*) FROM cancelled)
           WHERE id = $1 RETURNING (SELECT count(*) FROM cancelled)::int AS n`,
          [campaign.id],
        );
        return { recipientsCancelled: row?.n ?? 0 };
      },
    );
  }

  /** completed (or failed) with failed recipients → sending again, for those recipients only. */
  async retryFailed(actor: Actor, id: string): Promise<Campaign> {
    const organizationId = actor.principal.organizationId;
    const current = await this.get(organizationId, id);
    if (!['completed', 'failed'].includes(current.status) || current.failed === 0) {
      throw current.failed === 0 && ['completed', 'failed'].includes(current.status)
        ? new ProblemException(
            HttpStatus.CONFLICT,
            'campaign_state',
            'The campaign has no failed recipients to retry.',
            {
              campaignStatus: current.status,
            },
          )
        : campaignStateProblem(current, 'retried (only a completed campaign can)');
    }
    const campaign = await this.transition(
      actor,
      id,
      ['completed', 'failed'],
      'retried (only a completed campaign can)',
      { status: 'sending', completedAt: null, lastError: null },
      'campaign.retried',
      undefined,
      async (manager, c) => {
        const [row] = await queryRows<{ n: number }>(
          manager,
          `WITH retried AS (
             UPDATE campaign_recipients SET status = 'queued', attempts = 0, error = NULL, next_attempt_at = NULL,
               claim_token = NULL, claimed_until = NULL, updated_at = now()
             WHERE campaign_id = $1 AND status = 'failed' RETURNING 1)
           UPDATE campaigns SET failed = failed - (SELECT count(*) FROM retried)
           WHERE id = $1 RETURNING (SELECT count(*) FROM retried)::int AS n`,
          [c.id],
        );
        return { recipientsRetried: row?.n ?? 0 };
      },
    );
    await this.jobs.kick(campaign.id, campaign.materialized);
    return campaign;
  }

  /** Field errors of a draft's fields that can be checked at once (time zone, audience reference, custom conditions). */
  private async checkDraft(
    organizationId: string,
    channel: CampaignChannel,
    input: Pick<CreateCampaignDto, 'audience' | 'timeZone' | 'email' | 'whatsapp'>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone))
      errors.push({ field: 'timeZone', reason: `${input.timeZone} is not an IANA time zone` });
    if (channel === 'email' && input.whatsapp)
      errors.push({ field: 'whatsapp', reason: 'an email campaign has email content only' });
    if (channel === 'whatsapp' && input.email)
      errors.push({ field: 'email', reason: 'a WhatsApp campaign has WhatsApp content only' });
    if (input.audience?.segmentId || input.audience?.filter) {
      try {
        await this.audiences.resolve(organizationId, input.audience, 'audience');
      } catch (err) {
        if (err instanceof ValidationProblem) errors.push(...err.errors);
        else throw err;
      }
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
  }

  /** The template must render for every lead: known variables only, valid syntax, nothing required left empty. */
  async contentErrors(organizationId: string, campaign: Pick<Campaign, 'channel' | 'content'>): Promise<FieldError[]> {
    const content = campaign.channel === 'email' ? campaign.content.email : campaign.content.whatsapp;
    if (!content) return [{ field: campaign.channel, reason: `a ${campaign.channel} campaign needs its content` }];
    const keys = [...(await this.fields.validatorFor(organizationId)).keys];
    return this.templates.validate(campaign.channel, content, keys);
  }

  /** A channel is configured when it has a real driver, or in the embedded profile (its outbox is the demo). */
  private channelErrors(channel: CampaignChannel): FieldError[] {
    const driver = channel === 'email' ? this.email.driver : this.whatsapp.driver;
    if (driver !== 'outbox' || this.config.profile === 'embedded') return [];
    return [
      {
        field: 'channel',
        reason:
          channel === 'email'
            ? 'email is not configured on this installation (set SMTP_URL)'
            : 'WhatsApp is not configured on this installation (set WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID)',
      },
    ];
  }

  /**
   * One guarded transition: UPDATE ... WHERE status IN (from) — two requests
   * racing cannot both win. 404 for another tenant's id, 409 naming the
   * current status otherwise. `more` runs in the same transaction.
   */
  private async transition(
    actor: Actor,
    id: string,
    from: CampaignStatus[],
    action: string,
    changes: Partial<Campaign>,
    auditAction: string,
    auditChanges?: (before: Campaign) => Record<string, unknown>,
    more?: (manager: EntityManager, campaign: Campaign) => Promise<Record<string, unknown>>,
  ): Promise<Campaign> {
    const organizationId = actor.principal.organizationId;
    return this.campaigns.manager.transaction(async (manager) => {
      const repo = manager.getRepository(Campaign);
      const before = await repo.findOne({ where: { id, organizationId } });
      if (!before) throw new NotFoundException(`No campaign ${id}`);
      const result = await manager
        .createQueryBuilder()
        .update(Campaign)
        .set(changes as never)
        .where('id = :id AND organization_id = :org AND status IN (:...from)', { id, org: organizationId, from })
        .execute();
      if (!result.affected) {
        const current = await repo.findOneOrFail({ where: { id } });
        throw campaignStateProblem(current, action);
      }
      const extra = more ? await more(manager, before) : {};
      await this.audit.record(
        actor,
        {
          action: auditAction,
          entityType: 'campaign',
          entityId: id,
          changes: {
            ...(changes.status && changes.status !== before.status
              ? { status: { from: before.status, to: changes.status } }
              : {}),
            ...(auditChanges ? auditChanges(before) : {}),
            ...extra,
          },
        },
        manager,
      );
      return repo.findOneOrFail({ where: { id } });
    });
  }
}

function diffOf(before: Campaign, changes: Partial<Campaign>): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    const old = (before as unknown as Record<string, unknown>)[key];
    if (JSON.stringify(old) !== JSON.stringify(value))
      diff[key] = key === 'content' ? 'changed' : { from: old, to: value };
  }
  return diff;
}
