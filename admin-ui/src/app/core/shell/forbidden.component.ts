import { Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { NavigationEnd, Router, RouterLink } from '@angular/router';
import { Permission } from '@meridian/api-client';
import { filter, map } from 'rxjs';

import { ForbiddenState } from '../auth/auth.guards';
import { AuthStore } from '../auth/auth.store';
import { PERMISSION_LABELS, ROLE_INFO } from '../auth/permissions';

/** Shown in place of a page the user's role does not open (the address bar keeps the page's URL). */
@Component({
  selector: 'app-forbidden',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page" data-testid="forbidden">
      <div class="icon" aria-hidden="true"><mat-icon svgIcon="lock" /></div>
      <h1>You don't have access to this page</h1>
      <p>{{ message() }} If you need it, ask an owner or an admin of your organization.</p>
      <a mat-flat-button routerLink="/">Go to the dashboard</a>
    </div>
  `,
  styles: `
    .page {
      max-width: 640px;
      margin: 0 auto;
      padding: 48px 24px;
    }
    .icon {
      display: grid;
      place-items: center;
      width: 56px;
      height: 56px;
      border-radius: 16px;
      color: var(--mat-sys-on-secondary-container);
      background: var(--mat-sys-secondary-container);
    }
    h1 {
      margin: 20px 0 8px;
      font: var(--mat-sys-headline-medium);
    }
    p {
      margin: 0 0 24px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-large);
    }
  `,
})
export class ForbiddenComponent {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly location = inject(Location);
  /**
   * What the refused page needed, from the guard's navigation state: on the navigation while
   * it runs, in history.state once it has ended (and after a reload of the page).
   */
  private readonly required = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => requiredOf(this.location.getState())),
    ),
    { initialValue: requiredOf(this.router.currentNavigation()?.extras.state ?? this.location.getState()) },
  );

  /** "Your role, Viewer, does not include the permission to see users." */
  protected readonly message = computed(() => {
    const role = this.auth.user()?.role;
    const who = role ? `Your role, ${ROLE_INFO[role].label}, does not include` : 'Your account does not have';
    const required = this.required();
    const what =
      required.length > 0
        ? `the permission to ${required.map((permission) => lowerFirst(PERMISSION_LABELS[permission])).join(' and ')}`
        : 'the permission this page needs';
    return `${who} ${what}.`;
  });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function requiredOf(state: unknown): Permission[] {
  const required = (state as Partial<ForbiddenState> | null | undefined)?.required;
  return Array.isArray(required) ? required.filter((permission) => permission in PERMISSION_LABELS) : [];
}
