import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiConfiguration, TaskDto, cancelTask, getTask } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

export const FINISHED_TASK_STATUSES: readonly TaskDto['status'][] = ['succeeded', 'failed', 'cancelled'];

export function isFinished(task: Pick<TaskDto, 'status'>): boolean {
  return FINISHED_TASK_STATUSES.includes(task.status);
}

/** Polling period: quick while a task is young, slower once it has run a while. */
export function pollDelayMs(elapsedMs: number): number {
  return elapsedMs < 30_000 ? 1_000 : elapsedMs < 300_000 ? 2_000 : 5_000;
}

/**
 * Follows one background task (import, export, bulk change) until it
 * finishes: polls `GET /api/tasks/{id}`, keeps the last answer in a signal,
 * and stops when the task is done or the owner is destroyed. A failed poll
 * keeps the last known state and tries again.
 */
@Injectable()
export class TaskWatcher {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly _task = signal<TaskDto | null>(null);
  private readonly _error = signal<ApiProblem | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  readonly task = this._task.asReadonly();
  /** Why the last poll failed (the last known state stays shown). */
  readonly error = this._error.asReadonly();
  readonly finished = computed(() => {
    const task = this._task();
    return task !== null && isFinished(task);
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Starts following a task; `initial` (e.g. the 202 answer) is shown at once. */
  watch(id: string, initial?: TaskDto): void {
    this.stop();
    const generation = ++this.generation;
    this._task.set(initial ?? null);
    this._error.set(null);
    const started = Date.now();
    const poll = async (): Promise<void> => {
      try {
        const task = await firstValueFrom(
          getTask(this.http, this.apiConfig.rootUrl, { id }).pipe(map((response) => response.body)),
        );
        if (generation !== this.generation) {
          return;
        }
        this._task.set(task);
        this._error.set(null);
        if (isFinished(task)) {
          return;
        }
      } catch (error: unknown) {
        if (generation !== this.generation) {
          return;
        }
        this._error.set(toApiProblem(error));
      }
      this.timer = setTimeout(() => void poll(), pollDelayMs(Date.now() - started));
    };
    void poll();
  }

  async cancel(): Promise<void> {
    const task = this._task();
    if (!task || isFinished(task)) {
      return;
    }
    const updated = await firstValueFrom(
      cancelTask(this.http, this.apiConfig.rootUrl, { id: task.id }).pipe(map((response) => response.body)),
    );
    this._task.set(updated);
  }

  stop(): void {
    this.generation++;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
