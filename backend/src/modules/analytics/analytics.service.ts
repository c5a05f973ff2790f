import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { csvLine, UTF8_BOM } from '../leads/csv-format';
import { OrganizationsService } from '../organizations/organizations.service';
import { addDays, resolvePeriod, ResolvedPeriod, todayIn } from './analytics-period';
import { AnalyticsRollupService } from './analytics-rollup.service';
import type {
  AnalyticsPeriodQueryDto,
  CampaignFunnelStepDto,
  CampaignReportDto,
  DashboardDto,
  DashboardQueryDto,
  EngagementDayDto,
  FunnelStepDto,
  KpiDto,
  TopCampaignDto,
} from './dto/analytics.dto';

/** The pipeline, in order: a lead at a later status has passed the earlier ones. Lost leads reached only "created". */
const FUNNEL: { step: string; statuses: string[] }[] = [
  { step: 'created', statuses: ['new', 'contacted', 'qualified', 'converted', 'lost'] },
  { step: 'contacted', statuses: ['contacted', 'qualified', 'converted'] },
  { step: 'qualified', statuses: ['qualified', 'converted'] },
  { step: 'converted', statuses: ['converted'] },
];

/** Email has no delivery receipts: an email is delivered when it was accepted and did not bounce. */
const DELIVERED = (campaign: string, counts = campaign) =>
  `CASE WHEN ${campaign}.channel = 'email' THEN ${counts}.sent ELSE ${counts}.delivered END`;

const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);
const kpi = (value: number, previous: number): KpiDto => ({
  value,
  previous,
  change: previous > 0 ? (value - previous) / previous : null,
});
/** A rate and its change in points; no change when either period has nothing to divide by. */
const rateKpi = (n: number, d: number, prevN: number, prevD: number): KpiDto => ({
  value: ratio(n, d),
  previous: ratio(prevN, prevD),
  change: d > 0 && prevD > 0 ? ratio(n, d) - ratio(prevN, prevD) : null,
});

interface CampaignTotals {
  campaigns: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
}

