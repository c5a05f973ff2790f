import { Module } from '@nestjs/common';
import { TasksJobsModule } from '../tasks/tasks.module';
import { LeadExportHandler } from './lead-export.handler';
import { LeadImportHandler } from './lead-import.handler';

/** Runs `lead.import` and `lead.export` tasks (through the tasks queue's processor): in the worker, or the embedded API. */
@Module({ imports: [TasksJobsModule], providers: [LeadImportHandler, LeadExportHandler] })
export class LeadImportExportJobsModule {}
