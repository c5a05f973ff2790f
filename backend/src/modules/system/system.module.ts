import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import { HealthModule } from '../health/health.module';
import { HeartbeatService } from './heartbeat.service';
import { SystemHeartbeat } from './system-heartbeat.entity';
import { SystemController } from './system.controller';
import { HEARTBEAT_JOB, SystemProcessor } from './system.processor';
import { SystemService } from './system.service';

@Module({
  imports: [TypeOrmModule.forFeature([SystemHeartbeat]), HealthModule],
  controllers: [SystemController],
  providers: [SystemService, HeartbeatService],
  exports: [HeartbeatService],
})
export class SystemModule {}

/** The system queue's processor and schedule: imported where jobs run (worker, or the embedded API). */
@Module({
  imports: [TypeOrmModule.forFeature([SystemHeartbeat])],
  providers: [SystemProcessor, HeartbeatService],
})
export class SystemJobsModule implements OnApplicationBootstrap {
  constructor(
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.schedule(QueueName.System, 'heartbeat', this.config.heartbeatIntervalMs, HEARTBEAT_JOB, {});
  }
}
