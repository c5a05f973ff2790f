import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { ProblemException } from '../../common/errors/problem';
import { Page, pageByCreation } from '../../common/pagination';
import { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import type { Actor } from '../auth/actor';
import type { Principal } from '../auth/principal';
import type { TaskProgress } from './task-handler';
import { kindsVisibleTo } from './task-kinds';
import { Task, TaskStatus } from './task.entity';

export interface NewTask {
  kind: string;
  title: string;
  params?: Record<string, unknown>;
  total?: number | null;
}

const UNFINISHED = [TaskStatus.Queued, TaskStatus.Running];

/** Tasks: created by the API, run by the tasks queue's processor, read by the console. */
@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);

  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly queues: JobQueues,
  ) {}

  /**
   * Records the task, then queues it (the job id is the task id, so it is
   * queued once). If the queue is unreachable the task is not kept and the
   * caller gets 503: nothing is half-accepted.
   */
  async start(actor: Actor, input: NewTask, manager?: EntityManager): Promise<Task> {
    const repo = manager?.getRepository(Task) ?? this.tasks;
    const task = await repo.save({
      organizationId: actor.principal.organizationId,
      kind: input.kind,
      title: input.title,
      params: input.params ?? {},
      total: input.total ?? null,
      createdBy: actor.principal.kind === 'user' ? actor.principal.id : null,
      createdByLabel: actor.principal.label,
    });
    try {
      await this.enqueue(task);
    } catch (err) {
      await repo.delete({ id: task.id });
      this.logger.error(`Could not queue task ${task.id}: ${(err as Error).message}`);
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'queue_unavailable',
        'The job queue is not reachable; nothing was started. Try again in a moment.',
      );
    }
    return task;
  }

  enqueue(task: Pick<Task, 'id' | 'kind'>, replaceFinished = false): Promise<{ id: string }> {
    return this.queues.add(QueueName.Tasks, task.kind, { taskId: task.id }, { jobId: task.id, replaceFinished });
  }

  /**
   * Re-queues every unfinished task: after a restart of the embedded profile
   * (jobs were in memory), a lost Redis, or a job BullMQ gave up on (a worker
   * lost too often, or too many shutdowns mid-run) while its task still has
   * work left. A job still waiting or running elsewhere is left alone.
   */
  async requeueUnfinished(): Promise<number> {
    const pending = await this.tasks.find({ where: { status: In(UNFINISHED) }, select: { id: true, kind: true } });
    for (const task of pending) await this.enqueue(task, true);
    return pending.length;
  }

  /** One task the principal may see, or 404. */
  async get(principal: Principal, id: string): Promise<Task> {
    const task = await this.tasks.findOne({ where: { id, organizationId: principal.organizationId } });
    if (!task || !kindsVisibleTo(principal.permissions).includes(task.kind))
      throw new NotFoundException(`No task ${id}`);
    return task;
  }

  async list(
    principal: Principal,
    filter: { kind?: string; status?: TaskStatus },
    limit: number,
    cursor?: string,
  ): Promise<Page<Task>> {
    const kinds = kindsVisibleTo(principal.permissions).filter((k) => !filter.kind || k === filter.kind);
    if (kinds.length === 0) return { items: [], nextCursor: null };
    const qb = this.tasks
      .createQueryBuilder('t')
      .where('t.organization_id = :org', { org: principal.organizationId })
      .andWhere('t.kind IN (:...kinds)', { kinds });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    return pageByCreation(qb, 't', 'DESC', limit, cursor);
  }

  async cancel(principal: Principal, id: string): Promise<Task> {
    const task = await this.get(principal, id);
    if (!UNFINISHED.includes(task.status)) {
      throw new ProblemException(HttpStatus.CONFLICT, 'task_finished', `The task is already ${task.status}.`);
    }
    await this.tasks
      .createQueryBuilder()
      .update()
      .set({ status: TaskStatus.Cancelled, finishedAt: () => 'now()' })
      .where('id = :id AND status IN (:...open)', { id, open: UNFINISHED })
      .execute();
    return this.get(principal, id);
  }

  // ---- used by the processor ----

  /** Marks the task running (one more attempt); null when it is finished or cancelled. */
  async begin(id: string): Promise<Task | null> {
    const result = await this.tasks
      .createQueryBuilder()
      .update()
      .set({
        status: TaskStatus.Running,
        attempts: () => 'attempts + 1',
        startedAt: () => 'coalesce(started_at, now())',
      })
      .where('id = :id AND status IN (:...open)', { id, open: UNFINISHED })
      .returning('id')
      .execute();
    if (!result.affected) return null;
    return this.tasks.findOneByOrFail({ id });
  }

  /** Saves progress (in the caller's transaction if given); false when the task is no longer running. */
  async report(id: string, progress: TaskProgress, manager?: EntityManager): Promise<boolean> {
    const set: Record<string, unknown> = {};
    if (progress.processed !== undefined) set.processed = progress.processed;
    if (progress.total !== undefined) set.total = progress.total;
    if (progress.counts !== undefined) set.counts = progress.counts;
    if (progress.checkpoint !== undefined) set.checkpoint = progress.checkpoint;
    const result = await (manager ?? this.tasks.manager)
      .createQueryBuilder()
      .update(Task)
      .set(set)
      .where('id = :id AND status = :running', { id, running: TaskStatus.Running })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async finish(id: string, result: Record<string, unknown> | null): Promise<void> {
    await this.tasks
      .createQueryBuilder()
      .update()
      .set({ status: TaskStatus.Succeeded, result: result as never, finishedAt: () => 'now()', error: null })
      .where('id = :id AND status = :running', { id, running: TaskStatus.Running })
      .execute();
  }

  async fail(id: string, error: string): Promise<void> {
    await this.tasks
      .createQueryBuilder()
      .update()
      .set({ status: TaskStatus.Failed, error, finishedAt: () => 'now()' })
      .where('id = :id AND status IN (:...open)', { id, open: UNFINISHED })
      .execute();
  }
}
