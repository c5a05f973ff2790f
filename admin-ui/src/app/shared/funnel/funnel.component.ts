import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Params, RouterLink } from '@angular/router';

/** One step of a funnel: its count, its rate against the step before, and where it leads to. */
export interface FunnelStep {
  key: string;
  label: string;
  count: number;
  /** Share of the previous step (0..1); null for the first step. */
  stepRate: number | null;
  /** The leads list filtered to this step, when the user may open it. */
  link?: { path: string; query: Params } | null;
}

/**
 * Horizontal bars, widest first, each with its count and step rate: the pipeline of the dashboard
 * and the funnel of a campaign report. A bar is never narrower than a sliver, so a zero still shows.
 */
@Component({
  selector: 'app-funnel',
  imports: [DecimalPipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ol class="funnel">
      @for (s of rows(); track s.key) {
        <li>
          <!-- Without a link (no permission, or a campaign's step) the row is plain text: no href. -->
          <a
            class="funnel-row"
            [class.linked]="!!s.link"
            [routerLink]="s.link?.path ?? null"
            [queryParams]="s.link?.query"
            [attr.data-step]="s.key"
          >
            <span class="funnel-label">{{ s.label }}</span>
            <span class="funnel-bar" aria-hidden="true"><span [style.width.%]="s.width"></span></span>
            <span class="funnel-count">{{ s.count | number }}</span>
            <span class="funnel-rate app-muted">{{ s.rate }}</span>
          </a>
        </li>
      }
    </ol>
  `,
  styles: `
    .funnel {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .funnel-row {
      display: grid;
      grid-template-columns: 84px 1fr 72px 56px;
      align-items: center;
      gap: 8px;
      padding: 6px 0;
      color: inherit;
      text-decoration: none;
    }
    .linked:hover .funnel-label,
    .linked:focus-visible .funnel-label {
      text-decoration: underline;
    }
    .funnel-bar {
      height: 18px;
      border-radius: 4px;
      background: var(--mat-sys-surface-container-highest);
      span {
        display: block;
        height: 100%;
        border-radius: 4px;
        background: var(--chart-1);
      }
    }
    .funnel-count {
      text-align: right;
      font: var(--mat-sys-title-small);
    }
    .funnel-rate {
      text-align: right;
      font: var(--mat-sys-body-small);
    }
  `,
})
export class FunnelComponent {
  readonly steps = input.required<readonly FunnelStep[]>();

  protected readonly rows = computed(() => {
    const steps = this.steps();
    const top = Math.max(1, steps[0]?.count ?? 0);
    return steps.map((s) => ({
      ...s,
      width: Math.max(2, (s.count / top) * 100),
      rate: s.stepRate === null ? '' : `${(s.stepRate * 100).toFixed(1)}%`,
    }));
  });
}
