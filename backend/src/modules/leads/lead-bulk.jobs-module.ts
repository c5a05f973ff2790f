import { Module } from '@nestjs/common';
import { LeadBulkHandler } from './lead-bulk.handler';

/** Runs `lead.bulk` tasks (through the tasks queue's processor): in the worker, or the embedded API. */
@Module({ providers: [LeadBulkHandler] })
export class LeadBulkJobsModule {}
