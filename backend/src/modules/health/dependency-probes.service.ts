import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { CacheService } from '../../cache/cache.service';
import { REDIS } from '../../cache/redis';
import { withTimeout } from '../../common/timeout';
import { AppConfig } from '../../config/app-config';
import { JobQueues } from '../../queue/job-queues';
import { ALL_QUEUES, QueueName } from '../../queue/queue-names';
import { EmailSender } from '../channels/email-sender';
import { WhatsAppSender } from '../channels/whatsapp-sender';
import { KapaClient } from '../kapa/kapa-client';
import { ServiceStatus } from '../system/dto/system-health.dto';
import { ProbeResult, round, SLOW_MS, timed } from './probe-result';

const CHECK_TIMEOUT_MS = 2_000;
/** An SMTP check connects, negotiates TLS and logs in: slower than the others, and kept for a while. */
const SMTP_CHECK_TIMEOUT_MS = 5_000;
const SMTP_CHECK_TTL_MS = 60_000;

function failed(
  configured: boolean,
  latencyMs: number | null,
  message: string,
  details: ProbeResult['details'] = {},
): ProbeResult {
  return { status: ServiceStatus.Unhealthy, configured, latencyMs, message, details };
}

/**
 * Real checks of each dependency, each with a timeout: a query, a cache
 * write and read, a job round trip, a call to Kapa. Shared by readiness and
 * the system health page.
 */
@Injectable()
export class DependencyProbes {
  private smtpCheck?: { at: number; result: ProbeResult };

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cacheService: CacheService,
    private readonly queues: JobQueues,
    private readonly kapaClient: KapaClient,
    private readonly emailSender: EmailSender,
    private readonly whatsAppSender: WhatsAppSender,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  async database(): Promise<ProbeResult> {
    const driver = this.config.databaseUrl ? 'postgresql' : 'embedded-pglite';
    const started = performance.now();
    try {
      const { value, ms } = await timed(() =>
        withTimeout(
          this.dataSource.query<{ version: string }[]>('SELECT version() AS version'),
          CHECK_TIMEOUT_MS,
          `no answer within ${CHECK_TIMEOUT_MS} ms`,
        ),
      );
      const version = /^PostgreSQL [\d.]+/.exec(value[0]?.version ?? '')?.[0] ?? 'PostgreSQL';
      return {
        status: ms > SLOW_MS.database ? ServiceStatus.Degraded : ServiceStatus.Healthy,
        configured: true,
        latencyMs: ms,
        message: ms > SLOW_MS.database ? `${version} answered slowly` : `${version} answered a query`,
        details: { driver, version },
      };
    } catch (err) {
      return failed(true, round(performance.now() - started), `Database query failed: ${(err as Error).message}`, {
        driver,
      });
    }
  }

  async cache(): Promise<ProbeResult> {
    const key = `health:${randomUUID()}`;
    const started = performance.now();
    try {
      const { ms } = await timed(async () => {
        const value = randomUUID();
        await withTimeout(this.cacheService.set(key, value, 10), CHECK_TIMEOUT_MS, 'write timed out');
        const read = await withTimeout(this.cacheService.get(key), CHECK_TIMEOUT_MS, 'read timed out');
        if (read !== value) throw new Error('value read back differs from value written');
        await this.cacheService.delete(key);
      });
      return {
        status: ms > SLOW_MS.cache ? ServiceStatus.Degraded : ServiceStatus.Healthy,
        configured: true,
        latencyMs: ms,
        message:
          this.cacheService.backend === 'redis'
            ? 'Redis write and read succeeded'
            : 'In-memory cache (embedded profile)',
        details: { backend: this.cacheService.backend },
      };
    } catch (err) {
      return failed(true, round(performance.now() - started), `Cache check failed: ${(err as Error).message}`, {
        backend: this.cacheService.backend,
      });
    }
  }

