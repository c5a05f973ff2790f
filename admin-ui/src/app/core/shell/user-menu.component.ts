import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { RouterLink } from '@angular/router';

import { RoleChipComponent } from '../../shared/role-chip/role-chip.component';
import { initials } from '../../shared/format/initials';
import { AuthStore } from '../auth/auth.store';

@Component({
  selector: 'app-user-menu',
  imports: [MatButtonModule, MatDividerModule, MatIconModule, MatMenuModule, RoleChipComponent, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (auth.user(); as user) {
      <button
        mat-icon-button
        type="button"
        class="avatar-button"
        [matMenuTriggerFor]="menu"
        [attr.aria-label]="'Account menu of ' + user.name"
        [title]="user.name + ' (' + user.email + ')'"
        data-testid="user-menu"
      >
        <span class="avatar" aria-hidden="true">{{ initials() }}</span>
      </button>
      <mat-menu #menu="matMenu" xPosition="before" class="app-user-menu">
        <div class="who" data-testid="user-menu-identity">
          <span class="avatar large" aria-hidden="true">{{ initials() }}</span>
          <div class="who-text">
            <span class="name">{{ user.name }}</span>
            <span class="email">{{ user.email }}</span>
            <span class="org"><app-role-chip [role]="user.role" /> {{ user.organization.name }}</span>
          </div>
        </div>
        <mat-divider />
        <a mat-menu-item routerLink="/account">
          <mat-icon svgIcon="account_circle" aria-hidden="true" />
          <span>Account</span>
        </a>
        <button mat-menu-item type="button" (click)="signOut()" data-testid="sign-out">
          <mat-icon svgIcon="logout" aria-hidden="true" />
          <span>Sign out</span>
        </button>
      </mat-menu>
    }
  `,
  styles: `
    .avatar {
      display: grid;
      place-items: center;
      width: 32px;
      height: 32px;
      border-radius: 50%;
      color: var(--mat-sys-on-primary-container);
      background: var(--mat-sys-primary-container);
      font: var(--mat-sys-label-large);
      font-weight: 600;
      letter-spacing: 0.02em;
    }
    .avatar.large {
      flex: none;
      width: 44px;
      height: 44px;
      font: var(--mat-sys-title-medium);
    }
    .avatar-button {
      display: inline-grid;
      place-items: center;
      padding: 0;
    }
    .who {
      display: flex;
      gap: 12px;
      align-items: center;
      min-width: 240px;
      max-width: 320px;
      padding: 8px 16px 12px;
    }
    .who-text {
      display: flex;
      flex-direction: column;
      gap: 2px;
      min-width: 0;
    }
    .name {
      font: var(--mat-sys-title-small);
    }
    .email {
      overflow: hidden;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      text-overflow: ellipsis;
    }
    .org {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: center;
      margin-top: 4px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class UserMenuComponent {
  protected readonly auth = inject(AuthStore);
  protected readonly initials = computed(() => initials(this.auth.user()?.name, this.auth.user()?.email));

  protected signOut(): void {
    void this.auth.signOut();
  }
}
