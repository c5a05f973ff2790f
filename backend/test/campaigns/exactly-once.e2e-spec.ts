import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { spawnBuilt, waitForExit } from '../support/built-server';
import { eventually, ThrowawayRedis } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { CampaignsApi, ledgerCounts, seedLeads, statsWithoutExtras } from './support';

const RECIPIENTS = 20_000;
const SLOTS = 4;
const BATCH = 100;

/**
 * The reliability test of the sending engine: 20,000 recipients, two worker
 * processes (the built dist/backend/worker.js), each killed with SIGKILL
 * once mid-campaign and replaced, and Redis restarted (all queue state lost)
 * in between. Every mailbox of the SMTP sink must hold exactly one message
 * (one Message-ID), nobody may be missing, and the ledger and the counters
 * must say sent for all. Raw SMTP re-sends (a message accepted by the server
 * but not recorded before the kill, re-sent with the same Message-ID) are
 * counted, printed, and bounded by what one worker can have in flight.
 */
describe('exactly once: workers killed with -9, Redis restarted', () => {
  let redis: ThrowawayRedis;
  let sink: SmtpSink;
  let t: TestApp;
  const workers = new Set<ChildProcess>();
  const outputs: (() => string)[] = [];

  let env: Record<string, string>;
  const spawnWorker = () => {
    const { child, output } = spawnBuilt('worker.js', env);
    workers.add(child);
    outputs.push(output);
    child.once('exit', () => workers.delete(child));
    return child;
  };
  const kill = async (child: ChildProcess) => {
    child.kill('SIGKILL');
    await waitForExit(child, 10_000);
  };

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    sink = await new SmtpSink().start();
    // A killed worker's SMTP connections reset: smtp-server reports that as an 'error' event, expected here.
    (sink as unknown as { server: EventEmitter }).server.on('error', () => undefined);
    const engine = {
      CAMPAIGN_EMAIL_RATE_PER_SECOND: '100000',
      CAMPAIGN_SEND_SLOTS: String(SLOTS),
      CAMPAIGN_BATCH_SIZE: String(BATCH),
      CAMPAIGN_LEASE_SECONDS: '6',
      SMTP_POOL_SIZE: '4',
    };
    t = await startTestApp({ REDIS_URL: redis.url, SMTP_URL: sink.url, ...engine });
    env = {
      DATABASE_URL: t.db.url,
      REDIS_URL: redis.url,
      SMTP_URL: sink.url,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: '0',
      WORKER_CONCURRENCY: String(SLOTS + 1),
      DB_POOL_SIZE: '8',
      ...engine,
    };
  });

  afterAll(async () => {
    for (const w of workers) await kill(w);
    await t?.close();
    await sink?.stop();
    await redis?.stop();
  });

  it('delivers every one of 20,000 messages exactly once per mailbox, and says so in the ledger', async () => {
    const c = new CampaignsApi(t, await t.login());
    const [{ id: orgId }] = await t.db.query<{ id: string }>(`SELECT id FROM organizations LIMIT 1`);
    await seedLeads(t, orgId, RECIPIENTS, 'once');
    const campaign = await c.createEmailCampaign({ name: 'Exactly once', audience: { filter: { tag: ['once'] } } });
    const a = spawnWorker();
    const b = spawnWorker();
    const scheduled = await c.call('POST', `/api/campaigns/${campaign.id}/schedule`, {});
    expect(scheduled.body.status).toBe('sending');

    const sentAtLeast = (n: number) =>
      eventually(async () => ((await c.campaign(campaign.id)).stats.sent >= n ? true : undefined), 90_000, 100);
    const events: string[] = [];
    try {
      await sentAtLeast(3_000);
      await kill(a);
      events.push(`killed worker 1 at ${(await c.campaign(campaign.id)).stats.sent} sent`);
      spawnWorker();

      await sentAtLeast(8_000);
      await redis.stop();
      events.push(`Redis stopped at ${(await c.campaign(campaign.id)).stats.sent} sent`);
      await redis.resume();

      await sentAtLeast(13_000);
      await kill(b);
      events.push(`killed worker 2 at ${(await c.campaign(campaign.id)).stats.sent} sent`);
      spawnWorker();

      await c.waitFor(campaign.id, 'completed', 100_000);
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\n${events.join('\n')}\n--- workers ---\n${outputs.map((o) => o().slice(-2000)).join('\n---\n')}`,
      );
    }

    // Every mailbox: one message (one Message-ID), however many times the server accepted it.
    const byMailbox = new Map<string, Set<string>>();
    for (const m of sink.messages)
      for (const to of m.envelopeTo) {
        const ids = byMailbox.get(to) ?? new Set<string>();
        ids.add(m.messageId ?? '');
        byMailbox.set(to, ids);
      }
    expect(byMailbox.size).toBe(RECIPIENTS);
    const withMoreThanOne = [...byMailbox.entries()].filter(([, ids]) => ids.size !== 1);
    expect(withMoreThanOne).toEqual([]);
    const expected = new Set(
      (await t.db.query<{ email: string }>(`SELECT email FROM leads WHERE 'once' = ANY(tags)`)).map((r) => r.email),
    );
    expect([...expected].filter((e) => !byMailbox.has(e))).toEqual([]);

    // The ledger says sent for all, each with its Message-ID, and the counters equal the ledger.
    const ledger = await ledgerCounts(t, campaign.id);
    expect(ledger).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS, remaining: 0, failed: 0 });
    const done = await c.campaign(campaign.id);
    expect(statsWithoutExtras(done.stats)).toEqual(ledger);
    const [mismatch] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM campaign_recipients r JOIN leads l ON l.id = r.lead_id
       WHERE r.campaign_id = $1 AND (r.status <> 'sent' OR r.provider_message_id NOT LIKE '<' || r.id || '@%')`,
      [campaign.id],
    );
    expect(mismatch.n).toBe(0);

    // The one window: accepted by the server, not yet recorded when the worker died.
    const resends = sink.accepted - RECIPIENTS;
    process.stdout.write(
      `exactly-once: ${RECIPIENTS} recipients, ${sink.accepted} SMTP deliveries, ${resends} raw re-sends ` +
        `(same Message-ID); ${events.join('; ')}\n`,
    );
    expect(resends).toBeGreaterThanOrEqual(0);
    // At most what a killed worker had claimed: its slots' batches, per kill.
    expect(resends).toBeLessThanOrEqual(2 * SLOTS * BATCH);
  }, 150_000);
});
