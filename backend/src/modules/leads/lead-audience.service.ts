import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { FieldError, ValidationProblem } from '../../common/errors/problem';
import type { CustomFieldValidator } from './custom-fields';
import { applyLeadFilter, compileCustomConditions, LeadFilter, LeadFilterColumns, needsLeadRow } from './lead-filter';
import { LeadFieldsService } from './lead-fields.service';
import { Lead } from './lead.entity';

export type AudienceChannel = 'email' | 'whatsapp';

/**
 * "May this lead get this channel", in three parts on `leads l` (given by the
 * consent module, so the leads module does not own suppression rules), and
 * the same on the audience count's `lead_audience a`. Each part is constant
 * SQL text without parameters.
 */
export interface AudienceEligibility {
  hasAddress: string;
  consented: string;
  notSuppressed: string;
  projected: { hasAddress: string; consented: string; suppressed: string };
}

/**
 * The filter's columns on `lead_audience a`, the narrow copy of the live
 * leads that the count scans (migration LeadAudience, kept by triggers).
 */
const AUDIENCE_COLUMNS: LeadFilterColumns = {
  status: 'a.status',
  source: 'a.source',
  ownerId: 'a.owner_id',
  tags: 'a.tags',
  score: 'a.score',
  createdAt: 'a.created_at',
  hasEmail: 'a.has_email',
  hasPhone: 'a.has_phone',
  emailConsent: 'a.consent_email AND a.subscribed',
};

export interface AudienceCounts {
  matching: number;
  eligible: number;
  excluded: { noAddress: number; noConsent: number; suppressed: number };
}

/** A lead as the sender renders it, and why it may no longer get the channel (null: eligible). */
export interface SendingLead {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: string;
  status: string;
  customFields: Record<string, unknown>;
  ineligible: string | null;
}

/** A validated audience filter, bound to its organization's field definitions. */
export interface PreparedAudience {
  organizationId: string;
  filter: LeadFilter;
  fields: CustomFieldValidator;
}

/** Address of a lead on a channel, as the ledger keeps it. */
const ADDRESS_SQL: Record<AudienceChannel, string> = {
  email: 'lower(l.email)', // stored trimmed (chk_leads_email_trimmed)
  whatsapp: 'l.phone',
};

/**
 * The audience queries of campaigns: the SQL over `leads` lives here (a
 * module owns its tables); the campaigns module wraps the chunk query into
 * its ledger insert.
 */
