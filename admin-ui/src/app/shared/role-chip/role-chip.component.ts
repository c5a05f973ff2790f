import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Role } from '@meridian/api-client';

import { ROLE_INFO } from '../../core/auth/permissions';

/** A role as a small tonal pill; the word carries the meaning, the colour only groups. */
@Component({
  selector: 'app-role-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class]': '"role-" + role()',
    '[attr.title]': 'description()',
  },
  template: `{{ label() }}`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      height: 24px;
      padding: 0 10px;
      border-radius: 12px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      color: var(--mat-sys-on-surface-variant);
      background: var(--mat-sys-surface-container-highest);
    }
    :host(.role-owner) {
      color: var(--mat-sys-on-primary-container);
      background: var(--mat-sys-primary-container);
    }
    :host(.role-admin) {
      color: var(--mat-sys-on-tertiary-container);
      background: var(--mat-sys-tertiary-container);
    }
    :host(.role-manager) {
      color: var(--mat-sys-on-secondary-container);
      background: var(--mat-sys-secondary-container);
    }
  `,
})
export class RoleChipComponent {
  readonly role = input.required<Role>();
  protected readonly label = computed(() => ROLE_INFO[this.role()].label);
  protected readonly description = computed(() => ROLE_INFO[this.role()].description);
}
