import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NO_OWNER } from './analytics-rollup.entity';

/**
 * Leads changed up to this long before the previous fold are looked at again:
 * a transaction that started before the fold (its rows carry its start time)
 * but committed after it is still seen. Refolding is idempotent, so the
 * overlap only costs a little work.
 */
export const LEADS_OVERLAP_MS = 5 * 60_000;
/** A full rebuild this often catches what no watermark sees (hard deletes, transactions longer than the overlap). */
export const REBUILD_EVERY_MS = 6 * 3600_000;
/** Campaigns refolded per organization per run (the rest wait for the next run, a few seconds later). */
const CAMPAIGNS_PER_RUN = 50;

export interface FoldResult {
  organizations: number;
  leadDays: number;
  rebuilt: number;
  campaigns: number;
}

/**
 * Keeps the analytics rollups in step with the leads and the campaign ledger.
 *
 * The tables read here belong to the leads, organizations and campaigns
 * modules. A fold is one GROUP BY over their rows, written into our own
 * tables in the same transaction; going through their services would mean
 * loading millions of entities to count them, so the SQL is here, named and
 * read-only on their side.
 *
 * Every bucket is recomputed whole from its source rows (DELETE + INSERT),
 * never incremented: a fold that runs twice, or dies half-way (its
 * transaction rolls back together with the watermark), leaves the same rows.
 */
