import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { ValidationProblem } from '../../../common/errors/problem';
import type { SendOutcome } from '../../channels/channel.types';
import { EmailSender } from '../../channels/email-sender';
import { WhatsAppSender } from '../../channels/whatsapp-sender';
import { SuppressionsService } from '../../consent/suppressions.service';
import { LeadAudienceService, type SendingLead } from '../../leads/lead-audience.service';
import { LeadFieldsService } from '../../leads/lead-fields.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import { fromMailbox } from '../campaign-previews.service';
import type { Campaign } from '../campaign.entity';
import type { CampaignStatus } from '../campaign.types';
import { counterMoves } from '../ledger-sql';
import type { CompiledCampaignTemplate, RenderLead } from '../templates/campaign-template.types';
import { CampaignTemplatesService } from '../templates/campaign-templates.service';
import { OutcomeTally } from './campaign-metrics';
import { CampaignThrottle } from './campaign-throttle';
import { queryRows } from '../ledger-query';

/** How long one send job runs before it yields its worker to other campaigns. */
export const SLICE_MS = 15_000;
/** Messages one send loop has in flight at once. */
const IN_FLIGHT = 16;
/**
 * Outcomes written per statement. Each statement also moves the campaign's
 * counters (one hot row shared by every send loop), so fewer, larger groups
 * are cheaper; a killed worker leaves at most a group plus what was in flight
 * sent-but-unrecorded per loop (re-sent with the same Message-ID).
 */
const RECORD_GROUP = 50;
const MAX_BACKOFF_MS = 5 * 60_000;

export type SlotResult = { kind: 'done' } | { kind: 'again'; delayMs: number };

interface Claimed {
  id: string;
  leadId: string;
  address: string;
  attempts: number;
}

interface Outcome {
  id: string;
  status: 'sent' | 'queued' | 'failed' | 'bounced' | 'skipped';
  providerMessageId: string | null;
  error: string | null;
  retryMs: number;
  /** A throttled answer does not use up an attempt. */
  uncount: boolean;
}

interface SendContext {
  campaign: Campaign;
  compiled: CompiledCampaignTemplate;
  from: string;
}

/** The highest id of some claimed rows (uuids order as their lower-case text). */
function lastId(rows: readonly Claimed[]): string {
  let max = rows[0].id;
  for (const r of rows) if (r.id > max) max = r.id;
  return max;
}

const renderLead = ({ ineligible: _ineligible, ...lead }: SendingLead): RenderLead => lead;

class NoContent extends Error {}

/**
 * Ledger writes of the send loop commit without waiting for the WAL flush
 * (synchronous_commit off for that one transaction, set inside the
 * statement). They are many, small, and all touch the campaign's counter
 * row, so waiting for an fsync each time serialized every send loop of a
 * campaign behind the disk. What it risks is only a crash of PostgreSQL
 * itself (not of a worker): the last fraction of a second of outcomes may be
 * lost, and those recipients are claimed and sent again with the same
 * Message-ID, the same window as a worker killed mid-batch. The ledger stays
 * consistent: each statement is still atomic.
 */
const ASYNC_COMMIT = `async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting)`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One send slot of a campaign: claims a batch of ledger rows (FOR UPDATE SKIP
 * LOCKED, with a lease), re-checks eligibility, renders, takes tokens from
 * the throttle, sends, and records outcomes in small groups — each group one
 * statement conditional on the claim token, with the counters. It yields
 * after a time slice, and stops within a group on pause or cancel.
 */
