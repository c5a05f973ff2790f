import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { Repository } from 'typeorm';
import { FieldError, ValidationProblem } from '../../common/errors/problem';
import { SuppressionsService } from '../consent/suppressions.service';
import { AudienceCounts, LeadAudienceService, PreparedAudience } from '../leads/lead-audience.service';
import { LeadFilter } from '../leads/lead-filter';
import type { CampaignAudience } from './campaign.entity';
import type { CampaignChannel } from './campaign.types';
import { Segment } from './segment.entity';

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((e) => {
    const field = `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** A filter stored as JSON, re-hydrated and validated again (the rules may have changed since it was saved). */
export function hydrateFilter(plain: Record<string, unknown>, field: string): LeadFilter {
  const filter = plainToInstance(LeadFilter, plain);
  const errors = validateSync(filter, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationProblem(flatten(errors, field));
  return filter;
}

/** A filter as it is stored (dates as ISO strings, no undefined keys). */
export function storeFilter(filter: LeadFilter): Record<string, unknown> {
  return JSON.parse(JSON.stringify(instanceToPlain(filter))) as Record<string, unknown>;
}

export interface ResolvedAudience {
  prepared: PreparedAudience;
  segment: Segment | null;
}

/** Who a campaign (or the editor's live count) reaches: a segment or a filter, and the eligibility rules of the channel. */
/** How long the live count of the editor reuses an identical count. */
export const COUNT_TTL_MS = 5_000;

@Injectable()
export class AudienceService {
  private readonly recent = new Map<string, { at: number; counts: Promise<AudienceCounts> }>();

  constructor(
    @InjectRepository(Segment) private readonly segments: Repository<Segment>,
    private readonly leadAudience: LeadAudienceService,
    private readonly suppressions: SuppressionsService,
  ) {}

  /** Throws a 400 naming the field under `prefix` (`audience.segmentId`, `audience.filter.*`) when it cannot be used. */
  async resolve(
    organizationId: string,
    audience: { segmentId?: string | null; filter?: LeadFilter | Record<string, unknown> | null },
    prefix: string,
  ): Promise<ResolvedAudience> {
    const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
    if (audience.segmentId) {
      const segment = await this.segments.findOne({ where: { id: audience.segmentId, organizationId } });
      if (!segment)
        throw new ValidationProblem([{ field: field('segmentId'), reason: 'is not a segment of your organization' }]);
      const filter = hydrateFilter(segment.filter, field('segment.filter'));
      return { prepared: await this.leadAudience.prepare(organizationId, filter, field('segment.filter')), segment };
    }
    if (audience.filter) {
      const filter =
        audience.filter instanceof LeadFilter ? audience.filter : hydrateFilter(audience.filter, field('filter'));
      return { prepared: await this.leadAudience.prepare(organizationId, filter, field('filter')), segment: null };
    }
    throw new ValidationProblem([{ field: prefix || 'segmentId', reason: 'choose a segment or a filter' }]);
  }

  /**
   * The editor asks again at every keystroke: an identical question within
   * COUNT_TTL_MS gets the same answer from this process (a count over a
   * million leads is a full scan). Scheduling always counts afresh.
   */
  async count(
    prepared: PreparedAudience,
    channel: CampaignChannel,
    options: { fresh?: boolean } = {},
  ): Promise<AudienceCounts> {
    const key = `${prepared.organizationId}:${channel}:${JSON.stringify(storeFilter(prepared.filter))}`;
    const now = Date.now();
    const eligibility = this.suppressions.eligibilityParts(channel);
    if (options.fresh) return this.leadAudience.count(prepared, eligibility);
    const hit = this.recent.get(key);
    if (hit && now - hit.at < COUNT_TTL_MS) return hit.counts;
    const counts = this.leadAudience.count(prepared, eligibility);
    this.recent.set(key, { at: now, counts });
    counts.catch(() => this.recent.delete(key));
    if (this.recent.size > 500) this.recent.delete(this.recent.keys().next().value as string);
    return counts;
  }

  /** The stored form of a campaign's audience. */
  static stored(input: { segmentId?: string | null; filter?: LeadFilter | null } | undefined): CampaignAudience {
    if (!input) return { segmentId: null, filter: null };
    if (input.segmentId) return { segmentId: input.segmentId, filter: null };
    return { segmentId: null, filter: input.filter ? storeFilter(input.filter) : null };
  }
}
