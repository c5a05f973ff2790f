import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { BullJobQueues } from './bull-job-queues';
import { InlineJobQueues } from './inline-job-queues';
import { JobQueues } from './job-queues';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, QUEUE_PREFIX } from './queue-names';
import { redisConnectionOptions } from './redis-connection';

/**
 * Queues for the whole app. With REDIS_URL: BullMQ (processors run where
 * their modules are imported: the worker process). Without: the inline
 * runner, which calls the same processor classes in this process.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.redisUrl) {
      return {
        module: QueueModule,
        imports: [DiscoveryModule],
        providers: [InlineJobQueues, { provide: JobQueues, useExisting: InlineJobQueues }],
        exports: [JobQueues],
      };
    }
    const redisUrl = config.redisUrl;
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          // Queues (producers) fail fast when Redis is away; workers get their own blocking connections.
          connection: { ...redisConnectionOptions(redisUrl), maxRetriesPerRequest: null },
          prefix: QUEUE_PREFIX,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [
        {
          provide: JobQueues,
          useFactory: (moduleRef: ModuleRef) => new BullJobQueues(moduleRef, redisUrl),
          inject: [ModuleRef],
        },
      ],
      exports: [JobQueues, BullModule],
    };
  }
}
