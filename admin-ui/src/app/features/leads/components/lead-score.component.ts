import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A score 0–100 as a number and a short bar. */
@Component({
  selector: 'app-lead-score',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class]': '"band-" + band()',
    '[attr.aria-label]': '"Score " + clamped() + " of 100"',
    role: 'img',
  },
  template: `
    <span class="value" aria-hidden="true">{{ clamped() }}</span>
    <span class="track" aria-hidden="true"><span class="fill" [style.width.%]="clamped()"></span></span>
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 8px;
    }
    .value {
      min-width: 2ch;
      font: var(--mat-sys-label-large);
      font-variant-numeric: tabular-nums;
      text-align: right;
    }
    .track {
      display: block;
      width: 56px;
      height: 6px;
      overflow: hidden;
      border-radius: 3px;
      background: var(--mat-sys-surface-container-highest);
    }
    .fill {
      display: block;
      height: 100%;
      border-radius: 3px;
      background: var(--bar);
    }
    :host(.band-low) {
      --bar: var(--mat-sys-outline);
    }
    :host(.band-mid) {
      --bar: var(--mat-sys-primary);
    }
    :host(.band-high) {
      --bar: var(--app-status-healthy);
    }
  `,
})
export class LeadScoreComponent {
  readonly score = input.required<number>();
  protected readonly clamped = computed(() => Math.max(0, Math.min(100, Math.round(this.score() || 0))));
  protected readonly band = computed(() => {
    const score = this.clamped();
    return score >= 70 ? 'high' : score >= 40 ? 'mid' : 'low';
  });
}