@Injectable()
export class CampaignSender {
  private readonly logger = new Logger(CampaignSender.name);
  /** Compiled templates per campaign: content does not change while sending. */
  private readonly contexts = new Map<string, Promise<SendContext>>();
  private readonly tally = new OutcomeTally();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly templates: CampaignTemplatesService,
    private readonly fields: LeadFieldsService,
    private readonly organizations: OrganizationsService,
    private readonly leadAudience: LeadAudienceService,
    private readonly suppressions: SuppressionsService,
    private readonly throttle: CampaignThrottle,
    private readonly email: EmailSender,
    private readonly whatsapp: WhatsAppSender,
  ) {}

  async runSlot(campaignId: string, signal: AbortSignal): Promise<SlotResult> {
    const deadline = Date.now() + SLICE_MS;
    const batchSize = this.config.campaigns.batchSize;
    // Where this loop's last claim ended: the next one starts after it (see claim).
    let after: string | null = null;
    for (;;) {
      if (signal.aborted || Date.now() >= deadline) return { kind: 'again', delayMs: 0 };
      const campaign = await this.load(campaignId);
      if (!campaign || campaign.status !== 'sending') {
        this.contexts.delete(campaignId);
        return { kind: 'done' };
      }
      let context: SendContext;
      try {
        context = await this.context(campaign);
      } catch (err) {
        // Only a template that no longer compiles ends the campaign; a database hiccup is retried by the queue.
        if (!(err instanceof ValidationProblem) && !(err instanceof NoContent)) throw err;
        await this.fail(campaignId, `The template no longer renders: ${err.message}`);
        return { kind: 'done' };
      }
      const take = await this.throttle.take(campaign.organizationId, campaign.channel, batchSize);
      if (take.granted === 0) {
        await sleep(Math.min(take.waitMs, 1_000));
        continue;
      }
      let claimed = await this.claim(campaignId, take.granted, after);
      if (claimed.length === 0 && after !== null) claimed = await this.claim(campaignId, take.granted, null);
      after = claimed.length > 0 ? lastId(claimed) : null;
      if (claimed.length === 0) {
        if (!campaign.materialized) {
          await sleep(200);
          continue;
        }
        const next = await this.nextDue(campaignId);
        if (next !== null) return { kind: 'again', delayMs: Math.max(100, next) };
        await this.complete(campaignId);
        return { kind: 'done' };
      }
      const stopped = await this.sendBatch(context, claimed, signal);
      if (stopped) return { kind: 'done' };
    }
  }

  /** Completes the campaign if nothing is queued or in flight and the audience is written in full. */
  async complete(campaignId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE campaigns c SET status = 'completed', completed_at = now()
       WHERE c.id = $1 AND c.status = 'sending' AND c.materialized
         AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.status IN ('queued', 'sending'))
       RETURNING c.id`,
      [campaignId],
    );
    if (rows.length > 0) this.contexts.delete(campaignId);
    return rows.length > 0;
  }

  /** The campaign cannot go on (its template no longer renders): failed, with the reason. */
  async fail(campaignId: string, error: string): Promise<void> {
    this.contexts.delete(campaignId);
    this.logger.warn(`Campaign ${campaignId} failed: ${error}`);
    await this.dataSource.query(
      `UPDATE campaigns SET status = 'failed', last_error = $2, completed_at = now()
       WHERE id = $1 AND status IN ('scheduled', 'sending', 'paused')`,
      [campaignId, error.slice(0, 2000)],
    );
  }

  private async load(campaignId: string): Promise<Campaign | null> {
    const [row] = await queryRows<Record<string, unknown>>(
      this.dataSource,
      `SELECT id, organization_id, name, channel, status, content, materialized FROM campaigns WHERE id = $1`,
      [campaignId],
    );
    if (!row) return null;
    return {
      id: row.id,
      organizationId: row.organization_id,
      name: row.name,
      channel: row.channel,
      status: row.status,
      content: row.content,
      materialized: row.materialized,
    } as Campaign;
  }

  private context(campaign: Campaign): Promise<SendContext> {
    let context = this.contexts.get(campaign.id);
    if (!context) {
      context = this.compile(campaign);
      context.catch(() => this.contexts.delete(campaign.id));
      this.contexts.set(campaign.id, context);
      if (this.contexts.size > 1000) this.contexts.delete(this.contexts.keys().next().value as string);
    }
    return context;
  }

  private async compile(campaign: Campaign): Promise<SendContext> {
    const [org, fields] = await Promise.all([
      this.organizations.get(campaign.organizationId),
      this.fields.validatorFor(campaign.organizationId),
    ]);
    const content = campaign.channel === 'email' ? campaign.content.email : campaign.content.whatsapp;
    if (!content) throw new NoContent(`the campaign has no ${campaign.channel} content`);
    const compiled = this.templates.compile(campaign.channel, content, {
      organizationName: org.name,
      campaignName: campaign.name,
      customFieldKeys: [...fields.keys],
    });
    const email = campaign.content.email;
    const from = fromMailbox(
      email?.fromName ?? this.config.email.fromName,
      email?.fromEmail ?? this.config.email.fromAddress,
    );
    return { campaign, compiled, from };
  }

  /**
   * Claims up to `limit` due rows for this process: one statement, committed
   * before anything is sent. It starts after `after` (the last row this loop
   * claimed): a claim moves rows out of the index range of queued rows, but
   * their old entries stay in it until vacuum, so a scan from the start walks
   * over every row claimed so far, and a claim cost grew with the campaign
   * (141 us of PostgreSQL CPU per row at 100,000 recipients, against 50 from
   * the cursor: bench/ledger-writes.mjs --no-cursor). Rows before the cursor
   * (released by another loop, or due for a retry) are found by the claim
   * from the start that runs when nothing is left after it.
   */
  private async claim(
    campaignId: string,
    limit: number,
    after: string | null,
  ): Promise<Claimed[] & { token?: string }> {
    const token = randomUUID();
    const rows = await queryRows<Claimed>(
      this.dataSource,
      `WITH ${ASYNC_COMMIT}, picked AS (
         SELECT id FROM campaign_recipients
         WHERE campaign_id = $1 AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
           ${after === null ? '' : 'AND id > $5::uuid'}
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE campaign_recipients r
       SET status = 'sending', claim_token = $3, claimed_until = now() + make_interval(secs => $4),
           attempts = r.attempts + 1, updated_at = now()
       FROM picked, async_commit WHERE r.id = picked.id
       RETURNING r.id, r.lead_id AS "leadId", r.address, r.attempts`,
      [campaignId, limit, token, this.config.campaigns.leaseSeconds, ...(after === null ? [] : [after])],
    );
    return Object.assign(rows, { token });
  }

  /** ms until the next queued row is due, or null when nothing is queued. */
  private async nextDue(campaignId: string): Promise<number | null> {
    const [row] = await queryRows<{ ms: number | null; any: boolean }>(
      this.dataSource,
      `SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::int AS ms, count(*) > 0 AS any
       FROM campaign_recipients WHERE campaign_id = $1 AND status = 'queued'`,
      [campaignId],
    );
    if (!row?.any) return null;
    return row.ms ?? 0;
  }

  /** Sends a claimed batch; true when the campaign stopped being `sending` meanwhile. */
  private async sendBatch(context: SendContext, claimed: Claimed[] & { token?: string }, signal: AbortSignal) {
    const token = claimed.token as string;
    const { campaign } = context;
    const leads = await this.leadAudience.forSending(
      campaign.organizationId,
      claimed.map((r) => r.leadId),
      this.suppressions.eligibilityParts(campaign.channel),
    );
    const pending: Outcome[] = [];
    let status: CampaignStatus = 'sending';
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      const group = pending.splice(0, pending.length);
      if (group.length === 0) return flushing;
      flushing = flushing.then(async () => {
        this.tally.flush();
        const now = await this.record(campaign.id, token, group);
        if (now !== null) status = now;
      });
      return flushing;
    };
    let next = 0;
    const lane = async () => {
      while (status === 'sending' && !signal.aborted) {
        const row = claimed[next++];
        if (!row) return;
        pending.push(await this.sendOne(context, row, leads.get(row.leadId)));
        if (pending.length >= RECORD_GROUP) await flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, claimed.length) }, lane));
    await flush();
    const unsent = claimed.slice(Math.min(next, claimed.length)).map((r) => r.id);
    if (unsent.length > 0) await this.release(campaign.id, token, unsent);
    return status !== 'sending';
  }

  private async sendOne(context: SendContext, row: Claimed, lead: SendingLead | undefined): Promise<Outcome> {
    const { campaign, compiled } = context;
    const base = { id: row.id, providerMessageId: null, error: null, retryMs: 0, uncount: false };
    if (!lead || lead.ineligible) {
      this.tally.add(campaign.channel, 'skipped');
      return { ...base, status: 'skipped', error: lead?.ineligible ?? 'the lead no longer exists' };
    }
    let outcome: SendOutcome;
    try {
      const meta = { organizationId: campaign.organizationId, campaignId: campaign.id, recipientId: row.id };
      if (campaign.channel === 'email') {
        const r = compiled.renderEmail(renderLead(lead), { id: row.id, campaignId: campaign.id });
        const email = campaign.content.email;
        outcome = await this.email.send(
          {
            to: row.address,
            from: context.from,
            replyTo: email?.replyTo ?? null,
            subject: r.subject,
            html: r.html,
            text: r.text,
            headers: r.headers,
            messageId: r.messageId,
          },
          meta,
        );
      } else {
        const wa = campaign.content.whatsapp;
        const r = compiled.renderWhatsApp(renderLead(lead));
        outcome = await this.whatsapp.send(
          {
            to: row.address,
            templateName: wa?.templateName ?? '',
            language: wa?.language ?? 'en',
            bodyParameters: r.bodyParameters,
            headerParameters: r.headerParameters,
            callbackData: row.id,
          },
          meta,
        );
      }
    } catch (err) {
      outcome = { ok: false, kind: 'transient', error: (err as Error).message };
    }
    return this.outcomeOf(campaign, row, outcome);
  }

  private outcomeOf(campaign: Campaign, row: Claimed, outcome: SendOutcome): Outcome {
    const channel = campaign.channel;
    const base = { id: row.id, providerMessageId: null, retryMs: 0, uncount: false };
    if (outcome.ok) {
      this.tally.add(channel, 'sent');
      return { ...base, status: 'sent', providerMessageId: outcome.providerMessageId, error: null };
    }
    const error = outcome.error.slice(0, 1000);
    if (outcome.kind === 'throttled') {
      this.tally.add(channel, 'throttled');
      void this.throttle.throttled(campaign.organizationId, channel).catch(() => undefined);
      return { ...base, status: 'queued', error, retryMs: outcome.retryAfterMs ?? 1_000, uncount: true };
    }
    if (outcome.kind === 'transient') {
      if (row.attempts >= this.config.campaigns.maxAttempts) {
        this.tally.add(channel, 'failed');
        return { ...base, status: 'failed', error: `gave up after ${row.attempts} attempts: ${error}` };
      }
      this.tally.add(channel, 'retry');
      const backoff = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (row.attempts - 1));
      return { ...base, status: 'queued', error, retryMs: backoff + Math.floor(Math.random() * 250) };
    }
    if (outcome.bounce) {
      this.tally.add(channel, 'bounced');
      void this.suppressions
        .suppress(campaign.organizationId, channel, row.address, 'hard_bounce', {
          campaignId: campaign.id,
          leadId: row.leadId,
          detail: error,
        })
        .catch((err: Error) => this.logger.warn(`Could not suppress a bounced address: ${err.message}`));
      return { ...base, status: 'bounced', error };
    }
    this.tally.add(channel, 'failed');
    return { ...base, status: 'failed', error };
  }

  /**
   * Writes a group of outcomes: only rows this claim still holds (a worker
   * that lost its lease writes nothing), counters in the same statement.
   * Engagement that arrived before the row was recorded (a fast webhook) is
   * folded in. Returns the campaign's status now.
   */
  private async record(campaignId: string, token: string, group: Outcome[]): Promise<CampaignStatus | null> {
    const rows = await queryRows<{ status: CampaignStatus }>(
      this.dataSource,
      `WITH ${ASYNC_COMMIT}, o AS (
         SELECT * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::boolean[])
           AS o(id, status, pmid, error, retry_ms, uncount)),
       rel AS (
         UPDATE campaign_recipients r SET
           status = CASE WHEN o.status <> 'sent' THEN o.status
                         WHEN r.clicked_at IS NOT NULL THEN 'clicked' WHEN r.opened_at IS NOT NULL THEN 'opened'
                         WHEN r.delivered_at IS NOT NULL THEN 'delivered' ELSE 'sent' END,
           provider_message_id = coalesce(o.pmid, r.provider_message_id),
           error = o.error,
           sent_at = CASE WHEN o.status = 'sent' THEN coalesce(r.sent_at, now()) ELSE r.sent_at END,
           next_attempt_at = CASE WHEN o.status = 'queued' THEN now() + make_interval(secs => o.retry_ms / 1000.0) END,
           attempts = CASE WHEN o.uncount THEN greatest(r.attempts - 1, 0) ELSE r.attempts END,
           claim_token = NULL, claimed_until = NULL, updated_at = now()
         FROM o WHERE r.id = o.id AND r.claim_token = $2 AND r.status = 'sending'
         RETURNING 'sending'::text AS before, r.status AS after)
       UPDATE campaigns SET ${counterMoves('rel', 'rel.before', 'rel.after')}
       FROM async_commit WHERE id = $1 RETURNING status`,
      [
        campaignId,
        token,
        group.map((o) => o.id),
        group.map((o) => o.status),
        group.map((o) => o.providerMessageId),
        group.map((o) => o.error),
        group.map((o) => o.retryMs),
        group.map((o) => o.uncount),
      ],
    );
    return rows[0]?.status ?? null;
  }

  /** Hands back claimed rows that were not sent (pause, cancel, shutdown): queued again, or cancelled. */
  private async release(campaignId: string, token: string, ids: string[]): Promise<void> {
    await this.dataSource.query(
      `WITH c AS (SELECT status FROM campaigns WHERE id = $1),
       rel AS (
         UPDATE campaign_recipients r SET
           status = CASE WHEN (SELECT status FROM c) = 'cancelled' THEN 'cancelled' ELSE 'queued' END,
           attempts = greatest(r.attempts - 1, 0), claim_token = NULL, claimed_until = NULL, updated_at = now()
         WHERE r.id = ANY($3::uuid[]) AND r.claim_token = $2 AND r.status = 'sending'
         RETURNING 'sending'::text AS before, r.status AS after)
       UPDATE campaigns SET ${counterMoves('rel', 'rel.before', 'rel.after')} WHERE id = $1`,
      [campaignId, token, ids],
    );
  }
}
