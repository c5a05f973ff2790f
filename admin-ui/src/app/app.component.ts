import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  Event,
  NavigationCancel,
  NavigationCancellationCode,
  NavigationEnd,
  NavigationError,
  Router,
  RouterOutlet,
} from '@angular/router';
import { filter, map, take } from 'rxjs';

import { AuthStore } from './core/auth/auth.store';

/** The first navigation is over: a page (or an error) is on screen, not a redirect in between. */
function settles(event: Event): boolean {
  if (event instanceof NavigationEnd || event instanceof NavigationError) {
    return true;
  }
  return (
    event instanceof NavigationCancel &&
    event.code !== NavigationCancellationCode.Redirect &&
    event.code !== NavigationCancellationCode.SupersededByNewNavigation
  );
}

/**
 * Root of the console: the sign-in page and the shell are routes below it. Until the
 * session is restored from the refresh cookie and the first page is ready, it shows the
 * same splash as index.html, so start-up is one calm screen rather than a flash of the
 * sign-in page.
 */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (splash()) {
      <div class="app-splash" role="status">
        <span class="app-splash-logo" aria-hidden="true">M</span>
        <span class="app-splash-text">Loading Meridian…</span>
      </div>
    }
    <router-outlet />
  `,
})
export class AppComponent {
  private readonly auth = inject(AuthStore);
  private readonly firstPageReady = toSignal(
    inject(Router).events.pipe(
      filter(settles),
      take(1),
      map(() => true),
    ),
    { initialValue: false },
  );

  protected readonly splash = computed(() => this.auth.status() === 'restoring' || !this.firstPageReady());
}
