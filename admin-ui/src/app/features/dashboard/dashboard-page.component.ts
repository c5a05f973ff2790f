import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-dashboard-page',
  imports: [MatButtonModule, MatCardModule, MatIconModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <header>
        <h1>Welcome to Meridian</h1>
        <p class="lead">
          The admin console of your lead and campaign platform. Leads, campaigns, analytics and users will appear here
          as they are switched on.
        </p>
      </header>

      <div class="cards">
        <mat-card appearance="outlined" class="link-card">
          <div class="card-icon" aria-hidden="true"><mat-icon svgIcon="dns" /></div>
          <h2>System status</h2>
          <p>
            Health of the database, cache, job queue and assistant, resource usage of the server, and connectivity from
            this browser.
          </p>
          <a mat-flat-button routerLink="/system-status" data-testid="open-system-status">
            Open system status
            <mat-icon iconPositionEnd svgIcon="arrow_forward" aria-hidden="true" />
          </a>
        </mat-card>

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
export class DashboardPageComponent {}
