import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { TasksJobsModule, TasksModule } from '../tasks/tasks.module';
import { LeadBulkHandler } from './lead-bulk.handler';
import { LeadExportHandler } from './lead-export.handler';
import { LeadImportHandler } from './lead-import.handler';
import { UsersModule } from '../users/users.module';
import { LeadBulkService } from './lead-bulk.service';
import { LeadActivitiesService } from './lead-activities.service';
import { LeadActivity } from './lead-activity.entity';
import { LeadAudienceService } from './lead-audience.service';
import { LeadDuplicatesService } from './lead-duplicates.service';
import { LeadMergeController } from './lead-merge.controller';
import { LeadMergeService } from './lead-merge.service';
import { LeadFieldDefinition } from './lead-field-definition.entity';
import { LeadFieldsController } from './lead-fields.controller';
import { LeadFieldsService } from './lead-fields.service';
import { LeadScoringService } from './lead-scoring.service';
import { Lead } from './lead.entity';
import { LeadsProcessor } from './leads.processor';
import { SavedView } from './saved-view.entity';
import { SavedViewsController } from './saved-views.controller';
import { SavedViewsService } from './saved-views.service';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';
import { LeadExportService } from './lead-export.service';
import { LeadImportService } from './lead-import.service';
import { LeadExportsController, LeadImportsController } from './lead-imports.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Lead, LeadActivity, SavedView, LeadFieldDefinition]),
    AuditModule,
    UsersModule,
    TasksModule,
  ],
  controllers: [
    LeadsController,
    LeadMergeController,
    SavedViewsController,
    LeadFieldsController,
    LeadImportsController,
    LeadExportsController,
  ],
  providers: [
    LeadsService,
    LeadActivitiesService,
    SavedViewsService,
    LeadBulkService,
    LeadDuplicatesService,
    LeadMergeService,
    LeadFieldsService,
    LeadScoringService,
    LeadImportService,
    LeadExportService,
    LeadAudienceService,
  ],
  exports: [LeadsService, LeadFieldsService, LeadScoringService, LeadActivitiesService, LeadAudienceService],
})
export class LeadsModule {}

/**
 * Where lead jobs run (the worker, or the embedded API): the leads queue's
 * processor (rescoring) and the handlers of the lead tasks (bulk changes,
 * imports, exports) that the tasks queue's processor calls.
 */
@Module({
  imports: [TasksJobsModule, TypeOrmModule.forFeature([Lead, LeadActivity, LeadFieldDefinition])],
  providers: [LeadsProcessor, LeadScoringService, LeadBulkHandler, LeadImportHandler, LeadExportHandler],
})
export class LeadsJobsModule {}
