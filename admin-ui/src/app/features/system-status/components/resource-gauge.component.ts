import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { formatPercent } from '../../../shared/format/format';

/** Ring gauge for a percentage, with the number in the middle and details projected beside it. */
@Component({
  selector: 'app-resource-gauge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'group',
    '[attr.aria-labelledby]': 'labelId()',
  },
  template: `
    <div
      class="ring"
      role="meter"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-valuenow]="clamped()"
      [attr.aria-valuetext]="valueText()"
      [attr.aria-labelledby]="labelId()"
      [class]="'tone-' + tone()"
    >
      <svg viewBox="0 0 36 36" aria-hidden="true" focusable="false">
        <circle class="track" cx="18" cy="18" r="15.9155" />
        @if (clamped() > 0) {
          <circle
            class="value"
            cx="18"
            cy="18"
            r="15.9155"
            [attr.stroke-dasharray]="clamped() + ' 100'"
            transform="rotate(-90 18 18)"
          />
        }
      </svg>
      <span class="number" aria-hidden="true">{{ valueText() }}</span>
    </div>
    <div class="text">
      <h3 class="label" [id]="labelId()">{{ label() }}</h3>
      <ng-content />
    </div>
  `,
  styleUrl: './resource-gauge.component.scss',
})
export class ResourceGaugeComponent {
  /** Used for element ids: keep it unique on the page. */
  readonly key = input.required<string>();
  readonly label = input.required<string>();
  /** 0-100 (more is shown as a full ring with the real number); null when not measured. */
  readonly percent = input.required<number | null>();

  protected readonly labelId = computed(() => `gauge-${this.key()}-label`);
  protected readonly clamped = computed(() => {
    const value = this.percent();
    return value === null ? 0 : Math.round(Math.min(100, Math.max(0, value)));
  });
  protected readonly valueText = computed(() => formatPercent(this.percent()));
  protected readonly tone = computed(() => {
    const value = this.percent();
    if (value === null) {
      return 'unknown';
    }
    return value >= 90 ? 'critical' : value >= 75 ? 'warning' : 'normal';
  });
}
