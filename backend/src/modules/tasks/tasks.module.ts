import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import { FileStore } from './file-store.service';
import { FileChunk, StoredFile } from './stored-file.entity';
import { Task } from './task.entity';
import { FilesController, TasksController } from './tasks.controller';
import { FILES_CLEANUP_JOB, TasksProcessor } from './tasks.processor';
import { TasksService } from './tasks.service';

const ENTITIES = TypeOrmModule.forFeature([Task, StoredFile, FileChunk]);

/** Tasks and stored files for the API: start tasks, read progress, download files. */
@Module({
  imports: [ENTITIES],
  controllers: [TasksController, FilesController],
  providers: [TasksService, FileStore],
  exports: [TasksService, FileStore],
})
export class TasksModule {}

/**
 * The tasks queue's processor, for the worker (or the embedded API). Feature
 * job modules import this module and provide their @TaskHandler classes.
 * On start it re-queues unfinished tasks, so a task whose process died
 * resumes from its checkpoint, and it schedules the hourly file cleanup.
 */
@Module({
  imports: [ENTITIES, DiscoveryModule],
  providers: [TasksService, FileStore, TasksProcessor],
  exports: [TasksService, FileStore],
})
export class TasksJobsModule implements OnApplicationBootstrap {
  constructor(
    private readonly tasks: TasksService,
    private readonly queues: JobQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tasks.requeueUnfinished();
    await this.queues.schedule(QueueName.Tasks, 'files-cleanup', 3600_000, FILES_CLEANUP_JOB, {});
  }
}
