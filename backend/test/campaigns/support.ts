import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '../../src/config/app-config';
import { WorkerModule } from '../../src/worker.module';
import { ApiClient, type Json } from '../support/auth-helpers';
import { eventually } from '../support/processes';
import type { TestApp } from '../support/test-app';

/** The production worker, in this process: the same modules `dist/backend/worker.js` boots. */
export async function startWorker(t: TestApp, env: Record<string, string>): Promise<INestApplicationContext> {
  const config = AppConfig.load({
    DATABASE_URL: t.db.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WORKER_METRICS_PORT: '0',
    DB_POOL_SIZE: '6',
    JWT_SECRET: t.config.auth.jwtSecret ?? '',
    ...env,
  });
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: process.env.TEST_LOG_LEVEL ? ['error', 'warn', 'log'] : false,
  });
  worker.enableShutdownHooks();
  return worker;
}

/** A small client for one signed-in user of the suites. */
export class CampaignsApi {
  readonly api: ApiClient;

  constructor(
    readonly t: TestApp,
    readonly token: string,
  ) {
    this.api = new ApiClient(t.baseUrl);
  }

  call(method: string, path: string, body?: unknown, token = this.token) {
    return this.api.request(method, path, { token, body });
  }

  async campaign(id: string): Promise<Json> {
    const res = await this.call('GET', `/api/campaigns/${id}`);
    if (res.status !== 200) throw new Error(`GET campaign answered ${res.status}: ${res.text}`);
    return res.body;
  }

  /** Polls until the campaign has this status; fails with its last state. */
  async waitFor(id: string, status: string | string[], timeoutMs = 60_000): Promise<Json> {
    const wanted = ([] as string[]).concat(status);
    let last: Json;
    try {
      return await eventually(async () => {
        last = await this.campaign(id);
        return wanted.includes(last.status) ? last : undefined;
      }, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
    }
  }

  async createEmailCampaign(body: Record<string, unknown> = {}): Promise<Json> {
    const res = await this.call('POST', '/api/campaigns', {
      name: 'Spring newsletter',
      channel: 'email',
      email: {
        subject: 'Hello {{ firstName | default: "there" }}',
        html: '<p>Hi {{ firstName | default: "there" }}, see <a href="https://example.com/spring">our news</a>.</p>',
      },
      ...body,
    });
    if (res.status !== 201) throw new Error(`create campaign answered ${res.status}: ${res.text}`);
    return res.body;
  }

  /** Every recipient of a campaign, through the keyset pages of the API. */
  async recipients(id: string, query = ''): Promise<Json[]> {
    const all: Json[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `limit=200${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await this.call('GET', `/api/campaigns/${id}/recipients?${qs}`);
      if (res.status !== 200) throw new Error(`recipients answered ${res.status}: ${res.text}`);
      all.push(...(res.body.items as Json[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return all;
  }
}

/** n consented leads tagged `tag` with email addresses `<emailPrefix or tag>-<i>@<domain>`, straight into the table; returns their ids. */
export async function seedLeads(
  t: TestApp,
  organizationId: string,
  n: number,
  tag: string,
  extra: {
    consentEmail?: boolean;
    consentWhatsapp?: boolean;
    phone?: boolean;
    domain?: string;
    emailPrefix?: string;
  } = {},
): Promise<string[]> {
  const rows = await t.db.query<{ id: string }>(
    `INSERT INTO leads (organization_id, first_name, last_name, email, phone, tags, consent_email, consent_whatsapp)
     SELECT $1, 'Lead' || g, $2, $8 || '-' || g || '@' || $6, CASE WHEN $5 THEN '+1415555' || lpad(g::text, 4, '0') END,
            ARRAY[$2], $3, $4
     FROM generate_series(1, $7::int) g RETURNING id`,
    [
      organizationId,
      tag,
      extra.consentEmail ?? true,
      extra.consentWhatsapp ?? false,
      extra.phone ?? false,
      extra.domain ?? 'sink.test',
      n,
      extra.emailPrefix ?? tag,
    ],
  );
  return rows.map((r) => r.id);
}

/** The ledger compared with the campaign's counters: they must always agree. */
export async function ledgerCounts(t: TestApp, campaignId: string): Promise<Record<string, number>> {
  const rows = await t.db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY status`,
    [campaignId],
  );
  const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  const n = (s: string) => by[s] ?? 0;
  return {
    total: rows.reduce((sum, r) => sum + r.n, 0),
    remaining: n('queued') + n('sending'),
    sent: n('sent') + n('delivered') + n('opened') + n('clicked'),
    delivered: n('delivered') + n('opened') + n('clicked'),
    opened: n('opened') + n('clicked'),
    clicked: n('clicked'),
    failed: n('failed'),
    bounced: n('bounced'),
    skipped: n('skipped'),
    cancelled: n('cancelled'),
  };
}

export function statsWithoutExtras(stats: Json): Record<string, number> {
  const { excluded: _excluded, unsubscribed: _unsubscribed, ...rest } = stats as Record<string, number>;
  return rest;
}
