import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { TasksModule } from '../tasks/tasks.module';
import { UsersModule } from '../users/users.module';
import { LeadBulkService } from './lead-bulk.service';
import { LeadActivitiesService } from './lead-activities.service';
import { LeadActivity } from './lead-activity.entity';
import { Lead } from './lead.entity';
import { SavedView } from './saved-view.entity';
import { SavedViewsController } from './saved-views.controller';
import { SavedViewsService } from './saved-views.service';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';
import { LeadExportService } from './lead-export.service';
import { LeadImportService } from './lead-import.service';
import { LeadExportsController, LeadImportsController } from './lead-imports.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Lead, LeadActivity, SavedView]), AuditModule, UsersModule, TasksModule],
  controllers: [LeadsController, SavedViewsController, LeadImportsController, LeadExportsController],
  providers: [
    LeadsService,
    LeadActivitiesService,
    SavedViewsService,
    LeadBulkService,
    LeadImportService,
    LeadExportService,
  ],
  exports: [LeadsService],
})
export class LeadsModule {}
