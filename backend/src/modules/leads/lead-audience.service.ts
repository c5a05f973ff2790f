import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { FieldError, ValidationProblem } from '../../common/errors/problem';
import type { CustomFieldValidator } from './custom-fields';
import { applyLeadFilter, compileCustomConditions, LeadFilter } from './lead-filter';
import { LeadFieldsService } from './lead-fields.service';
import { Lead } from './lead.entity';

export type AudienceChannel = 'email' | 'whatsapp';

/**
 * "May this lead get this channel", in three parts on `leads l` (given by the
 * consent module, so the leads module does not own suppression rules). Each
 * part is constant SQL text without parameters.
 */
export interface AudienceEligibility {
  hasAddress: string;
  consented: string;
  notSuppressed: string;
  /** The lead's address on the channel, and the organization's suppressed addresses (bound as `:suppressionOrg`). */
  address: string;
  suppressedAddresses: string;
}

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
 * Up to this many suppressed addresses, the audience count looks each one up
 * by index (about 40 ms for 10,000 at 1M leads); beyond, it tests every
 * matching lead's address against the hashed list.
 */
export const SUPPRESSION_LOOKUP_LIMIT = 20_000;

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
   * One statement, one scan of the matching leads that tests plain columns
   * only. Suppressed leads are found from the other side: each suppressed
   * address of the organization is looked up among the reachable matching
   * leads through the index on the address (`lower(email)`, `phone`), a few
   * microseconds each, instead of computing and hashing the address of every
   * lead. A list longer than SUPPRESSION_LOOKUP_LIMIT is tested the other way
   * (`address IN (suppressed addresses)`, hashed once, in the same scan).
   * Measured by bench/audience-count-sql.mjs and bench/campaigns.mjs.
   */
  async count(audience: PreparedAudience, eligibility: AudienceEligibility): Promise<AudienceCounts> {
    return this.leads.manager.transaction((manager) => this.countIn(manager, audience, eligibility));
  }

  private async countIn(
    manager: EntityManager,
    audience: PreparedAudience,
    eligibility: AudienceEligibility,
  ): Promise<AudienceCounts> {
    const { hasAddress, consented, address, suppressedAddresses } = eligibility;
    // The planner's cost of a scan over a million leads plus the lookups passes jit_above_cost, and
    // compiling takes longer (about 70 ms) than it saves on a query of a few hundred milliseconds.
    await manager.query('SET LOCAL jit = off');
    const [{ n: listed }] = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (${suppressedAddresses.replace(':suppressionOrg', '$1')} LIMIT $2) x`,
      [audience.organizationId, SUPPRESSION_LOOKUP_LIMIT + 1],
    );
    const qb = this.matching(manager, audience)
      .select('count(*)::int', 'matching')
      .addSelect(`count(*) FILTER (WHERE NOT (${hasAddress}))::int`, 'no_address')
      .addSelect(`count(*) FILTER (WHERE (${hasAddress}) AND NOT (${consented}))::int`, 'no_consent')
      .setParameter('suppressionOrg', audience.organizationId);
    if (listed === 0) {
      qb.addSelect('0', 'suppressed');
    } else if (listed <= SUPPRESSION_LOOKUP_LIMIT) {
      const lookup = this.suppressedLookup(manager, audience, eligibility);
      qb.addSelect(`(${lookup.sql})`, 'suppressed').setParameters(lookup.params);
    } else {
      qb.addSelect(
        `count(*) FILTER (WHERE (${hasAddress}) AND (${consented}) AND ${address} IN (${suppressedAddresses}))::int`,
        'suppressed',
      );
    }
    const row = await qb.getRawOne<{ matching: number; no_address: number; no_consent: number; suppressed: number }>();
    const matching = row?.matching ?? 0;
    const excluded = {
      noAddress: row?.no_address ?? 0,
      noConsent: row?.no_consent ?? 0,
      suppressed: Number(row?.suppressed ?? 0),
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
  /**
   * How many reachable matching leads have a suppressed address, found from
   * the suppressions' side: for each suppressed address, the leads with that
   * address through the index on it, then the audience filter on those few.
   * OFFSET 0 fences the lookup so that the filter's own indexes (score,
   * created_at...) are never chosen for it. The statistics on lower(email)
   * (migration LeadEmailTrimmed) let the planner know a lookup finds one lead.
   */
  private suppressedLookup(manager: EntityManager, audience: PreparedAudience, eligibility: AudienceEligibility) {
    const { hasAddress, consented, address, suppressedAddresses } = eligibility;
    const byAddress = `(SELECT * FROM leads l WHERE l.organization_id = :audienceOrg AND ${address} = sup.address AND ${hasAddress} OFFSET 0)`;
    const hit = manager
      .createQueryBuilder()
      .select('1')
      .from(byAddress, 'l')
      .where(consented)
      .setParameter('audienceOrg', audience.organizationId);
    applyLeadFilter(hit, { ...audience.filter, deleted: undefined }, audience.fields);
    return {
      sql: `SELECT count(*)::int FROM (${suppressedAddresses}) sup CROSS JOIN LATERAL (${hit.getQuery()}) hit`,
      params: hit.getParameters(),
    };
  }

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
