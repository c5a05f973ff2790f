import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { TaskDto } from '@meridian/api-client';

import { TaskProgressComponent } from '../../../shared/tasks/task-progress.component';
import { TaskWatcher } from '../../../shared/tasks/task-watcher';

export interface LeadExportDialogData {
  /** The task as the start answered it (202). */
  task: TaskDto;
}

/** A background export: its progress, then the file to download. Closing it leaves the task running. */
@Component({
  selector: 'app-lead-export-dialog',
  imports: [MatButtonModule, MatDialogModule, TaskProgressComponent],
  providers: [TaskWatcher],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Export leads</h2>
    <mat-dialog-content>
      @if (watcher.task(); as task) {
        <app-task-progress [task]="task" [cancelRequested]="cancel" data-testid="export-task" />
      }
      @if (!watcher.finished()) {
        <p class="hint">
          You can close this window: the export goes on, and its file is in Background tasks when it is done.
        </p>
      } @else if (watcher.task()?.status === 'succeeded') {
        <p class="hint">The file is kept for 7 days.</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close type="button">Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .hint {
      margin: 16px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class LeadExportDialogComponent implements OnInit {
  protected readonly watcher = inject(TaskWatcher);
  private readonly data = inject<LeadExportDialogData>(MAT_DIALOG_DATA);

  protected readonly cancel = (): Promise<void> => this.watcher.cancel();

  ngOnInit(): void {
    this.watcher.watch(this.data.task.id, this.data.task);
  }
}
