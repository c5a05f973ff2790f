import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { Permission } from '@meridian/api-client';

import { AuthStore } from '../../core/auth/auth.store';

interface DashboardCard {
  title: string;
  text: string;
  action: string;
  path: string;
  icon: string;
  permission: Permission;
  testId: string;
}

/** Shortcuts to the console's pages; each shown only to users who may open it. */
const CARDS: readonly DashboardCard[] = [
  {
    title: 'System status',
    text: 'Health of the database, cache, job queue and assistant, resource usage of the server, and connectivity from this browser.',
    action: 'Open system status',
    path: '/system-status',
    icon: 'dns',
    permission: 'system:read',
    testId: 'open-system-status',
  },
  {
    title: 'Users',
    text: 'Invite people to your organization, give them a role, reset passwords and deactivate accounts.',
    action: 'Manage users',
    path: '/users',
    icon: 'group',
    permission: 'users:read',
    testId: 'open-users',
  },
  {
    title: 'API keys',
    text: 'Keys for scripts and integrations, limited to the permissions they need, with an expiry date.',
    action: 'Manage API keys',
    path: '/api-keys',
    icon: 'vpn_key',
    permission: 'api-keys:manage',
    testId: 'open-api-keys',
  },
  {
    title: 'Audit log',
    text: 'Who changed what and when: users, roles, API keys, MFA and passwords, with the request id of each change.',
    action: 'Open audit log',
    path: '/audit',
    icon: 'list_alt',
    permission: 'audit:read',
    testId: 'open-audit',
  },
];

@Component({
  selector: 'app-dashboard-page',
  imports: [MatButtonModule, MatCardModule, MatIconModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <header>
        <h1>Welcome to Meridian</h1>
        @if (auth.user(); as user) {
          <p class="greeting">Signed in as {{ user.name }} · {{ user.organization.name }}</p>
        }
        <p class="lead">
          The admin console of your lead and campaign platform. Leads, campaigns and analytics will appear here as they
          are switched on.
        </p>
      </header>

      <div class="cards">
        @for (card of cards(); track card.path) {
          <mat-card appearance="outlined" class="link-card">
            <div class="card-icon" aria-hidden="true"><mat-icon [svgIcon]="card.icon" /></div>
            <h2>{{ card.title }}</h2>
            <p>{{ card.text }}</p>
            <a mat-flat-button [routerLink]="card.path" [attr.data-testid]="card.testId">
              {{ card.action }}
              <mat-icon iconPositionEnd svgIcon="arrow_forward" aria-hidden="true" />
            </a>
          </mat-card>
        }

        <mat-card appearance="outlined" class="link-card">
          <div class="card-icon" aria-hidden="true"><mat-icon svgIcon="description" /></div>
          <h2>API reference</h2>
          <p>
            Every endpoint of the Meridian REST API, with its schemas and errors, in an interactive OpenAPI explorer.
          </p>
          <a mat-stroked-button href="/docs" target="_blank" rel="noopener">
            Open API reference
            <span class="sr-only">(opens in a new tab)</span>
            <mat-icon iconPositionEnd svgIcon="arrow_forward" aria-hidden="true" />
          </a>
        </mat-card>
      </div>
    </div>
  `,
  styles: `
    .page {
      max-width: 1200px;
      margin: 0 auto;
      padding: 24px 32px 48px;
    }
    @media (max-width: 599.98px) {
      .page {
        padding: 16px;
      }
    }
    h1 {
      margin: 0;
      font: var(--mat-sys-headline-medium);
    }
    .greeting {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .lead {
      max-width: 640px;
      margin: 8px 0 32px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-large);
    }
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
      gap: 16px;
    }
    .link-card {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 8px;
      padding: 20px;
    }
    .link-card h2 {
      margin: 8px 0 0;
      font: var(--mat-sys-title-large);
    }
    .link-card p {
      flex: 1;
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    .card-icon {
      display: grid;
      place-items: center;
      width: 44px;
      height: 44px;
      border-radius: 12px;
      color: var(--mat-sys-on-primary-container);
      background: var(--mat-sys-primary-container);
    }
  `,
})
export class DashboardPageComponent {
  protected readonly auth = inject(AuthStore);
  protected readonly cards = computed(() => CARDS.filter((card) => this.auth.permissions().has(card.permission)));
}
