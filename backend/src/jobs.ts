import { AnalyticsJobsModule } from './modules/analytics/analytics.module';
import { CampaignsJobsModule } from './modules/campaigns/campaigns.module';
import { ChannelsJobsModule } from './modules/channels/channels.module';
import { LeadsJobsModule } from './modules/leads/leads.module';
import { SystemJobsModule } from './modules/system/system.module';
import { TasksJobsModule } from './modules/tasks/tasks.module';

/**
 * Modules that hold processors. Imported by the worker process, and by the
 * API itself in the embedded profile (inline jobs). Never by a production API.
 */
export const JOB_MODULES = [
  SystemJobsModule,
  TasksJobsModule,
  LeadsJobsModule,
  ChannelsJobsModule,
  CampaignsJobsModule,
  AnalyticsJobsModule,
];