/**
 * Figures of the dashboard and the campaign reports. Lead figures come from
 * the rollups (analytics_lead_*), campaign figures from the campaigns'
 * counters (kept in step with the ledger) and analytics_campaign_daily.
 * campaigns and campaign_recipients belong to the campaigns module: they are
 * read here with aggregate SQL, which no entity-returning service could
 * answer at this size.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly rollups: AnalyticsRollupService,
  ) {}

  private async context(organizationId: string, query: AnalyticsPeriodQueryDto) {
    const { timeZone } = await this.organizations.get(organizationId);
    const period = resolvePeriod(query, todayIn(timeZone));
    return { timeZone, period };
  }

  /** asOf of an organization's rollups; folds once, right now, for an organization never folded (a new one). */
  private async freshness(organizationId: string): Promise<{ asOf: string | null; ageSeconds: number | null }> {
    const read = () =>
      this.dataSource.query<{ folded_at: Date; age: number }[]>(
        `SELECT folded_at, extract(epoch FROM clock_timestamp() - folded_at)::float AS age
           FROM analytics_fold_state WHERE organization_id = $1`,
        [organizationId],
      );
    let [state] = await read();
    if (!state) {
      await this.rollups.foldOrganization(organizationId);
      [state] = await read();
    }
    return state
      ? { asOf: new Date(state.folded_at).toISOString(), ageSeconds: Math.max(0, Math.round(state.age)) }
      : { asOf: null, ageSeconds: null };
  }

  async dashboard(organizationId: string, query: DashboardQueryDto): Promise<DashboardDto> {
    const { timeZone, period } = await this.context(organizationId, query);
    const fresh = await this.freshness(organizationId);
    const [leads, byDay, engagement, campaigns, top] = [
      await this.leadCounts(organizationId, period, query),
      await this.leadsByDay(organizationId, period, query),
      await this.engagementByDay(organizationId, period),
      await this.campaignTotals(organizationId, period, timeZone),
      await this.topCampaigns(organizationId, period, timeZone),
    ];

    const sum = (which: 'current' | 'previous', statuses: string[]) =>
      leads.filter((r) => r.period === which && statuses.includes(r.status)).reduce((n, r) => n + r.leads, 0);
    const all = FUNNEL[0].statuses;
    const newNow = sum('current', all);
    const newBefore = sum('previous', all);
    const qualifiedNow = sum('current', FUNNEL[2].statuses);
    const convertedNow = sum('current', FUNNEL[3].statuses);
    const convertedBefore = sum('previous', FUNNEL[3].statuses);
    const [c, p] = [campaigns.current, campaigns.previous];

    const steps: FunnelStepDto[] = FUNNEL.map((f, i) => {
      const count = sum('current', f.statuses);
      const before = i === 0 ? null : sum('current', FUNNEL[i - 1].statuses);
      return {
        step: f.step,
        statuses: f.statuses,
        count,
        stepRate: before === null ? null : ratio(count, before),
        overallRate: ratio(count, newNow),
      };
    });
    const byStatus: Record<string, number> = {};
    for (const r of leads) if (r.period === 'current') byStatus[r.status] = (byStatus[r.status] ?? 0) + r.leads;

    const sources = new Map<string, { leads: number; qualified: number; converted: number }>();
    for (const r of leads) {
      if (r.period !== 'current') continue;
      const s = sources.get(r.source) ?? { leads: 0, qualified: 0, converted: 0 };
      s.leads += r.leads;
      if (FUNNEL[2].statuses.includes(r.status)) s.qualified += r.leads;
      if (r.status === 'converted') s.converted += r.leads;
      sources.set(r.source, s);
    }

    return {
      ...fresh,
      period: { ...period, timeZone },
      filters: { source: query.source ?? null, ownerId: query.ownerId ?? null, tag: query.tag ?? null },
      kpis: {
        newLeads: kpi(newNow, newBefore),
        qualified: kpi(qualifiedNow, sum('previous', FUNNEL[2].statuses)),
        converted: kpi(convertedNow, convertedBefore),
        conversionRate: rateKpi(convertedNow, newNow, convertedBefore, newBefore),
        campaignsSent: kpi(c.campaigns, p.campaigns),
        messagesSent: kpi(c.sent, p.sent),
        deliveryRate: rateKpi(c.delivered, c.sent, p.delivered, p.sent),
        openRate: rateKpi(c.opened, c.delivered, p.opened, p.delivered),
        clickRate: rateKpi(c.clicked, c.delivered, p.clicked, p.delivered),
        unsubscribeRate: rateKpi(c.unsubscribed, c.delivered, p.unsubscribed, p.delivered),
      },
      leadsByDay: byDay,
      engagementByDay: engagement,
      pipeline: { steps, byStatus },
      bySource: [...sources.entries()]
        .map(([source, s]) => ({ source, ...s, conversionRate: ratio(s.converted, s.leads) }))
        .sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source)),
      topCampaigns: top,
    };
  }

  /** The rollup and the conditions of the lead filters, from parameter $4 on ($1 org, $2 first day, $3 last day). */
  private leadSource(query: DashboardQueryDto): { table: string; where: string; params: unknown[] } {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length + 3}`));
    };
    if (query.tag !== undefined) add('tag = ?', query.tag);
    if (query.source !== undefined) add('source = ?', query.source);
    if (query.ownerId !== undefined) add('owner_id = ?', query.ownerId);
    return {
      table:
        query.tag !== undefined
          ? 'analytics_lead_tag_daily'
          : query.ownerId !== undefined
            ? 'analytics_lead_daily'
            : 'analytics_lead_source_daily',
      where: where.map((w) => ` AND ${w}`).join(''),
      params,
    };
  }

  private async leadCounts(organizationId: string, period: ResolvedPeriod, query: DashboardQueryDto) {
    const f = this.leadSource(query);
    const rows = await this.dataSource.query<{ current: boolean; source: string; status: string; leads: string }[]>(
      `SELECT day >= $${f.params.length + 4}::date AS current, source, status, sum(leads) AS leads
         FROM ${f.table}
        WHERE organization_id = $1 AND day BETWEEN $2 AND $3${f.where}
        GROUP BY 1, 2, 3`,
      [organizationId, period.previousFrom, period.to, ...f.params, period.from],
    );
    return rows.map((r) => ({
      period: r.current ? ('current' as const) : ('previous' as const),
      source: r.source,
      status: r.status,
      leads: Number(r.leads),
    }));
  }

  private async leadsByDay(organizationId: string, period: ResolvedPeriod, query: DashboardQueryDto) {
    const f = this.leadSource(query);
    const rows = await this.dataSource.query<{ day: string; source: string; leads: string }[]>(
      `SELECT day::text AS day, source, sum(leads) AS leads FROM ${f.table}
        WHERE organization_id = $1 AND day BETWEEN $2 AND $3${f.where}
        GROUP BY 1, 2`,
      [organizationId, period.from, period.to, ...f.params],
    );
    const days = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const d = days.get(r.day) ?? {};
      d[r.source] = Number(r.leads);
      days.set(r.day, d);
    }
    return everyDay(period).map((day) => {
      const bySource = days.get(day) ?? {};
      return { day, total: Object.values(bySource).reduce((n, v) => n + v, 0), bySource };
    });
  }

  private async engagementByDay(organizationId: string, period: ResolvedPeriod): Promise<EngagementDayDto[]> {
    const rows = await this.dataSource.query<Record<string, string>[]>(
      `SELECT d.day::text AS day, sum(d.sent + d.bounced) AS sent, sum(${DELIVERED('c', 'd')}) AS delivered,
              sum(d.opened) AS opened, sum(d.clicked) AS clicked, sum(d.unsubscribed) AS unsubscribed,
              sum(d.bounced) AS bounced
         FROM analytics_campaign_daily d JOIN campaigns c ON c.id = d.campaign_id
        WHERE d.organization_id = $1 AND d.day BETWEEN $2 AND $3
        GROUP BY 1`,
      [organizationId, period.from, period.to],
    );
    const byDay = new Map(rows.map((r) => [r.day, r]));
    return everyDay(period).map((day) => engagementRow(day, byDay.get(day)));
  }

  private async campaignTotals(
    organizationId: string,
    period: ResolvedPeriod,
    timeZone: string,
  ): Promise<{ current: CampaignTotals; previous: CampaignTotals }> {
    const rows = await this.dataSource.query<(Record<string, string> & { current: boolean })[]>(
      `SELECT c.started_at >= ($3::date::timestamp AT TIME ZONE $5) AS current, count(*) AS campaigns,
              sum(c.sent + c.bounced) AS sent, sum(${DELIVERED('c')}) AS delivered, sum(c.opened) AS opened,
              sum(c.clicked) AS clicked, sum(c.unsubscribed) AS unsubscribed
         FROM campaigns c
        WHERE c.organization_id = $1 AND c.started_at IS NOT NULL
          AND c.started_at >= ($2::date::timestamp AT TIME ZONE $5)
          AND c.started_at < (($4::date + 1)::timestamp AT TIME ZONE $5)
        GROUP BY 1`,
      [organizationId, period.previousFrom, period.from, period.to, timeZone],
    );
    const of = (current: boolean): CampaignTotals => {
      const r = rows.find((x) => x.current === current);
      return {
        campaigns: Number(r?.campaigns ?? 0),
        sent: Number(r?.sent ?? 0),
        delivered: Number(r?.delivered ?? 0),
        opened: Number(r?.opened ?? 0),
        clicked: Number(r?.clicked ?? 0),
        unsubscribed: Number(r?.unsubscribed ?? 0),
      };
    };
    return { current: of(true), previous: of(false) };
  }

  private async topCampaigns(
    organizationId: string,
    period: ResolvedPeriod,
    timeZone: string,
  ): Promise<TopCampaignDto[]> {
    const rows = await this.dataSource.query<Record<string, string> & { started_at: Date }[]>(
      `SELECT c.id, c.name, c.channel, c.status, c.started_at, c.sent + c.bounced AS sent,
              ${DELIVERED('c')} AS delivered, c.opened, c.clicked, c.unsubscribed
         FROM campaigns c
        WHERE c.organization_id = $1 AND c.started_at >= ($2::date::timestamp AT TIME ZONE $4)
          AND c.started_at < (($3::date + 1)::timestamp AT TIME ZONE $4)
        ORDER BY c.clicked DESC, c.opened DESC, c.started_at DESC, c.id LIMIT 5`,
      [organizationId, period.from, period.to, timeZone],
    );
    return (rows as unknown as Record<string, unknown>[]).map((r) => {
      const n = (k: string) => Number(r[k]);
      return {
        id: r.id as string,
        name: r.name as string,
        channel: r.channel as string,
        status: r.status as string,
        startedAt: new Date(r.started_at as string).toISOString(),
        sent: n('sent'),
        delivered: n('delivered'),
        opened: n('opened'),
        clicked: n('clicked'),
        unsubscribed: n('unsubscribed'),
        openRate: ratio(n('opened'), n('delivered')),
        clickRate: ratio(n('clicked'), n('delivered')),
      };
    });
  }

  async campaignReport(organizationId: string, campaignId: string): Promise<CampaignReportDto> {
    const [c] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT c.id, c.name, c.channel, c.status, c.started_at, c.completed_at, c.total, c.sent + c.bounced AS sent,
              ${DELIVERED('c')} AS delivered, c.opened, c.clicked, c.bounced, c.failed, c.unsubscribed
         FROM campaigns c WHERE c.id = $1 AND c.organization_id = $2`,
      [campaignId, organizationId],
    );
    if (!c) throw new NotFoundException(`No campaign ${campaignId}`);
    const { timeZone } = await this.organizations.get(organizationId);
    const fresh = await this.freshness(organizationId);
    // Converted: the recipient's lead changed to converted after the message went out (the lead timeline).
    const [{ converted }] = await this.dataSource.query<{ converted: string }[]>(
      `SELECT count(*) AS converted FROM campaign_recipients r
        WHERE r.campaign_id = $1 AND r.sent_at IS NOT NULL
          AND EXISTS (SELECT 1 FROM lead_activities a
                       WHERE a.organization_id = r.organization_id AND a.lead_id = r.lead_id
                         AND a.type = 'status_changed' AND a.data->>'to' = 'converted' AND a.created_at >= r.sent_at)`,
      [campaignId],
    );
    const n = (k: string) => Number(c[k] ?? 0);
    const counts: [string, number][] = [
      ['queued', n('total')],
      ['sent', n('sent')],
      ['delivered', n('delivered')],
      ['opened', n('opened')],
      ['clicked', n('clicked')],
      ['converted', Number(converted)],
    ];
    const funnel: CampaignFunnelStepDto[] = counts.map(([step, count], i) => ({
      step,
      count,
      stepRate: i === 0 ? null : ratio(count, counts[i - 1][1]),
      overallRate: ratio(count, counts[0][1]),
    }));
    const days = await this.dataSource.query<Record<string, string>[]>(
      `SELECT d.day::text AS day, d.sent + d.bounced AS sent, ${DELIVERED('c', 'd')} AS delivered, d.opened, d.clicked,
              d.unsubscribed, d.bounced
         FROM analytics_campaign_daily d JOIN campaigns c ON c.id = d.campaign_id
        WHERE d.campaign_id = $1 ORDER BY d.day`,
      [campaignId],
    );
    const links = await this.dataSource.query<{ url: string; clicks: string; unique_clicks: string }[]>(
      `SELECT a.data->>'url' AS url, count(*) AS clicks, count(DISTINCT a.lead_id) AS unique_clicks
         FROM lead_activities a
        WHERE a.organization_id = $1 AND a.data->>'campaignId' = $2 AND a.type = 'campaign_clicked'
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`,
      [organizationId, campaignId],
    );
    const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
    return {
      ...fresh,
      id: c.id as string,
      name: c.name as string,
      channel: c.channel as string,
      status: c.status as string,
      startedAt: iso(c.started_at),
      completedAt: iso(c.completed_at),
      timeZone,
      funnel,
      bounced: n('bounced'),
      failed: n('failed'),
      unsubscribed: n('unsubscribed'),
      byDay: days.map((d) => engagementRow(d.day, d)),
      links: links.map((l) => ({ url: l.url, clicks: Number(l.clicks), uniqueClicks: Number(l.unique_clicks) })),
    };
  }

  /** The report as CSV sections (funnel, days, links), through the leads module's formula-safe writer. */
  async campaignReportCsv(organizationId: string, campaignId: string): Promise<{ name: string; body: string }> {
    const r = await this.campaignReport(organizationId, campaignId);
    const pct = (v: number | null) => (v === null ? '' : (v * 100).toFixed(1));
    const lines = [
      csvLine(['campaign', r.name]),
      csvLine(['channel', r.channel]),
      csvLine(['status', r.status]),
      csvLine(['time zone', r.timeZone]),
      csvLine(['figures as of', r.asOf]),
      csvLine([]),
      csvLine(['step', 'count', 'step rate %', 'of queued %']),
      ...r.funnel.map((s) => csvLine([s.step, s.count, pct(s.stepRate), pct(s.overallRate)])),
      csvLine(['bounced', r.bounced]),
      csvLine(['failed', r.failed]),
      csvLine(['unsubscribed', r.unsubscribed]),
      csvLine([]),
      csvLine(['day', 'sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'bounced']),
      ...r.byDay.map((d) => csvLine([d.day, d.sent, d.delivered, d.opened, d.clicked, d.unsubscribed, d.bounced])),
      csvLine([]),
      csvLine(['link', 'clicks', 'unique clicks']),
      ...r.links.map((l) => csvLine([l.url, l.clicks, l.uniqueClicks])),
    ];
    return { name: r.name, body: UTF8_BOM + lines.join('') };
  }
}

function everyDay(period: ResolvedPeriod): string[] {
  return Array.from({ length: period.days }, (_, i) => addDays(period.from, i));
}

function engagementRow(day: string, r: Record<string, string> | undefined): EngagementDayDto {
  const n = (k: string) => Number(r?.[k] ?? 0);
  return {
    day,
    sent: n('sent'),
    delivered: n('delivered'),
    opened: n('opened'),
    clicked: n('clicked'),
    unsubscribed: n('unsubscribed'),
    bounced: n('bounced'),
  };
}
