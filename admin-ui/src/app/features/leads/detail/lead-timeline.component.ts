import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { LeadActivityDto } from '@meridian/api-client';

import { InZonePipe, RelativeTimePipe } from '../../../shared/format/format.pipes';
import { KeysetList } from '../../../shared/list/keyset-list';
import { LoadMoreComponent } from '../../../shared/list/load-more.component';
import { describeActivity } from './lead-timeline.presentation';

/** A lead's timeline, newest first, with "Load more". */
@Component({
  selector: 'app-lead-timeline',
  imports: [InZonePipe, LoadMoreComponent, MatButtonModule, MatIconModule, MatProgressBarModule, RelativeTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (list().error(); as problem) {
      <div class="app-form-error" role="alert">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <span>
          Could not load the timeline: {{ problem.detail || problem.title }}
          <button mat-button type="button" (click)="list().reload()">Try again</button>
        </span>
      </div>
    }
    @if (list().loading() && !list().loaded()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the timeline" />
    } @else if (list().empty()) {
      <p class="app-muted empty">Nothing has happened to this lead yet.</p>
    } @else {
      <ol class="timeline" aria-label="Timeline, newest first" data-testid="lead-timeline">
        @for (row of rows(); track row.activity.id) {
          <li [class.note]="row.entry.kind === 'note'" [attr.data-type]="row.activity.type">
            <span class="marker" aria-hidden="true"><mat-icon [svgIcon]="row.entry.icon" /></span>
            <div class="content">
              <div class="line">
                <span class="title">{{ row.entry.title }}</span>
                <span class="meta">
                  {{ row.activity.actorLabel }} ·
                  <time
                    [attr.datetime]="row.activity.createdAt"
                    [title]="row.activity.createdAt | inZone: timeZone()"
                    >{{ row.activity.createdAt | relativeTime }}</time
                  >
                </span>
              </div>
              @if (row.entry.body !== null) {
                <p class="body">{{ row.entry.body }}</p>
              }
            </div>
          </li>
        }
      </ol>
      <app-load-more [list]="list()" noun="activities" />
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .empty {
      margin: 8px 0;
    }
    .timeline {
      position: relative;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      position: relative;
      display: flex;
      gap: 12px;
      padding-bottom: 16px;
    }
    /* The line joining the markers. */
    li:not(:last-child)::before {
      content: '';
      position: absolute;
      top: 32px;
      bottom: 0;
      left: 15px;
      width: 2px;
      background: var(--mat-sys-outline-variant);
    }
    .marker {
      display: grid;
      flex: none;
      place-items: center;
      width: 32px;
      height: 32px;
      border-radius: 50%;
      color: var(--mat-sys-on-surface-variant);
      background: var(--mat-sys-surface-container-highest);

      mat-icon {
        width: 18px;
        height: 18px;
      }
    }
    li.note .marker {
      color: var(--mat-sys-on-tertiary-container);
      background: var(--mat-sys-tertiary-container);
    }
    li[data-type='status_changed'] .marker {
      color: var(--mat-sys-on-primary-container);
      background: var(--mat-sys-primary-container);
    }
    .content {
      flex: 1;
      min-width: 0;
      padding-top: 6px;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 2px 8px;
    }
    .title {
      font: var(--mat-sys-title-small);
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .body {
      margin: 6px 0 0;
      padding: 10px 12px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-surface-container);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `,
})
export class LeadTimelineComponent {
  readonly list = input.required<KeysetList<LeadActivityDto>>();
  readonly ownerName = input.required<(id: string | null) => string>();
  /** The organization's time zone, for the exact times. */
  readonly timeZone = input('UTC');

  protected readonly rows = computed(() => {
    const ownerName = this.ownerName();
    return this.list()
      .items()
      .map((activity) => ({ activity, entry: describeActivity(activity, ownerName) }));
  });
}