  async queue(): Promise<ProbeResult> {
    const mode = this.queues.mode;
    const started = performance.now();
    try {
      const perQueue = await withTimeout(
        Promise.all(
          ALL_QUEUES.map(async (q) => ({
            q,
            counts: await this.queues.counts(q),
            workers: await this.queues.workers(q),
          })),
        ),
        CHECK_TIMEOUT_MS,
        'queue store did not answer',
      );
      const details: ProbeResult['details'] = { mode, waiting: 0, failed: 0, workers: 0 };
      for (const { q, counts, workers } of perQueue) {
        (details.waiting as number) += counts.waiting;
        (details.failed as number) += counts.failed;
        (details.workers as number) += workers;
        // Per-queue figures only say more than the totals when there are several queues.
        if (perQueue.length > 1) {
          details[`${q}.waiting`] = counts.waiting;
          details[`${q}.failed`] = counts.failed;
          details[`${q}.workers`] = workers;
        }
      }
      try {
        const ms = round(await this.queues.roundTrip(QueueName.System, CHECK_TIMEOUT_MS));
        details.roundTripMs = ms;
        const slow = ms > SLOW_MS.queue;
        return {
          status: slow ? ServiceStatus.Degraded : ServiceStatus.Healthy,
          configured: true,
          latencyMs: ms,
          message: `${mode === 'bullmq' ? 'BullMQ' : 'In-process'} job round trip ${slow ? 'is slow' : 'succeeded'}`,
          details,
        };
      } catch (err) {
        // The store answers but nobody processes: jobs wait, nothing is lost.
        return {
          status: ServiceStatus.Degraded,
          configured: true,
          latencyMs: round(performance.now() - started),
          message: `Jobs are accepted but ${(err as Error).message}: is a worker running?`,
          details,
        };
      }
    } catch (err) {
      return failed(true, round(performance.now() - started), `Queue check failed: ${(err as Error).message}`, {
        mode,
      });
    }
  }

  async kapa(): Promise<ProbeResult> {
    if (!this.kapaClient.configured) {
      return {
        status: ServiceStatus.Healthy,
        configured: false,
        latencyMs: null,
        message: 'Not configured: the help assistant answers from the local documentation',
        details: { widgetEnabled: this.config.kapa.widgetEnabled },
      };
    }
    const check = await this.kapaClient.verifyProject(CHECK_TIMEOUT_MS);
    const details: ProbeResult['details'] = { widgetEnabled: this.config.kapa.widgetEnabled };
    if (check.httpStatus !== null) details.httpStatus = check.httpStatus;
    if (check.projectName) details.project = check.projectName;
    // Kapa down is degraded, not unhealthy: the local docs provider still answers.
    const status = check.ok
      ? check.latencyMs > SLOW_MS.kapa
        ? ServiceStatus.Degraded
        : ServiceStatus.Healthy
      : ServiceStatus.Degraded;
    return { status, configured: true, latencyMs: round(check.latencyMs), message: check.message, details };
  }

  /**
   * The SMTP relay: connect, log in, quit. A failure is degraded, not
   * unhealthy: campaigns retry later. The result is kept a minute, so a
   * status page that polls does not open a connection each time.
   */
  async email(): Promise<ProbeResult> {
    if (this.emailSender.driver !== 'smtp') {
      return {
        status: ServiceStatus.Healthy,
        configured: false,
        latencyMs: null,
        message: 'Not configured: emails are kept in the outbox, not sent',
        details: { driver: this.emailSender.driver, from: this.config.email.fromAddress },
      };
    }
    const now = Date.now();
    if (this.smtpCheck && now - this.smtpCheck.at < SMTP_CHECK_TTL_MS) return this.smtpCheck.result;
    const details: ProbeResult['details'] = {
      driver: 'smtp',
      from: this.config.email.fromAddress,
      poolSize: this.config.email.poolSize,
    };
    const started = performance.now();
    let result: ProbeResult;
    try {
      await withTimeout(
        this.emailSender.verify(),
        SMTP_CHECK_TIMEOUT_MS,
        `no answer within ${SMTP_CHECK_TIMEOUT_MS} ms`,
      );
      result = {
        status: ServiceStatus.Healthy,
        configured: true,
        latencyMs: round(performance.now() - started),
        message: 'The SMTP relay accepted a connection and the login',
        details,
      };
    } catch (err) {
      result = {
        status: ServiceStatus.Degraded,
        configured: true,
        latencyMs: round(performance.now() - started),
        message: `SMTP relay check failed: ${(err as Error).message}`,
        details,
      };
    }
    this.smtpCheck = { at: now, result };
    return result;
  }