@Injectable()
export class AnalyticsRollupService {
  private readonly logger = new Logger(AnalyticsRollupService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One pass over every organization. */
  async foldAll(): Promise<FoldResult> {
    const orgs = await this.dataSource.query<{ id: string }[]>('SELECT id FROM organizations ORDER BY id');
    const total: FoldResult = { organizations: 0, leadDays: 0, rebuilt: 0, campaigns: 0 };
    for (const { id } of orgs) {
      const r = await this.foldOrganization(id);
      total.organizations++;
      total.leadDays += r.leadDays;
      total.rebuilt += r.rebuilt ? 1 : 0;
      total.campaigns += r.campaigns;
    }
    return total;
  }

  async foldOrganization(
    organizationId: string,
    options: { rebuild?: boolean } = {},
  ): Promise<{ leadDays: number; rebuilt: boolean; campaigns: number }> {
    const leads = await this.dataSource.transaction((m) => this.foldLeads(m, organizationId, options.rebuild ?? false));
    let campaigns = 0;
    for (;;) {
      const dirty = await this.dirtyCampaigns(organizationId, leads.timeZone);
      for (const id of dirty) {
        await this.dataSource.transaction('REPEATABLE READ', (m) =>
          this.foldCampaign(m, organizationId, id, leads.timeZone),
        );
      }
      campaigns += dirty.length;
      if (dirty.length < CAMPAIGNS_PER_RUN) break;
    }
    await this.dataSource.query('UPDATE analytics_fold_state SET folded_at = now() WHERE organization_id = $1', [
      organizationId,
    ]);
    return { leadDays: leads.days, rebuilt: leads.rebuilt, campaigns };
  }

  private async foldLeads(
    m: EntityManager,
    organizationId: string,
    forceRebuild: boolean,
  ): Promise<{ days: number; rebuilt: boolean; timeZone: string }> {
    // One fold per organization at a time (two workers, or the job and a first dashboard view).
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('analytics-fold:' || $1))`, [organizationId]);
    const [org] = await m.query<{ time_zone: string }[]>('SELECT time_zone FROM organizations WHERE id = $1', [
      organizationId,
    ]);
    if (!org) return { days: 0, rebuilt: false, timeZone: 'UTC' };
    const tz = org.time_zone;
    const [state] = await m.query<{ time_zone: string; leads_watermark: Date; rebuilt_at: Date }[]>(
      'SELECT time_zone, leads_watermark, rebuilt_at FROM analytics_fold_state WHERE organization_id = $1',
      [organizationId],
    );
    const [{ now }] = await m.query<{ now: Date }[]>('SELECT now() AS now');
    const rebuild =
      forceRebuild ||
      !state ||
      state.time_zone !== tz ||
      now.getTime() - new Date(state.rebuilt_at).getTime() > REBUILD_EVERY_MS;

    let days = 0;
    if (rebuild) {
      for (const table of LEAD_TABLES) {
        await m.query(`DELETE FROM ${table} WHERE organization_id = $1`, [organizationId]);
        await m.query(insertLeadBuckets(table, 'all'), [organizationId, tz]);
      }
    } else {
      const since = new Date(new Date(state.leads_watermark).getTime() - LEADS_OVERLAP_MS);
      const dirty = await m.query<{ day: string }[]>(
        `SELECT DISTINCT (created_at AT TIME ZONE $3)::date::text AS day
           FROM leads WHERE organization_id = $1 AND updated_at > $2`,
        [organizationId, since, tz],
      );
      days = dirty.length;
      if (days > 0) {
        const list = dirty.map((d) => d.day);
        for (const table of LEAD_TABLES) {
          await m.query(`DELETE FROM ${table} WHERE organization_id = $1 AND day = ANY($2::date[])`, [
            organizationId,
            list,
          ]);
          await m.query(insertLeadBuckets(table, 'days'), [organizationId, tz, list]);
        }
      }
    }
    // The watermark moves in the same transaction as the buckets it covers.
    await m.query(
      `INSERT INTO analytics_fold_state (organization_id, time_zone, leads_watermark, rebuilt_at, folded_at)
       VALUES ($1, $2, now(), now(), now())
       ON CONFLICT (organization_id) DO UPDATE SET
         time_zone = EXCLUDED.time_zone,
         leads_watermark = EXCLUDED.leads_watermark,
         rebuilt_at = CASE WHEN $3 THEN EXCLUDED.rebuilt_at ELSE analytics_fold_state.rebuilt_at END`,
      [organizationId, tz, rebuild],
    );
    if (rebuild) this.logger.log(`Rebuilt the lead rollups of organization ${organizationId} (${tz})`);
    return { days, rebuilt: rebuild, timeZone: tz };
  }

  /** Campaigns whose counters (or the time zone) moved since their last fold: the counters move with the ledger rows, in the same statement. */
  private async dirtyCampaigns(organizationId: string, tz: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM campaigns c
         LEFT JOIN analytics_campaign_state s ON s.campaign_id = c.id
        WHERE c.organization_id = $1 AND c.status <> 'draft'
          AND (s.campaign_id IS NULL OR s.signature <> ${CAMPAIGN_SIGNATURE} || '|' || $2)
        ORDER BY c.id LIMIT ${CAMPAIGNS_PER_RUN}`,
      [organizationId, tz],
    );
    return rows.map((r) => r.id);
  }

  /** In one REPEATABLE READ snapshot: the counters read and the ledger rows counted agree. */
  private async foldCampaign(m: EntityManager, organizationId: string, campaignId: string, tz: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('analytics-campaign:' || $1))`, [campaignId]);
    const [campaign] = await m.query<{ signature: string }[]>(
      `SELECT ${CAMPAIGN_SIGNATURE} || '|' || $3 AS signature FROM campaigns c WHERE c.id = $1 AND c.organization_id = $2`,
      [campaignId, organizationId, tz],
    );
    await m.query('DELETE FROM analytics_campaign_daily WHERE campaign_id = $1', [campaignId]);
    if (!campaign) {
      await m.query('DELETE FROM analytics_campaign_state WHERE campaign_id = $1', [campaignId]);
      return;
    }
    await m.query(
      `WITH r AS (
         SELECT status, sent_at, delivered_at, opened_at, clicked_at, unsubscribed_at, updated_at
           FROM campaign_recipients WHERE campaign_id = $1
       ), ev AS (
         SELECT coalesce(sent_at, updated_at) AS t, 'sent' AS k FROM r WHERE status IN ('sent', 'delivered', 'opened', 'clicked')
         UNION ALL SELECT coalesce(delivered_at, opened_at, clicked_at, sent_at, updated_at), 'delivered' FROM r WHERE status IN ('delivered', 'opened', 'clicked')
         UNION ALL SELECT coalesce(opened_at, clicked_at, updated_at), 'opened' FROM r WHERE status IN ('opened', 'clicked')
         UNION ALL SELECT coalesce(clicked_at, updated_at), 'clicked' FROM r WHERE status = 'clicked'
         UNION ALL SELECT updated_at, 'bounced' FROM r WHERE status = 'bounced'
         UNION ALL SELECT updated_at, 'failed' FROM r WHERE status = 'failed'
         UNION ALL SELECT unsubscribed_at, 'unsubscribed' FROM r WHERE unsubscribed_at IS NOT NULL
       )
       INSERT INTO analytics_campaign_daily
         (campaign_id, day, organization_id, sent, delivered, opened, clicked, bounced, failed, unsubscribed)
       SELECT $1, (t AT TIME ZONE $3)::date, $2,
              count(*) FILTER (WHERE k = 'sent'), count(*) FILTER (WHERE k = 'delivered'),
              count(*) FILTER (WHERE k = 'opened'), count(*) FILTER (WHERE k = 'clicked'),
              count(*) FILTER (WHERE k = 'bounced'), count(*) FILTER (WHERE k = 'failed'),
              count(*) FILTER (WHERE k = 'unsubscribed')
         FROM ev GROUP BY 2`,
      [campaignId, organizationId, tz],
    );
    await m.query(
      `INSERT INTO analytics_campaign_state (campaign_id, organization_id, signature, folded_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (campaign_id) DO UPDATE SET signature = EXCLUDED.signature, folded_at = EXCLUDED.folded_at`,
      [campaignId, organizationId, campaign.signature],
    );
  }
}

const LEAD_TABLES = ['analytics_lead_daily', 'analytics_lead_source_daily', 'analytics_lead_tag_daily'] as const;

/** The counters of campaign `c` that the daily rows add up to. */
const CAMPAIGN_SIGNATURE = `concat_ws(',', c.total, c.sent, c.delivered, c.opened, c.clicked, c.bounced, c.failed, c.unsubscribed)`;

/**
 * INSERT ... SELECT of lead buckets ($1 organization, $2 time zone, $3 the
 * local days to refold when `scope` is 'days'). Deleted and merged-away
 * leads are not counted.
 */
function insertLeadBuckets(table: (typeof LEAD_TABLES)[number], scope: 'all' | 'days'): string {
  const tagged = table === 'analytics_lead_tag_daily';
  const owned = table !== 'analytics_lead_source_daily';
  const leads =
    scope === 'all'
      ? 'leads l'
      : `unnest($3::date[]) AS d(day)
         JOIN leads l ON l.organization_id = $1
          AND l.created_at >= (d.day::timestamp AT TIME ZONE $2)
          AND l.created_at < ((d.day + 1)::timestamp AT TIME ZONE $2)`;
  const columns = ['day', ...(tagged ? ['tag'] : []), 'source', ...(owned ? ['owner_id'] : []), 'status'];
  const values = [
    '(l.created_at AT TIME ZONE $2)::date',
    ...(tagged ? ['t.tag'] : []),
    'l.source',
    ...(owned ? [`coalesce(l.owner_id, '${NO_OWNER}')`] : []),
    'l.status',
  ];
  return `INSERT INTO ${table} (organization_id, ${columns.join(', ')}, leads)
    SELECT $1, ${values.join(', ')}, count(*)
      FROM ${leads}${tagged ? ' CROSS JOIN LATERAL unnest(l.tags) AS t(tag)' : ''}
     WHERE l.organization_id = $1 AND l.deleted_at IS NULL
     GROUP BY ${columns.map((_, i) => i + 2).join(', ')}`;
}
