import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { LeadStatus } from '@meridian/api-client';

import { STATUS_LABELS } from '../leads.query';

export const STATUS_ICONS: Readonly<Record<LeadStatus, string>> = {
  new: 'radio_button_unchecked',
  contacted: 'chat_bubble_outline',
  qualified: 'check',
  converted: 'check_circle',
  lost: 'block',
};

/** A lead's status as a coloured pill, with an icon and the word (colour is never the only carrier). */
@Component({
  selector: 'app-lead-status-chip',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class]': '"status-" + status()',
    '[attr.data-status]': 'status()',
  },
  template: `<mat-icon [svgIcon]="icon()" aria-hidden="true" /><span>{{ label() }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      height: 24px;
      padding: 0 10px 0 6px;
      border-radius: 12px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      color: var(--chip-fg);
      background: var(--chip-bg);
    }
    mat-icon {
      width: 16px;
      height: 16px;
      font-size: 16px;
    }
    :host(.status-new) {
      --chip-fg: var(--mat-sys-on-primary-container);
      --chip-bg: var(--mat-sys-primary-container);
    }
    :host(.status-contacted) {
      --chip-fg: var(--mat-sys-on-tertiary-container);
      --chip-bg: var(--mat-sys-tertiary-container);
    }
    :host(.status-qualified) {
      --chip-fg: var(--app-status-degraded);
      --chip-bg: var(--app-status-degraded-container);
    }
    :host(.status-converted) {
      --chip-fg: var(--app-status-healthy);
      --chip-bg: var(--app-status-healthy-container);
    }
    :host(.status-lost) {
      --chip-fg: var(--app-status-neutral);
      --chip-bg: var(--app-status-neutral-container);
    }
  `,
})
export class LeadStatusChipComponent {
  readonly status = input.required<LeadStatus>();
  protected readonly label = computed(() => STATUS_LABELS[this.status()]);
  protected readonly icon = computed(() => STATUS_ICONS[this.status()]);
}
