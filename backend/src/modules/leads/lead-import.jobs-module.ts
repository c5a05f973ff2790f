import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TasksJobsModule } from '../tasks/tasks.module';
import { LeadExportHandler } from './lead-export.handler';
import { LeadImportHandler } from './lead-import.handler';
import { LeadFieldDefinition } from './lead-field-definition.entity';
import { LeadScoringService } from './lead-scoring.service';
import { Lead } from './lead.entity';

/** Runs `lead.import` and `lead.export` tasks (through the tasks queue's processor): in the worker, or the embedded API. */
@Module({
  imports: [TasksJobsModule, TypeOrmModule.forFeature([Lead, LeadFieldDefinition])],
  providers: [LeadImportHandler, LeadExportHandler, LeadScoringService],
})
export class LeadImportExportJobsModule {}
