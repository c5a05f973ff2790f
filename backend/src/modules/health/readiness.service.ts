import { Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { AppConfig } from '../../config/app-config';
import { ALL_QUEUES } from '../../queue/queue-names';
import { ServiceStatus } from '../system/dto/system-health.dto';
import { DependencyProbes } from './dependency-probes.service';
import { diskUsage } from './system-resources';

/**
 * Readiness: can this instance serve traffic now? Database, Redis (when
 * configured), each queue's store, and free disk. Workers being down does
 * not make the API unready: jobs wait in the queue.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probes: DependencyProbes,
    private readonly config: AppConfig,
  ) {}

  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database(),
      ...(this.config.redisUrl ? [() => this.redis()] : []),
      ...ALL_QUEUES.map((queue) => () => this.queue(queue)),
      () => this.disk(),
    ]);
  }

  private async database(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    const result = await this.probes.database();
    return result.status === ServiceStatus.Unhealthy
      ? indicator.down({ message: result.message })
      : indicator.up({ latencyMs: result.latencyMs });
  }

  private async redis(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      return indicator.up({ latencyMs: await this.probes.redisPing() });
    } catch (err) {
      return indicator.down({ message: `Redis did not answer PING: ${(err as Error).message}` });
    }
  }

  private async queue(queue: (typeof ALL_QUEUES)[number]): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(`queue:${queue}`);
    try {
      return indicator.up({ latencyMs: await this.probes.queuePing(queue) });
    } catch (err) {
      return indicator.down({ message: `Queue store did not answer: ${(err as Error).message}` });
    }
  }

  private async disk(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('disk');
    const usage = await diskUsage(this.config.dataDir);
    if (!usage) return indicator.down({ message: `Cannot read disk usage of ${this.config.dataDir}` });
    const minFree = this.config.readyDiskMinFreeBytes;
    return usage.freeBytes >= minFree
      ? indicator.up({ freeBytes: usage.freeBytes })
      : indicator.down({
          message: `Only ${usage.freeBytes} bytes free under ${usage.path}, below ${minFree}`,
          freeBytes: usage.freeBytes,
        });
  }
}
