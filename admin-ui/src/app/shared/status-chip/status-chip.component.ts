import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

export type StatusTone = 'healthy' | 'degraded' | 'unhealthy' | 'neutral';

const ICONS: Record<StatusTone, string> = {
  healthy: 'check_circle',
  degraded: 'warning',
  unhealthy: 'error',
  neutral: 'remove_circle_outline',
};

/** A small pill with an icon and a word: status is never told by colour alone. */
@Component({
  selector: 'app-status-chip',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class]': '"tone-" + tone()',
  },
  template: `<mat-icon [svgIcon]="icon()" aria-hidden="true" /><span>{{ label() }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      height: 28px;
      padding: 0 10px 0 6px;
      border-radius: 14px;
      font: var(--mat-sys-label-large);
      white-space: nowrap;
      color: var(--chip-fg);
      background: var(--chip-bg);
    }
    mat-icon {
      width: 18px;
      height: 18px;
      font-size: 18px;
    }
    :host(.tone-healthy) {
      --chip-fg: var(--app-status-healthy);
      --chip-bg: var(--app-status-healthy-container);
    }
    :host(.tone-degraded) {
      --chip-fg: var(--app-status-degraded);
      --chip-bg: var(--app-status-degraded-container);
    }
    :host(.tone-unhealthy) {
      --chip-fg: var(--app-status-unhealthy);
      --chip-bg: var(--app-status-unhealthy-container);
    }
    :host(.tone-neutral) {
      --chip-fg: var(--app-status-neutral);
      --chip-bg: var(--app-status-neutral-container);
    }
  `,
})
export class StatusChipComponent {
  readonly tone = input.required<StatusTone>();
  readonly label = input.required<string>();
  /** An icon of its own instead of the tone's (e.g. "pause" for a paused campaign). */
  readonly iconName = input<string | null>(null);
  protected readonly icon = computed(() => this.iconName() ?? ICONS[this.tone()]);
}