@Injectable()
export class LeadAudienceService {
  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    private readonly fields: LeadFieldsService,
  ) {}

  /**
   * Checks a stored or submitted filter against the organization as it is now
   * (custom conditions must fit the current field definitions). Field errors
   * are named under `field` (e.g. `audience.filter`).
   */
  async prepare(organizationId: string, filter: LeadFilter, field: string): Promise<PreparedAudience> {
    const errors: FieldError[] = [];
    if (filter.deleted) errors.push({ field: `${field}.deleted`, reason: 'an audience never includes deleted leads' });
    const fields = await this.fields.validatorFor(organizationId);
    if (filter.custom?.length) {
      try {
        compileCustomConditions(filter.custom, fields, `${field}.custom`);
      } catch (err) {
        if (err instanceof ValidationProblem) errors.push(...err.errors);
        else throw err;
      }
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    return { organizationId, filter, fields };
  }

  /**
   * Matching live leads, how many of them are eligible, and why the others
   * are not. The reasons are exclusive and checked in order (no address, then
   * no consent, then suppressed), so they add up to matching - eligible, and
   * each lead counts once.
   *
   * One scan of `lead_audience`, about 115 bytes a lead with the tested
   * columns first and "suppressed" kept as a flag, instead of `leads` (about
   * 200 bytes, the tested columns behind every text column). Full-text search
   * and custom fields join `leads` by id. Measured by
   * bench/audience-count-sql.mjs and bench/campaigns.mjs.
   */
  async count(audience: PreparedAudience, eligibility: AudienceEligibility): Promise<AudienceCounts> {
    return this.leads.manager.transaction((manager) => this.countIn(manager, audience, eligibility));
  }

  private async countIn(
    manager: EntityManager,
    audience: PreparedAudience,
    eligibility: AudienceEligibility,
  ): Promise<AudienceCounts> {
    const { hasAddress, consented, suppressed } = eligibility.projected;
    // A scan of a million rows passes jit_above_cost, and compiling takes longer (about 70 ms) than it saves.
    await manager.query('SET LOCAL jit = off');
    const qb = manager
      .createQueryBuilder()
      .from('lead_audience', 'a')
      .where('a.organization_id = :audienceOrg', { audienceOrg: audience.organizationId })
      .select('count(*)::int', 'matching')
      .addSelect(`count(*) FILTER (WHERE NOT (${hasAddress}))::int`, 'no_address')
      .addSelect(`count(*) FILTER (WHERE (${hasAddress}) AND NOT (${consented}))::int`, 'no_consent')
      .addSelect(`count(*) FILTER (WHERE (${hasAddress}) AND (${consented}) AND (${suppressed}))::int`, 'suppressed');
    if (needsLeadRow(audience.filter)) {
      qb.innerJoin('leads', 'l', 'l.id = a.lead_id AND l.organization_id = a.organization_id');
    }
    applyLeadFilter(qb, { ...audience.filter, deleted: undefined }, audience.fields, AUDIENCE_COLUMNS);
    const row = await qb.getRawOne<{ matching: number; no_address: number; no_consent: number; suppressed: number }>();
    const matching = row?.matching ?? 0;
    const excluded = {
      noAddress: row?.no_address ?? 0,
      noConsent: row?.no_consent ?? 0,
      suppressed: row?.suppressed ?? 0,
    };
    return {
      matching,
      eligible: matching - excluded.noAddress - excluded.noConsent - excluded.suppressed,
      excluded,
    };
  }

  /**
   * One keyset chunk of the matching leads in (created_at, id) order, after
   * `after`: `lead_id`, `created_at`, `address` and `excluded` (null when
   * eligible, else noAddress / noConsent / suppressed). Returns SQL with
   * positional parameters $1..$n, for the caller to wrap.
   */
  chunkQuery(
    manager: EntityManager,
    audience: PreparedAudience,
    channel: AudienceChannel,
    eligibility: AudienceEligibility,
    after: { createdAt: string; id: string } | null,
    limit: number,
  ): { sql: string; params: unknown[] } {
    const { hasAddress, consented, notSuppressed } = eligibility;
    const qb = this.matching(manager, audience)
      .select('l.id', 'lead_id')
      .addSelect('l.created_at', 'created_at')
      .addSelect(ADDRESS_SQL[channel], 'address')
      .addSelect(
        `CASE WHEN NOT (${hasAddress}) THEN 'noAddress' WHEN NOT (${consented}) THEN 'noConsent' ` +
          `WHEN NOT (${notSuppressed}) THEN 'suppressed' END`,
        'excluded',
      )
      .orderBy('l.created_at', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere('(l.created_at, l.id) > (:afterAt::timestamptz, :afterId::uuid)', {
        afterAt: after.createdAt,
        afterId: after.id,
      });
    }
    const [sql, params] = qb.getQueryAndParameters();
    return { sql, params };
  }

  /**
   * The leads of claimed recipients, for rendering, with why each one may no
   * longer get the channel (null: still eligible). Deleted leads are included
   * so that they can be skipped with a reason.
   */
  async forSending(
    organizationId: string,
    ids: string[],
    eligibility: AudienceEligibility,
  ): Promise<Map<string, SendingLead>> {
    if (ids.length === 0) return new Map();
    const { hasAddress, consented, notSuppressed } = eligibility;
    const rows = await this.leads.manager.query<SendingLead[]>(
      `SELECT l.id, l.first_name AS "firstName", l.last_name AS "lastName", l.email, l.phone, l.company, l.title,
              l.source, l.status, l.custom_fields AS "customFields",
              CASE WHEN l.deleted_at IS NOT NULL OR l.merged_into_id IS NOT NULL THEN 'the lead was deleted'
                   WHEN NOT (${hasAddress}) THEN 'the lead no longer has an address for this channel'
                   WHEN NOT (${consented}) THEN 'the lead withdrew consent or unsubscribed'
                   WHEN NOT (${notSuppressed}) THEN 'the address is suppressed' END AS ineligible
       FROM leads l WHERE l.organization_id = $1 AND l.id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Display names of some leads of the organization (deleted ones included: a ledger outlives its leads). */
  async displayNames(organizationId: string, ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.leads.manager.query<{ id: string; name: string | null }[]>(
      `SELECT id, nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') AS name
       FROM leads WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Live leads of the organization that match the filter. */
  private matching(manager: EntityManager, audience: PreparedAudience) {
    const qb = manager
      .getRepository(Lead)
      .createQueryBuilder('l')
      .where('l.organization_id = :audienceOrg', { audienceOrg: audience.organizationId })
      .andWhere('l.merged_into_id IS NULL');
    applyLeadFilter(qb, { ...audience.filter, deleted: undefined }, audience.fields);
    return qb;
  }
}