  /** WhatsApp: no call to Meta (it has no cheap check); says whether delivery statuses can arrive. */
  whatsapp(): ProbeResult {
    const { whatsapp } = this.config;
    const details: ProbeResult['details'] = {
      driver: this.whatsAppSender.driver,
      webhookSignature: Boolean(whatsapp.appSecret),
    };
    if (this.whatsAppSender.driver !== 'cloud-api') {
      return {
        status: ServiceStatus.Healthy,
        configured: false,
        latencyMs: null,
        message: 'Not configured: WhatsApp messages are kept in the outbox, not sent',
        details,
      };
    }
    details.phoneNumberId = whatsapp.phoneNumberId ?? '';
    return whatsapp.appSecret
      ? {
          status: ServiceStatus.Healthy,
          configured: true,
          latencyMs: null,
          message: 'Cloud API configured; the status webhook checks signatures',
          details,
        }
      : {
          status: ServiceStatus.Degraded,
          configured: true,
          latencyMs: null,
          message: 'WHATSAPP_APP_SECRET is unset: the status webhook refuses every call, so no delivery status arrives',
          details,
        };
  }

  /** The assistant's answering provider: Kapa when it works, else the local docs. */
  async aiProvider(kapa: ProbeResult): Promise<ProbeResult> {
    const started = performance.now();
    const pages = await countMarkdown(this.config.docsDir);
    const latencyMs = round(performance.now() - started);
    if (kapa.configured && kapa.status === ServiceStatus.Healthy) {
      return {
        status: ServiceStatus.Healthy,
        configured: true,
        latencyMs: kapa.latencyMs,
        message: 'Answers come from Kapa.ai',
        details: { provider: 'kapa', fallbackPages: pages },
      };
    }
    if (pages === 0) {
      return {
        status: ServiceStatus.Degraded,
        configured: true,
        latencyMs,
        message: `No documentation found in ${this.config.docsDir}: the assistant has nothing to answer from`,
        details: { provider: 'local-docs', pages },
      };
    }
    return {
      status: ServiceStatus.Healthy,
      configured: true,
      latencyMs,
      message: kapa.configured
        ? `Kapa.ai unavailable: answering from ${pages} local documentation pages`
        : `Answering from ${pages} local documentation pages`,
      details: { provider: 'local-docs', pages },
    };
  }

  /** Redis PING, for readiness. Undefined when Redis is not configured. */
  async redisPing(): Promise<number | undefined> {
    const redis = this.redis;
    if (!redis) return undefined;
    const { ms } = await timed(() =>
      withTimeout(redis.ping(), CHECK_TIMEOUT_MS, `no answer within ${CHECK_TIMEOUT_MS} ms`),
    );
    return ms;
  }

  async queuePing(queue: QueueName): Promise<number> {
    const { ms } = await timed(() =>
      withTimeout(this.queues.ping(queue), CHECK_TIMEOUT_MS, `no answer within ${CHECK_TIMEOUT_MS} ms`),
    );
    return ms;
  }
}

async function countMarkdown(dir: string): Promise<number> {
  try {
    const entries = await fs.readdir(dir, { recursive: true });
    return entries.filter((e) => e.endsWith('.md')).length;
  } catch {
    return 0;
  }
}
