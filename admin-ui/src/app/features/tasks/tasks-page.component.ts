import { DatePipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiConfiguration, TaskDto, cancelTask, getTask, listTasks } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { KeysetList } from '../../shared/list/keyset-list';
import { LoadMoreComponent } from '../../shared/list/load-more.component';
import { TaskProgressComponent } from '../../shared/tasks/task-progress.component';
import { isFinished } from '../../shared/tasks/task-watcher';

const PAGE_SIZE = 20;
const REFRESH_MS = 2_000;

/** What the kinds are called on screen. */
export const TASK_KINDS: Readonly<Record<string, string>> = {
  'lead.import': 'Lead import',
  'lead.export': 'Lead export',
  'lead.bulk': 'Bulk change',
};

/**
 * Background tasks (imports, exports, bulk changes) the user may see,
 * newest first; the ones still running refresh by themselves.
 */
@Component({
  selector: 'app-tasks-page',
  imports: [
    DatePipe,
    LoadMoreComponent,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    TaskProgressComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="app-page" [attr.aria-busy]="list.loading()">
      <header class="app-page-header">
        <div>
          <h1>Background tasks</h1>
          <p class="app-page-subtitle">
            Imports, exports and bulk changes, newest first. They keep running when you leave this page, and resume by
            themselves if a worker restarts.
          </p>
        </div>
        <button mat-stroked-button type="button" (click)="list.reload()" data-testid="tasks-refresh">
          <mat-icon svgIcon="refresh" aria-hidden="true" />
          Refresh
        </button>
      </header>

      <div class="progress-slot">
        @if (list.loading()) {
          <mat-progress-bar mode="indeterminate" aria-label="Loading tasks" />
        }
      </div>

      @if (list.error(); as problem) {
        <section class="app-error-panel" role="alert">
          <mat-icon [svgIcon]="problem.unreachable ? 'cloud_off' : 'error'" aria-hidden="true" />
          <div>
            <h2>Could not load the tasks</h2>
            <p>{{ problem.detail || problem.title }}</p>
            <button mat-stroked-button type="button" (click)="list.reload()">Try again</button>
          </div>
        </section>
      }

      @if (list.empty()) {
        <mat-card appearance="outlined" class="app-empty-state" data-testid="tasks-empty">
          <div class="app-empty-icon" aria-hidden="true"><mat-icon svgIcon="task_alt" /></div>
          <h2>No background tasks yet</h2>
          <p>
            Import a CSV file, export leads or change many leads at once from the Leads page: the work shows up here.
          </p>
        </mat-card>
      } @else {
        <ul class="tasks" data-testid="tasks-list">
          @for (task of list.items(); track task.id) {
            <li>
              <mat-card appearance="outlined" [attr.data-task-kind]="task.kind">
                <mat-card-content>
                  <div class="meta">
                    <span class="kind">{{ kindLabel(task.kind) }}</span>
                    <span>
                      {{ task.createdByLabel ?? 'API' }} ·
                      <time [attr.datetime]="task.createdAt">{{ task.createdAt | date: 'MMM d, HH:mm' }}</time>
                      @if (task.finishedAt) {
                        · took {{ duration(task) }}
                      }
                    </span>
                  </div>
                  <app-task-progress [task]="task" [cancelRequested]="canceller(task)" />
                </mat-card-content>
              </mat-card>
            </li>
          }
        </ul>
        <app-load-more [list]="list" noun="tasks" />
      }
    </div>
  `,
  styles: `
    .tasks {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .meta {
      display: flex;
      justify-content: space-between;
      flex-wrap: wrap;
      gap: 4px 16px;
      margin-bottom: 8px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .kind {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-primary);
    }
    .progress-slot {
      height: 4px;
      margin-bottom: 8px;
    }
  `,
})
export class TasksPageComponent implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly refreshing = signal(false);

  protected readonly list = new KeysetList<TaskDto>((cursor) =>
    firstValueFrom(listTasks(this.http, this.apiConfig.rootUrl, { limit: PAGE_SIZE, cursor }).pipe(map((r) => r.body))),
  );
  protected readonly running = computed(() => this.list.items().filter((task) => !isFinished(task)));

  constructor() {
    inject(DestroyRef).onDestroy(() => clearInterval(this.timer));
  }

  ngOnInit(): void {
    void this.list.reload();
    this.timer = setInterval(() => void this.refreshRunning(), REFRESH_MS);
  }

  protected kindLabel(kind: string): string {
    return TASK_KINDS[kind] ?? kind;
  }

  protected duration(task: TaskDto): string {
    const start = Date.parse(task.startedAt ?? task.createdAt);
    const seconds = Math.max(0, Math.round((Date.parse(task.finishedAt ?? task.createdAt) - start) / 1000));
    return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  }

  protected canceller(task: TaskDto): () => Promise<void> {
    return async () => {
      const updated = await firstValueFrom(
        cancelTask(this.http, this.apiConfig.rootUrl, { id: task.id }).pipe(map((r) => r.body)),
      );
      this.list.replace(updated);
    };
  }

  /** Re-reads the unfinished tasks shown; finished ones never change. */
  private async refreshRunning(): Promise<void> {
    const running = this.running();
    if (running.length === 0 || this.refreshing()) {
      return;
    }
    this.refreshing.set(true);
    try {
      for (const task of running) {
        const fresh = await firstValueFrom(
          getTask(this.http, this.apiConfig.rootUrl, { id: task.id }).pipe(map((r) => r.body)),
        );
        this.list.replace(fresh);
      }
    } catch {
      // The next tick tries again; the last known state stays shown.
    } finally {
      this.refreshing.set(false);
    }
  }
}
