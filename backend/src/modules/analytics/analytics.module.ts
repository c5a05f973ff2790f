import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import { OrganizationsModule } from '../organizations/organizations.module';
import {
  AnalyticsCampaignDaily,
  AnalyticsCampaignState,
  AnalyticsFoldState,
  AnalyticsLeadDaily,
  AnalyticsLeadSourceDaily,
  AnalyticsLeadTagDaily,
} from './analytics-rollup.entity';
import { AnalyticsRollupService } from './analytics-rollup.service';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsProcessor, FOLD_EVERY_MS, FOLD_ROLLUPS_JOB } from './analytics.processor';
import { AnalyticsService } from './analytics.service';

const ENTITIES = TypeOrmModule.forFeature([
  AnalyticsLeadDaily,
  AnalyticsLeadSourceDaily,
  AnalyticsLeadTagDaily,
  AnalyticsCampaignDaily,
  AnalyticsCampaignState,
  AnalyticsFoldState,
]);

/** The dashboard and campaign reports (API process). */
@Module({
  imports: [ENTITIES, OrganizationsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnalyticsRollupService],
  exports: [AnalyticsRollupService],
})
export class AnalyticsModule {}

/** The rollup fold and its schedule: imported where jobs run (worker, or the embedded API). */
@Module({
  imports: [ENTITIES],
  providers: [AnalyticsProcessor, AnalyticsRollupService],
})
export class AnalyticsJobsModule implements OnApplicationBootstrap {
  constructor(private readonly queues: JobQueues) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.schedule(QueueName.Analytics, 'fold-rollups', FOLD_EVERY_MS, FOLD_ROLLUPS_JOB, {});
  }
}
