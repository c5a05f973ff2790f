import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationProblem } from '../../../common/errors/problem';
import { SuppressionsService } from '../../consent/suppressions.service';
import { LeadAudienceService } from '../../leads/lead-audience.service';
import { AudienceService } from '../audience.service';
import type { CampaignAudience } from '../campaign.entity';
import type { CampaignChannel, CampaignStatus } from '../campaign.types';
import { CampaignJobs } from './campaign-jobs';
import { CampaignSender } from './campaign-sender.service';

/** Leads evaluated per chunk (one transaction each). */
export const MATERIALIZE_CHUNK = 5_000;

interface ChunkResult {
  inserted: number;
  seen: number;
  no_address: number;
  no_consent: number;
  suppressed: number;
  last_id: string | null;
  last_at: Date | null;
}

/**
 * Writes a campaign's audience into the ledger when it starts sending, in
 * keyset chunks: each chunk's rows, its cursor and the campaign's total and
 * exclusions commit together, so a job that dies resumes after the last
 * chunk, and UNIQUE (campaign_id, lead_id) makes a replayed chunk a no-op.
 */
@Injectable()
export class CampaignMaterializer {
  private readonly logger = new Logger(CampaignMaterializer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audiences: AudienceService,
    private readonly leadAudience: LeadAudienceService,
    private readonly suppressions: SuppressionsService,
    private readonly jobs: CampaignJobs,
    private readonly sender: CampaignSender,
  ) {}

  async run(campaignId: string, signal: AbortSignal): Promise<{ chunks: number; done: boolean }> {
    const [campaign] = await this.dataSource.query<
      {
        organization_id: string;
        channel: CampaignChannel;
        status: CampaignStatus;
        audience: CampaignAudience;
        materialized: boolean;
      }[]
    >(`SELECT organization_id, channel, status, audience, materialized FROM campaigns WHERE id = $1`, [campaignId]);
    if (!campaign || campaign.materialized || !['sending', 'paused'].includes(campaign.status))
      return { chunks: 0, done: true };
    let prepared;
    try {
      prepared = (await this.audiences.resolve(campaign.organization_id, campaign.audience, 'audience')).prepared;
    } catch (err) {
      if (!(err instanceof ValidationProblem)) throw err;
      await this.sender.fail(campaignId, `The audience can no longer be evaluated: ${err.message}`);
      return { chunks: 0, done: true };
    }
    const eligibility = this.suppressions.eligibilityParts(campaign.channel);
    let chunks = 0;
    for (;;) {
      if (signal.aborted) return { chunks, done: false };
      const step = await this.dataSource.transaction(async (manager) => {
        const [c] = await manager.query<
          {
            status: CampaignStatus;
            materialized: boolean;
            materialize_cursor: { createdAt: string; id: string } | null;
          }[]
        >(`SELECT status, materialized, materialize_cursor FROM campaigns WHERE id = $1 FOR UPDATE`, [campaignId]);
        if (!c || c.materialized || !['sending', 'paused'].includes(c.status)) return 'stop' as const;
        const chunk = this.leadAudience.chunkQuery(
          manager,
          prepared,
          campaign.channel,
          eligibility,
          c.materialize_cursor,
          MATERIALIZE_CHUNK,
        );
        const n = chunk.params.length;
        const [r] = await manager.query<ChunkResult[]>(
          `WITH chunk AS (${chunk.sql}),
           ins AS (
             INSERT INTO campaign_recipients (organization_id, campaign_id, lead_id, channel, address)
             SELECT $${n + 1}::uuid, $${n + 2}::uuid, lead_id, $${n + 3}::text, address FROM chunk WHERE excluded IS NULL
             ON CONFLICT (campaign_id, lead_id) DO NOTHING RETURNING 1),
           last AS (SELECT lead_id, created_at FROM chunk ORDER BY created_at DESC, lead_id DESC LIMIT 1)
           SELECT (SELECT count(*) FROM ins)::int AS inserted, count(*)::int AS seen,
             count(*) FILTER (WHERE excluded = 'noAddress')::int AS no_address,
             count(*) FILTER (WHERE excluded = 'noConsent')::int AS no_consent,
             count(*) FILTER (WHERE excluded = 'suppressed')::int AS suppressed,
             (SELECT lead_id FROM last) AS last_id, (SELECT created_at FROM last) AS last_at
           FROM chunk`,
          [...chunk.params, campaign.organization_id, campaignId, campaign.channel],
        );
        const done = r.seen < MATERIALIZE_CHUNK;
        const cursor =
          r.last_id && r.last_at ? { createdAt: r.last_at.toISOString(), id: r.last_id } : c.materialize_cursor;
        await manager.query(
          `UPDATE campaigns SET total = total + $2, materialized = $3, materialize_cursor = $4::jsonb,
             audience_excluded = jsonb_build_object(
               'noAddress', (audience_excluded->>'noAddress')::int + $5,
               'noConsent', (audience_excluded->>'noConsent')::int + $6,
               'suppressed', (audience_excluded->>'suppressed')::int + $7)
           WHERE id = $1`,
          [campaignId, r.inserted, done, JSON.stringify(cursor), r.no_address, r.no_consent, r.suppressed],
        );
        return done ? ('done' as const) : ('more' as const);
      });
      if (step === 'stop') return { chunks, done: true };
      chunks++;
      // Sending starts with the first chunk; the send loops wait for more while the audience is not complete.
      if (chunks === 1 || step === 'done') await this.jobs.send(campaignId);
      if (step === 'done') {
        if (await this.sender.complete(campaignId)) this.logger.log(`Campaign ${campaignId} had nobody to send to`);
        return { chunks, done: true };
      }
    }
  }
}
