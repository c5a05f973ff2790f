import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import { LeadActivityType } from './lead-activity.entity';
import { Lead, LeadSource } from './lead.entity';
import { ENGAGEMENT_WINDOW_DAYS, LeadScoreFacts, NO_ENGAGEMENT, ScorableLead, scoreLead } from './lead-scoring';

export const RESCORE_LEAD_JOB = 'lead.rescore';
export const RESCORE_ALL_LEADS_JOB = 'lead.rescore-all';

export interface RescoreLeadJob {
  organizationId: string;
  leadId: string;
}

export interface RescoreAllLeadsJob {
  organizationId: string;
}

/** Timeline activity types that count as engagement: notes, the first open of a campaign email, each click. */
export const ENGAGEMENT_ACTIVITY_TYPES: readonly string[] = [
  LeadActivityType.Note,
  LeadActivityType.CampaignOpened,
  LeadActivityType.CampaignClicked,
];

/** Triggers for one lead within this window collapse into one job, which runs when the window closes. */
export const RESCORE_WINDOW_MS = 2_000;
const RESCORE_ALL_BATCH = 500;

interface LeadRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: LeadSource;
  consent_email: boolean;
  consent_whatsapp: boolean;
  unsubscribed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const LEAD_COLUMNS =
  'id, first_name, last_name, email, phone, company, title, source, consent_email, consent_whatsapp, unsubscribed_at, created_at, updated_at';

const scorable = (r: LeadRow): ScorableLead => ({
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email,
  phone: r.phone,
  company: r.company,
  title: r.title,
  source: r.source,
  consentEmail: r.consent_email,
  consentWhatsapp: r.consent_whatsapp,
  unsubscribedAt: r.unsubscribed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Keeps `leads.score` equal to the rules of lead-scoring.ts over the lead's
 * current data. Rescoring is idempotent: it recomputes from what is stored
 * and writes only a score that changed, without touching `updated_at` and
 * without a timeline entry (the score is derived, not an edit).
 */
@Injectable()
export class LeadScoringService {
  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    private readonly queues: JobQueues,
  ) {}

  /**
   * Asks for a rescore of a lead after something it is scored on changed
   * (outside a lead create/update, which score in their own transaction):
   * a note, an import, a merge, a campaign event. Call after the change commits.
   */
  async enqueueRescore(organizationId: string, leadId: string): Promise<void> {
    const now = Date.now();
    const windowEnd = (Math.floor(now / RESCORE_WINDOW_MS) + 1) * RESCORE_WINDOW_MS;
    // The job id names the window, so a burst of triggers collapses into one job, and the
    // job starts only after the window closes: it sees every change that asked for it.
    await this.queues.add<RescoreLeadJob>(
      QueueName.Leads,
      RESCORE_LEAD_JOB,
      { organizationId, leadId },
      { jobId: `rescore-${leadId}-${windowEnd}`, delay: windowEnd - now },
    );
  }

  /** Rescores every lead of the organization in the background (one job per organization at a time). */
  async enqueueRescoreAll(organizationId: string): Promise<{ jobId: string }> {
    const windowEnd = (Math.floor(Date.now() / RESCORE_WINDOW_MS) + 1) * RESCORE_WINDOW_MS;
    const { id } = await this.queues.add<RescoreAllLeadsJob>(
      QueueName.Leads,
      RESCORE_ALL_LEADS_JOB,
      { organizationId },
      { jobId: `rescore-all-${organizationId}-${windowEnd}`, delay: windowEnd - Date.now() },
    );
    return { jobId: id };
  }

  /** Engagement facts of some leads of one organization, as of `now`. */
  async facts(
    manager: EntityManager,
    organizationId: string,
    leadIds: readonly string[],
    now: Date,
  ): Promise<Map<string, LeadScoreFacts>> {
    const since = new Date(now.getTime() - ENGAGEMENT_WINDOW_DAYS * 24 * 3600 * 1000);
    const rows = await manager.query<{ lead_id: string; engagements: number; last: Date }[]>(
      `SELECT lead_id, count(*)::int AS engagements, max(created_at) AS last
         FROM lead_activities
        WHERE organization_id = $1 AND lead_id = ANY($2::uuid[]) AND type = ANY($3::text[]) AND created_at >= $4
        GROUP BY lead_id`,
      [organizationId, leadIds, ENGAGEMENT_ACTIVITY_TYPES, since.toISOString()],
    );
    return new Map(rows.map((r) => [r.lead_id, { engagements: r.engagements, lastEngagementAt: r.last }]));
  }

  /** The score of a lead as it stands, inside a caller's transaction (lead create and update). */
  async scoreWithin(
    manager: EntityManager,
    organizationId: string,
    lead: ScorableLead & { id?: string },
    now: Date,
  ): Promise<number> {
    const facts = lead.id ? (await this.facts(manager, organizationId, [lead.id], now)).get(lead.id) : undefined;
    return scoreLead(lead, facts ?? NO_ENGAGEMENT, now).score;
  }

  /** Recomputes these leads now; returns how many scores changed. Deleted and missing leads are skipped. */
  async rescore(organizationId: string, leadIds: readonly string[], now = new Date()): Promise<number> {
    if (leadIds.length === 0) return 0;
    const rows = await this.leads.manager.query<LeadRow[]>(
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
      [organizationId, leadIds],
    );
    return this.write(organizationId, rows, now);
  }

  /** Every live lead of the organization, in keyset batches on (created_at, id). */
  async rescoreAll(
    organizationId: string,
    onProgress?: (done: number) => Promise<void>,
    now = new Date(),
  ): Promise<{ leads: number; changed: number }> {
    let leads = 0;
    let changed = 0;
    let after: LeadRow | undefined;
    for (;;) {
      const rows = await this.leads.manager.query<LeadRow[]>(
        `SELECT ${LEAD_COLUMNS} FROM leads
          WHERE organization_id = $1 AND deleted_at IS NULL ${after ? 'AND (created_at, id) > ($2::timestamptz, $3::uuid)' : ''}
          ORDER BY created_at, id
          LIMIT ${RESCORE_ALL_BATCH}`,
        after ? [organizationId, after.created_at.toISOString(), after.id] : [organizationId],
      );
      if (rows.length === 0) break;
      leads += rows.length;
      changed += await this.write(organizationId, rows, now);
      after = rows[rows.length - 1];
      await onProgress?.(leads);
      if (rows.length < RESCORE_ALL_BATCH) break;
    }
    return { leads, changed };
  }

  /**
   * One UPDATE for a batch. A lead changed since it was read (updated_at
   * moved) is left alone: that change scored it in its own transaction.
   */
  private async write(organizationId: string, rows: LeadRow[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const facts = await this.facts(
      this.leads.manager,
      organizationId,
      rows.map((r) => r.id),
      now,
    );
    const scores = rows.map((r) => scoreLead(scorable(r), facts.get(r.id) ?? NO_ENGAGEMENT, now).score);
    const [, changed] = await this.leads.manager.query<[unknown[], number]>(
      `UPDATE leads AS l SET score = v.score
         FROM unnest($2::uuid[], $3::smallint[], $4::timestamptz[]) AS v(id, score, seen)
        WHERE l.organization_id = $1 AND l.id = v.id AND l.updated_at = v.seen AND l.score IS DISTINCT FROM v.score
        RETURNING l.id`,
      [organizationId, rows.map((r) => r.id), scores, rows.map((r) => r.updated_at.toISOString())],
    );
    return changed;
  }
}
