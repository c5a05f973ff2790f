import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import { CampaignChannel } from '@meridian/api-client';

import { RelativeTimePipe } from '../../shared/format/format.pipes';
import { LoadMoreComponent } from '../../shared/list/load-more.component';
import { CHANNEL_INFO } from '../campaigns/campaigns.model';
import { ChannelsStatus } from './channels-status';
import { OutboxStore } from './outbox.store';

/** /outbox: the messages the API keeps instead of sending, while SMTP or WhatsApp is not configured. */
@Component({
  selector: 'app-outbox-page',
  imports: [
    DatePipe,
    LoadMoreComponent,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RelativeTimePipe,
    RouterLink,
  ],
  providers: [OutboxStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="app-page outbox-page" [attr.aria-busy]="list.loading()">
      <header class="app-page-header">
        <div>
          <h1>Outbox</h1>
          <p class="app-page-subtitle">Every email and WhatsApp message the campaigns and test sends produced.</p>
        </div>
        <button mat-stroked-button type="button" (click)="list.reload()" data-testid="outbox-refresh">
          <mat-icon svgIcon="refresh" aria-hidden="true" /> Refresh
        </button>
      </header>

      <section class="banner" role="note" data-testid="outbox-banner">
        <mat-icon svgIcon="info" aria-hidden="true" />
        <p>
          {{ bannerText() }} Messages are kept here instead of being sent, so you can try everything safely. Set
          <code>SMTP_URL</code> (email) or <code>WHATSAPP_ACCESS_TOKEN</code> and
          <code>WHATSAPP_PHONE_NUMBER_ID</code> (WhatsApp) to send for real:
          <a routerLink="/help/channels">how to set up the channels</a>.
        </p>
      </section>

      <mat-button-toggle-group
        [value]="store.channel() ?? 'all'"
        (change)="setChannel($event.value)"
        aria-label="Channel"
        hideSingleSelectionIndicator
        class="channels"
      >
        <mat-button-toggle value="all">All</mat-button-toggle>
        <mat-button-toggle value="email">Email</mat-button-toggle>
        <mat-button-toggle value="whatsapp">WhatsApp</mat-button-toggle>
      </mat-button-toggle-group>

      <div class="progress-slot">
        @if (list.loading()) {
          <mat-progress-bar mode="indeterminate" aria-label="Loading messages" />
        }
      </div>
      @if (list.error(); as problem) {
        <section class="app-error-panel" role="alert">
          <mat-icon svgIcon="error" aria-hidden="true" />
          <div>
            <h2>Could not load the outbox</h2>
            <p>{{ problem.detail || problem.title }}</p>
            <button mat-stroked-button type="button" (click)="list.reload()">Try again</button>
          </div>
        </section>
      }

      @if (list.empty()) {
        <mat-card appearance="outlined" class="app-empty-state" data-testid="outbox-empty">
          <div class="app-empty-icon" aria-hidden="true"><mat-icon svgIcon="inbox" /></div>
          <h2>The outbox is empty</h2>
          <p>Send a test from the campaign editor, or send a campaign: its messages show up here.</p>
          <a mat-stroked-button routerLink="/campaigns">Go to the campaigns</a>
        </mat-card>
      } @else if (list.loaded()) {
        <div class="split" [class.open]="store.selected() !== null">
          <mat-card appearance="outlined" class="messages">
            <ul data-testid="outbox-list">
              @for (message of list.items(); track message.id) {
                <li>
                  <button
                    type="button"
                    class="app-list-row message"
                    [class.active]="store.selected()?.id === message.id"
                    (click)="store.open(message.id)"
                    [attr.aria-current]="store.selected()?.id === message.id"
                    data-testid="outbox-message"
                  >
                    <mat-icon [svgIcon]="channelInfo[message.channel].icon" aria-hidden="true" class="channel" />
                    <span class="message-text">
                      <span class="line">
                        <span class="to">{{ message.to }}</span>
                        @if (message.test) {
                          <span class="badge" data-testid="outbox-test-badge">Test</span>
                        }
                        <time
                          class="time"
                          [attr.datetime]="message.createdAt"
                          [title]="message.createdAt | date: 'medium'"
                          >{{ message.createdAt | relativeTime }}</time
                        >
                      </span>
                      <span class="subject">{{ message.subject ?? message.text }}</span>
                      @if (message.campaignId) {
                        <a
                          class="campaign"
                          [routerLink]="['/campaigns', message.campaignId]"
                          (click)="$event.stopPropagation()"
                          >Campaign</a
                        >
                      }
                    </span>
                  </button>
                </li>
              }
            </ul>
            <app-load-more [list]="list" noun="messages" />
          </mat-card>

          <mat-card appearance="outlined" class="detail" aria-live="polite" data-testid="outbox-detail">
            @if (store.loadingMessage()) {
              <mat-progress-bar mode="indeterminate" aria-label="Loading the message" />
            }
            @if (store.selectedError(); as problem) {
              <p class="app-form-error" role="alert">{{ problem.detail || problem.title }}</p>
            }
            @if (store.selected(); as m) {
              <div class="detail-head">
                <button
                  mat-icon-button
                  type="button"
                  class="close"
                  (click)="store.close()"
                  aria-label="Close the message"
                >
                  <mat-icon svgIcon="close" aria-hidden="true" />
                </button>
                <h2 data-testid="outbox-detail-subject">{{ m.subject ?? 'WhatsApp message' }}</h2>
                <dl>
                  <dt>From</dt>
                  <dd>{{ m.from }}</dd>
                  <dt>To</dt>
                  <dd>{{ m.to }}</dd>
                  <dt>Kept</dt>
                  <dd>{{ m.createdAt | date: 'medium' }}</dd>
                </dl>
              </div>
              @if (m.html) {
                <iframe
                  class="body"
                  title="Message content"
                  sandbox=""
                  referrerpolicy="no-referrer"
                  [srcdoc]="m.html"
                  data-testid="outbox-frame"
                ></iframe>
              } @else {
                <pre class="text" data-testid="outbox-text">{{ m.text }}</pre>
              }
            } @else if (!store.loadingMessage()) {
              <p class="app-muted pick">Choose a message to see it as the recipient would.</p>
            }
          </mat-card>
        </div>
      }
    </div>
  `,
  styles: `
    .outbox-page {
      max-width: 1400px;
    }
    .banner {
      display: flex;
      gap: 12px;
      align-items: flex-start;
      margin-bottom: 16px;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-large);
      color: var(--mat-sys-on-secondary-container);
      background: var(--mat-sys-secondary-container);
      p {
        margin: 0;
      }
      mat-icon {
        flex: none;
      }
    }
    .channels {
      margin-bottom: 8px;
    }
    .progress-slot {
      height: 4px;
      margin-bottom: 4px;
    }
    .split {
      display: grid;
      grid-template-columns: minmax(280px, 2fr) 3fr;
      gap: 16px;
      align-items: start;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .channel {
      flex: none;
      color: var(--mat-sys-on-surface-variant);
    }
    .message-text {
      display: flex;
      flex-direction: column;
      gap: 2px;
      min-width: 0;
      flex: 1;
    }
    .line {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .to {
      overflow: hidden;
      font: var(--mat-sys-title-small);
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .time {
      margin-left: auto;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      white-space: nowrap;
    }
    .subject {
      overflow: hidden;
      color: var(--mat-sys-on-surface-variant);
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .campaign {
      font: var(--mat-sys-body-small);
    }
    .badge {
      padding: 0 8px;
      border-radius: 8px;
      color: var(--app-status-degraded);
      background: var(--app-status-degraded-container);
      font: var(--mat-sys-label-small);
    }
    .detail {
      position: sticky;
      top: 80px;
      overflow: hidden;
    }
    .detail-head {
      position: relative;
      padding: 16px 56px 8px 16px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      h2 {
        margin: 0 0 8px;
        font: var(--mat-sys-title-medium);
        overflow-wrap: anywhere;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 12px;
        margin: 0;
        font: var(--mat-sys-body-small);
      }
      dt {
        color: var(--mat-sys-on-surface-variant);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    }
    .close {
      position: absolute;
      top: 8px;
      right: 8px;
    }
    /* Emails are designed on white, as an inbox shows them. */
    .body {
      display: block;
      width: 100%;
      height: 560px;
      border: 0;
      background: #fff;
    }
    .text {
      margin: 0;
      padding: 16px;
      white-space: pre-wrap;
      font: var(--mat-sys-body-medium);
    }
    .pick {
      padding: 32px 16px;
      text-align: center;
    }
    @media (max-width: 959.98px) {
      .split {
        grid-template-columns: 1fr;
      }
      .detail {
        position: static;
      }
      .split:not(.open) .detail,
      .split.open .messages {
        display: none;
      }
    }
  `,
})
export class OutboxPageComponent implements OnInit {
  protected readonly store = inject(OutboxStore);
  private readonly channels = inject(ChannelsStatus);
  protected readonly list = this.store.list;
  protected readonly channelInfo = CHANNEL_INFO;

  protected readonly bannerText = computed(() => {
    const status = this.channels.status();
    if (!status) {
      return 'Some channels are not configured.';
    }
    const email = status.email.driver === 'outbox';
    const whatsapp = status.whatsapp.driver === 'outbox';
    if (email && whatsapp) {
      return 'Neither email (SMTP) nor WhatsApp is configured.';
    }
    return email ? 'Email (SMTP) is not configured.' : 'WhatsApp is not configured.';
  });

  ngOnInit(): void {
    void this.channels.load();
    void this.list.reload();
  }

  protected setChannel(value: CampaignChannel | 'all'): void {
    void this.store.setChannel(value === 'all' ? null : value);
  }
}
