import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { DependencyProbes } from '../health/dependency-probes.service';
import { ProbeResult, round, worst } from '../health/probe-result';
import { systemResources } from '../health/system-resources';
import { ServiceHealthDto, ServiceName, SystemHealthDto } from './dto/system-health.dto';
import { SystemInfoDto } from './dto/system-info.dto';
import { HeartbeatService } from './heartbeat.service';
import { readPackageVersion } from './version';

const LABELS: Record<ServiceName, string> = {
  [ServiceName.Database]: 'Database',
  [ServiceName.Cache]: 'Cache',
  [ServiceName.Queue]: 'Job queue',
  [ServiceName.Kapa]: 'Kapa.ai',
  [ServiceName.AiProvider]: 'AI assistant',
  [ServiceName.Email]: 'Email (SMTP)',
  [ServiceName.WhatsApp]: 'WhatsApp',
};

@Injectable()
export class SystemService {
  private readonly startedAt = new Date();
  private readonly version = readPackageVersion();

  constructor(
    private readonly probes: DependencyProbes,
    private readonly heartbeats: HeartbeatService,
    private readonly config: AppConfig,
  ) {}

  async health(): Promise<SystemHealthDto> {
    const started = performance.now();
    const [database, cache, queue, kapa, email, resources] = await Promise.all([
      this.probes.database(),
      this.probes.cache(),
      this.probes.queue(),
      this.probes.kapa(),
      this.probes.email(),
      systemResources(this.config.dataDir),
    ]);
    const [aiProvider, heartbeat] = await Promise.all([
      this.probes.aiProvider(kapa),
      this.heartbeats.latest().catch(() => null),
    ]);
    if (heartbeat) {
      queue.details.lastHeartbeatAt = heartbeat.recordedAt.toISOString();
      queue.details.lastHeartbeatBy = `${heartbeat.hostname}:${heartbeat.pid}`;
    }
    const services = [
      service(ServiceName.Database, database),
      service(ServiceName.Cache, cache),
      service(ServiceName.Queue, queue),
      service(ServiceName.Kapa, kapa),
      service(ServiceName.AiProvider, aiProvider),
      service(ServiceName.Email, email),
      service(ServiceName.WhatsApp, this.probes.whatsapp()),
    ];
    return {
      status: worst(services.filter((s) => s.configured).map((s) => s.status)),
      checkedAt: new Date().toISOString(),
      durationMs: round(performance.now() - started),
      services,
      resources,
    };
  }

  info(): SystemInfoDto {
    const { config } = this;
    return {
      name: 'meridian',
      version: this.version,
      commit: config.gitCommit ?? null,
      profile: config.profile,
      environment: config.env,
      nodeVersion: process.version,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      components: {
        database: config.databaseUrl ? 'postgresql' : 'embedded-pglite',
        queue: config.redisUrl ? 'bullmq' : 'inline',
        cache: config.redisUrl ? 'redis' : 'memory',
        assistant: config.kapa.configured ? 'kapa' : 'local-docs',
      },
      features: {
        kapa: config.kapa.configured,
        kapaWidget: config.kapa.widgetEnabled,
        distributedJobs: Boolean(config.redisUrl),
        metrics: true,
        console: config.serveConsole,
      },
      capabilities: ['health', 'readiness', 'metrics', 'openapi', 'problem-json', 'request-id', 'background-jobs'],
    };
  }
}

function service(name: ServiceName, probe: ProbeResult): ServiceHealthDto {
  return { name, label: LABELS[name], ...probe };
}
