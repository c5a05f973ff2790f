import { BreakpointObserver } from '@angular/cdk/layout';
import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, linkedSignal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { ThemeToggleComponent } from '../theme/theme-toggle.component';
import { NAV_ITEMS } from './navigation';

/** Below this width the navigation slides over the content instead of sitting beside it. */
export const MOBILE_QUERY = '(max-width: 839.98px)';
/** Kept in step with the toolbar height set in styles.scss. */
const TOOLBAR_HEIGHT_PX = 64;

@Component({
  selector: 'app-root',
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
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
})
export class ShellComponent {
  private readonly document = inject(DOCUMENT);

  protected readonly navItems = NAV_ITEMS;
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
