import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { CampaignJobs } from './campaign-jobs';
import { queryRows } from '../ledger-query';

export const RECONCILE_INTERVAL_MS = 3_000;
/** hashtext of this names the advisory lock: one reconciler at a time across every process. */
const LOCK_NAME = 'meridian:campaigns:reconciler';

/**
 * Nothing of the engine depends on Redis keeping state: every few seconds,
 * in every worker (and the embedded API), under a PostgreSQL advisory lock,
 * this starts due scheduled campaigns, hands back recipients whose lease
 * expired (their worker died), re-adds the jobs of every sending campaign
 * (deterministic ids: a job that is waiting or running is left alone), and
 * completes campaigns that have nothing left to send.
 */
@Injectable()
export class CampaignReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CampaignReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: CampaignJobs,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.reconcile()
        .catch((err: Error) => this.logger.warn(`Campaign reconciliation failed: ${err.message}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) {
            this.timer = setTimeout(tick, RECONCILE_INTERVAL_MS);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(tick, 500);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass; false when another process holds the lock. */
  async reconcile(): Promise<boolean> {
    // One connection for the whole pass: the lock is the session's (and the embedded database has a pool of one).
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await queryRows<{ locked: boolean }>(
        runner,
        `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`,
        [LOCK_NAME],
      );
      if (!locked) return false;
      try {
        await this.pass(runner);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [LOCK_NAME]);
      }
      return true;
    } finally {
      await runner.release();
    }
  }

  private async pass(runner: QueryRunner): Promise<void> {
    const started = await queryRows<{ id: string }>(
      runner,
      `UPDATE campaigns SET status = 'sending', started_at = coalesce(started_at, now())
       WHERE status = 'scheduled' AND send_at <= now() RETURNING id`,
    );
    for (const { id } of started) this.logger.log(`Campaign ${id} is due: sending`);

    // A claim whose lease ran out belongs to a worker that died or stalled: queued again (cancelled if the campaign was).
    await runner.query(
      `WITH expired AS (
         SELECT r.id, r.campaign_id, c.status AS campaign_status FROM campaign_recipients r
         JOIN campaigns c ON c.id = r.campaign_id
         WHERE (c.status IN ('sending', 'paused', 'failed') OR (c.status = 'cancelled' AND c.completed_at > now() - interval '1 day'))
           AND r.status = 'sending' AND r.claimed_until < now()
         FOR UPDATE OF r SKIP LOCKED),
       rel AS (
         UPDATE campaign_recipients r SET
           status = CASE WHEN e.campaign_status = 'cancelled' THEN 'cancelled' ELSE 'queued' END,
           claim_token = NULL, claimed_until = NULL, updated_at = now()
         FROM expired e WHERE r.id = e.id AND r.status = 'sending'
         RETURNING r.campaign_id, r.status AS after)
       UPDATE campaigns c SET cancelled = cancelled + x.n
       FROM (SELECT campaign_id, count(*) FILTER (WHERE after = 'cancelled')::int AS n FROM rel GROUP BY campaign_id) x
       WHERE c.id = x.campaign_id AND x.n > 0`,
    );

    const completed = await queryRows<{ id: string }>(
      runner,
      `UPDATE campaigns c SET status = 'completed', completed_at = now()
       WHERE c.status = 'sending' AND c.materialized
         AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.status IN ('queued', 'sending'))
       RETURNING c.id`,
    );
    for (const { id } of completed) this.logger.log(`Campaign ${id} completed`);

    const sending = await queryRows<{ id: string; materialized: boolean }>(
      runner,
      `SELECT id, materialized FROM campaigns WHERE status = 'sending'`,
    );
    for (const c of sending) {
      if (c.materialized) await this.jobs.send(c.id);
      else await this.jobs.materialize(c.id);
    }
  }
}
