import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { CampaignStatsDto } from '@meridian/api-client';

import { campaignProgress } from '../campaigns.model';

/**
 * A campaign's progress as one bar of three parts (sent, failed, skipped) over the audience,
 * with the numbers beside it in words: the colours never carry the meaning alone.
 */
@Component({
  selector: 'app-campaign-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.large]': 'size() === "large"' },
  template: `
    @let p = progress();
    <div
      class="bar"
      role="progressbar"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-valuenow]="p.percent"
      [attr.aria-valuetext]="
        p.percent + ' %, ' + p.sent + ' sent, ' + p.failed + ' failed, ' + p.remaining + ' remaining'
      "
      [attr.aria-label]="label()"
      data-testid="campaign-progress"
    >
      <span class="part sent" [style.width.%]="p.sentPercent"></span>
      <span class="part failed" [style.width.%]="p.failedPercent"></span>
      <span class="part other" [style.width.%]="p.otherPercent"></span>
    </div>
    <div class="legend">
      <span class="percent" data-testid="campaign-percent">{{ p.percent }} %</span>
      @if (size() === 'large') {
        <span><i class="dot sent"></i>{{ p.sent.toLocaleString('en') }} sent</span>
        <span><i class="dot failed"></i>{{ p.failed.toLocaleString('en') }} failed</span>
        @if (p.other > 0) {
          <span><i class="dot other"></i>{{ p.other.toLocaleString('en') }} not sent (skipped or cancelled)</span>
        }
        <span data-testid="campaign-remaining"
          ><i class="dot rest"></i>{{ p.remaining.toLocaleString('en') }} remaining</span
        >
        <span class="total">of {{ p.total.toLocaleString('en') }}</span>
      } @else {
        <span class="app-muted"
          >{{ (p.total - p.remaining).toLocaleString('en') }} / {{ p.total.toLocaleString('en') }}</span
        >
      }
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 120px;
    }
    .bar {
      display: flex;
      height: 6px;
      overflow: hidden;
      border-radius: 3px;
      background: var(--mat-sys-surface-container-highest);
    }
    :host(.large) .bar {
      height: 16px;
      border-radius: 8px;
    }
    .part {
      height: 100%;
      transition: width 400ms ease;
    }
    .sent {
      background: var(--mat-sys-primary);
    }
    .failed {
      background: var(--mat-sys-error);
    }
    .other {
      background: var(--mat-sys-outline);
    }
    .rest {
      background: var(--mat-sys-surface-container-highest);
      border: 1px solid var(--mat-sys-outline-variant);
      box-sizing: border-box;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 2px 12px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    :host(.large) .legend {
      font: var(--mat-sys-body-medium);
    }
    .percent {
      color: var(--mat-sys-on-surface);
      font: var(--mat-sys-label-large);
      font-variant-numeric: tabular-nums;
    }
    :host(.large) .percent {
      font: var(--mat-sys-title-large);
    }
    .dot {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin-right: 6px;
      border-radius: 50%;
    }
    .total {
      margin-left: auto;
    }
  `,
})
export class CampaignProgressComponent {
  readonly stats = input.required<CampaignStatsDto>();
  readonly size = input<'small' | 'large'>('small');
  readonly label = input('Sending progress');
  protected readonly progress = computed(() => campaignProgress(this.stats()));
}
