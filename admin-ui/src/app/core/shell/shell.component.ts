import { BreakpointObserver } from '@angular/cdk/layout';
import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { AuthStore } from '../auth/auth.store';
import { ThemeToggleComponent } from '../theme/theme-toggle.component';
import { NAV_ITEMS } from './navigation';
import { UserMenuComponent } from './user-menu.component';
import { AssistantWidgetComponent } from '../../features/assistant/assistant-widget.component';
import { ChannelsStatus } from '../../features/outbox/channels-status';

/** Below this width the navigation slides over the content instead of sitting beside it. */
export const MOBILE_QUERY = '(max-width: 839.98px)';
/** Kept in step with the toolbar height set in styles.scss. */
const TOOLBAR_HEIGHT_PX = 64;

@Component({
  selector: 'app-shell',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatSidenavModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    ThemeToggleComponent,
    UserMenuComponent,
    AssistantWidgetComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
})
export class ShellComponent {
  private readonly document = inject(DOCUMENT);
  private readonly auth = inject(AuthStore);
  private readonly channels = inject(ChannelsStatus);

  /** Only the pages this user may open: the routes are guarded the same way. */
  protected readonly navItems = computed(() =>
    NAV_ITEMS.filter(
      (item) =>
        (!item.permission || this.auth.permissions().has(item.permission)) &&
        (!item.onlyWithOutbox || this.channels.usesOutbox()),
    ),
  );

  constructor() {
    if (this.auth.permissions().has('campaigns:read')) {
      void this.channels.load();
    }
  }
  protected readonly toolbarHeight = TOOLBAR_HEIGHT_PX;
  protected readonly isMobile = toSignal(
    inject(BreakpointObserver)
      .observe(MOBILE_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  /** Open beside the content on desktop, closed (opened on demand) on a phone. */
  protected readonly navOpen = linkedSignal(() => !this.isMobile());

  protected toggleNav(): void {
    this.navOpen.update((open) => !open);
  }

  protected onNavigate(): void {
    if (this.isMobile()) {
      this.navOpen.set(false);
    }
  }

  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.document.getElementById('main-content')?.focus();
  }
}
