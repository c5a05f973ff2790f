import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { StoredFileDto, TaskDto } from '@meridian/api-client';

import { toApiProblem } from '../../core/http/api-problem';
import { formatBytes } from '../format/format';
import { StatusChipComponent, StatusTone } from '../status-chip/status-chip.component';
import { FileDownloader } from './file-download';
import { isFinished } from './task-watcher';

const STATUS: Record<TaskDto['status'], { label: string; tone: StatusTone }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'degraded' },
  succeeded: { label: 'Done', tone: 'healthy' },
  failed: { label: 'Failed', tone: 'unhealthy' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

/** The order counters are shown in; others follow in the API's order. */
const COUNT_ORDER = ['created', 'updated', 'changed', 'exported', 'skipped', 'unchanged', 'failed'];

export function orderedCounts(counts: Record<string, number>): { key: string; value: number }[] {
  const rank = (key: string) => {
    const i = COUNT_ORDER.indexOf(key);
    return i === -1 ? COUNT_ORDER.length : i;
  };
  return Object.entries(counts)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => rank(a.key) - rank(b.key));
}

/**
 * One background task as people want to see it: what it is, a progress bar
 * (determinate once the total is known), the counters so far, why it failed,
 * and the files it produced, with cancel while it runs.
 */
@Component({
  selector: 'app-task-progress',
  imports: [DecimalPipe, MatButtonModule, MatIconModule, MatProgressBarModule, StatusChipComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let t = task();
    <div class="head">
      <span class="title">{{ t.title }}</span>
      <app-status-chip [tone]="status().tone" [label]="status().label" data-testid="task-status" />
    </div>
    <mat-progress-bar
      [mode]="barMode()"
      [value]="t.percent ?? 0"
      [attr.aria-label]="t.title + ' progress'"
      data-testid="task-progress-bar"
    />
    <div class="numbers">
      <span data-testid="task-percent">
        @if (t.percent !== null) {
          {{ t.percent }} %
        }
        @if (t.total !== null) {
          · {{ t.processed | number }} of {{ t.total | number }}
        } @else if (t.processed > 0) {
          · {{ t.processed | number }} so far
        }
      </span>
      @for (count of counts(); track count.key) {
        <span class="count count-{{ count.key }}" [attr.data-testid]="'task-count-' + count.key">
          {{ count.value | number }} {{ count.key }}
        </span>
      }
      @if (t.attempts > 1) {
        <span class="resumed" title="The task was interrupted and carried on where it stopped">
          resumed {{ t.attempts - 1 }}×
        </span>
      }
    </div>
    @if (t.error) {
      <p class="error" role="alert" data-testid="task-error">{{ t.error }}</p>
    }
    @if (downloadError()) {
      <p class="error" role="alert">{{ downloadError() }}</p>
    }
    @if (t.files.length > 0 || cancellable()) {
      <div class="actions">
        @for (file of t.files; track file.id) {
          <button
            mat-stroked-button
            type="button"
            (click)="download(file)"
            [attr.data-testid]="'task-file-' + file.purpose"
          >
            <mat-icon svgIcon="file_download" aria-hidden="true" />
            {{ file.name }} ({{ size(file) }})
          </button>
        }
        @if (cancellable()) {
          <button mat-button type="button" (click)="cancel()" data-testid="task-cancel">
            <mat-icon svgIcon="cancel" aria-hidden="true" />
            Cancel
          </button>
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
    }
    .title {
      font: var(--mat-sys-title-small);
    }
    .numbers {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .count-failed {
      color: var(--mat-sys-error);
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class TaskProgressComponent {
  private readonly downloader = inject(FileDownloader);

  readonly task = input.required<TaskDto>();
  /** Called when the user asks to cancel; the owner (who polls) does it. */
  readonly cancelRequested = input<(() => Promise<void>) | null>(null);

  protected readonly downloadError = signal<string | null>(null);
  protected readonly status = computed(() => STATUS[this.task().status]);
  protected readonly counts = computed(() => orderedCounts(this.task().counts));
  protected readonly cancellable = computed(() => !isFinished(this.task()) && this.cancelRequested() !== null);
  protected readonly barMode = computed(() => {
    const task = this.task();
    if (task.status === 'queued') {
      return 'query';
    }
    return task.percent === null && !isFinished(task) ? 'indeterminate' : 'determinate';
  });

  protected size(file: StoredFileDto): string {
    return formatBytes(file.size);
  }

  protected async download(file: StoredFileDto): Promise<void> {
    this.downloadError.set(null);
    try {
      await this.downloader.save(file);
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.downloadError.set(`Could not download ${file.name}: ${problem.detail || problem.title}`);
    }
  }

  protected async cancel(): Promise<void> {
    await this.cancelRequested()?.();
  }
}
