import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CacheModule } from './cache/cache.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { DatabaseModule } from './database/database.module';
import { JOB_MODULES } from './jobs';
import { ChannelsApiModule, ChannelsModule } from './modules/channels/channels.module';
import { AuthModule } from './modules/auth/auth.module';
import { CampaignsModule } from './modules/campaigns/campaigns.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { ConsentModule } from './modules/consent/consent.module';
import { ConversationsModule } from './modules/conversations/conversations.module';
import { HealthModule } from './modules/health/health.module';
import { KapaModule } from './modules/kapa/kapa.module';
import { LeadsModule } from './modules/leads/leads.module';
import { SystemModule } from './modules/system/system.module';
import { TasksModule } from './modules/tasks/tasks.module';
import { TrackingModule } from './modules/tracking/tracking.module';
import { MetricsModule } from './observability/metrics.module';
import { createRootLogger, loggerParams, RootLoggerModule } from './observability/logging';
import { QueueModule } from './queue/queue.module';

/** What both processes share: configuration, logs, database, cache, queues. */
export function coreImports(config: AppConfig, options: { runMigrations: boolean }) {
  const rootLogger = createRootLogger(config);
  return [
    ConfigModule.forRoot(config),
    RootLoggerModule.forRoot(rootLogger),
    LoggerModule.forRoot(loggerParams(rootLogger)),
    DatabaseModule.forRoot(config, options),
    CacheModule.forRoot(config),
    QueueModule.forRoot(config),
    // Global: the senders and channel events, in the API and in the worker.
    ChannelsModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreImports(config, { runMigrations: config.migrateOnStart }),
        MetricsModule,
        AuthModule,
        HealthModule,
        SystemModule,
        KapaModule,
        LeadsModule,
        TasksModule,
        CampaignsModule,
        AnalyticsModule,
        ChannelsApiModule,
        ConsentModule,
        TrackingModule,
        ConversationsModule,
        ...(config.redisUrl ? [] : JOB_MODULES),
        // Last: its catch-all route must not shadow the API's.
        ...(config.serveConsole ? [ConsoleModule] : []),
      ],
    };
  }
}
