import { OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JobLike, JobProcessor } from '../../queue/job';
import { DEFAULT_JOB_OPTIONS, QueueName } from '../../queue/queue-names';
import { QueueProcessor } from '../../queue/queue-processor';
import { FileStore } from './file-store.service';
import {
  TASK_HANDLER_KIND,
  TaskCancelled,
  TaskContext,
  TaskFailure,
  TaskInterrupted,
  TaskProgress,
  TaskRunner,
} from './task-handler';
import { TasksService } from './tasks.service';

export const FILES_CLEANUP_JOB = 'files.cleanup';

/**
 * The tasks queue's one processor: finds the handler of the job's kind and
 * runs it with a context that reports progress to the task row. Jobs carry
 * only the task id; everything else is read from the database, so a retried
 * or re-queued job resumes the same task.
 */
/**
 * A worker killed mid-task loses its lock: after `lockDuration` another
 * worker's stall check (every `stalledInterval`) hands the job on, and it
 * resumes from the task's checkpoint. Tasks are long and resumable, so a
 * job may stall many times before BullMQ gives up on it.
 */
@JobProcessor(QueueName.Tasks, { lockDuration: 20_000, stalledInterval: 10_000, maxStalledCount: 10 })
export class TasksProcessor extends QueueProcessor implements OnApplicationShutdown {
  private handlerMap?: Map<string, TaskRunner>;
  private readonly stopping = new AbortController();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly tasks: TasksService,
    private readonly files: FileStore,
  ) {
    super();
  }

  /**
   * Handlers by kind, found on first use. BullMQ's worker starts taking jobs
   * during module init, before bootstrap hooks run, so a job already waiting
   * when the worker starts can arrive first; every provider is instantiated
   * by then, so the lookup is complete whenever it happens.
   */
  private get handlers(): Map<string, TaskRunner> {
    if (!this.handlerMap) {
      this.handlerMap = new Map();
      for (const wrapper of this.discovery.getProviders()) {
        const kind = wrapper.metatype
          ? (Reflect.getMetadata(TASK_HANDLER_KIND, wrapper.metatype) as string | undefined)
          : undefined;
        if (kind && wrapper.instance) this.handlerMap.set(kind, wrapper.instance as TaskRunner);
      }
    }
    return this.handlerMap;
  }

  onApplicationShutdown(): void {
    this.stopping.abort();
  }

  /** Kinds this process can run. */
  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  protected async handle(job: JobLike): Promise<unknown> {
    if (job.name === FILES_CLEANUP_JOB) return { removed: await this.files.removeExpired() };
    const { taskId } = job.data as { taskId: string };
    const handler = this.handlers.get(job.name);
    if (!handler) {
      await this.tasks.fail(taskId, `No handler for tasks of kind "${job.name}"`);
      return { failed: 'no handler' };
    }
    const task = await this.tasks.begin(taskId);
    if (!task) return { skipped: 'finished or cancelled' };

    const signal = this.stopping.signal;
    const context: TaskContext = {
      task,
      signal,
      report: async (progress: TaskProgress, manager) => {
        if (signal.aborted) throw new TaskInterrupted();
        if (!(await this.tasks.report(task.id, progress, manager))) throw new TaskCancelled();
      },
    };
    try {
      const result = await handler.run(context);
      await this.tasks.finish(task.id, result ?? null);
      return { taskId: task.id };
    } catch (err) {
      if (err instanceof TaskCancelled) return { cancelled: task.id };
      if (err instanceof TaskFailure) {
        await this.tasks.fail(task.id, err.message);
        return { failed: err.message };
      }
      const attempts = job.opts?.attempts ?? DEFAULT_JOB_OPTIONS.attempts;
      if (!(err instanceof TaskInterrupted) && job.attemptsMade + 1 >= attempts) {
        await this.tasks.fail(task.id, `Gave up after ${attempts} attempts: ${(err as Error).message}`);
      }
      throw err;
    }
  }
}
