import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  OnInit,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { ConversationChannel, ConversationMessageDto, LeadStatus, MessageStatus } from '@meridian/api-client';

import { RelativeTimePipe } from '../../shared/format/format.pipes';
import { LoadMoreComponent } from '../../shared/list/load-more.component';
import { LEAD_STATUSES, STATUS_LABELS } from '../leads/leads.query';
import { InboxFilter, InboxStore } from './inbox.store';

const CHANNELS: Readonly<Record<ConversationChannel, { label: string; icon: string }>> = {
  whatsapp: { label: 'WhatsApp', icon: 'chat' },
  widget: { label: 'Website widget', icon: 'web' },
};

const TICKS: Readonly<Record<MessageStatus, { icon: string; label: string } | null>> = {
  received: null,
  pending: { icon: 'schedule', label: 'Sending' },
  sent: { icon: 'check', label: 'Sent' },
  delivered: { icon: 'done_all', label: 'Delivered' },
  read: { icon: 'done_all', label: 'Read' },
  failed: { icon: 'error', label: 'Not delivered' },
};

/** /inbox: WhatsApp and website widget conversations, live. */
@Component({
  selector: 'app-inbox-page',
  imports: [
    DatePipe,
    FormsModule,
    LoadMoreComponent,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    RelativeTimePipe,
    RouterLink,
  ],
  providers: [InboxStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="app-page inbox-page" [attr.aria-busy]="list.loading()">
      <header class="app-page-header">
        <div>
          <h1>Inbox</h1>
          <p class="app-page-subtitle">
            WhatsApp messages and website widget conversations with your leads.
            <span class="live" [class.on]="store.live()" data-testid="inbox-live">
              <span class="dot" aria-hidden="true"></span>{{ store.live() ? 'Live' : 'Reconnecting…' }}
            </span>
          </p>
        </div>
        <div class="header-actions">
          <a mat-stroked-button routerLink="/settings/widget" data-testid="inbox-widget-settings">
            <mat-icon svgIcon="web" aria-hidden="true" /> Website widget
          </a>
        </div>
      </header>

      <div class="split" [class.thread-open]="store.selected() !== null || store.threadLoading()">
        <mat-card appearance="outlined" class="conversations">
          <div class="filters">
            <mat-button-toggle-group
              [value]="store.status()"
              (change)="store.setStatus($event.value)"
              aria-label="Status"
              hideSingleSelectionIndicator
            >
              <mat-button-toggle value="open" data-testid="inbox-open">Open</mat-button-toggle>
              <mat-button-toggle value="closed" data-testid="inbox-closed">Closed</mat-button-toggle>
            </mat-button-toggle-group>
            <mat-button-toggle-group
              [value]="store.filter()"
              (change)="setFilter($event.value)"
              aria-label="Show"
              hideSingleSelectionIndicator
            >
              <mat-button-toggle value="all">All</mat-button-toggle>
              <mat-button-toggle value="unread" data-testid="inbox-unread">Unread</mat-button-toggle>
              <mat-button-toggle value="mine" data-testid="inbox-mine">Mine</mat-button-toggle>
            </mat-button-toggle-group>
          </div>
          <div class="progress-slot">
            @if (list.loading()) {
              <mat-progress-bar mode="indeterminate" aria-label="Loading conversations" />
            }
          </div>
          @if (list.error(); as problem) {
            <section class="app-error-panel" role="alert">
              <mat-icon svgIcon="error" aria-hidden="true" />
              <div>
                <h2>Could not load the inbox</h2>
                <p>{{ problem.detail || problem.title }}</p>
                <button mat-stroked-button type="button" (click)="list.reload()">Try again</button>
              </div>
            </section>
          }
          @if (list.empty()) {
            <div class="empty" data-testid="inbox-empty">
              <div class="app-empty-icon" aria-hidden="true"><mat-icon svgIcon="forum" /></div>
              <h2>{{ emptyTitle() }}</h2>
              <p>{{ emptyText() }}</p>
              @if (store.status() === 'open' && store.filter() === 'all') {
                <div class="empty-links">
                  <a mat-stroked-button routerLink="/help/whatsapp-setup">Connect WhatsApp</a>
                  <a mat-stroked-button routerLink="/settings/widget">Add the widget to your site</a>
                </div>
              }
            </div>
          }
          <ul data-testid="inbox-list">
            @for (c of list.items(); track c.id) {
              <li>
                <button
                  type="button"
                  class="app-list-row conversation"
                  [class.active]="store.selected()?.id === c.id"
                  [class.unread]="c.unreadCount > 0"
                  [attr.aria-current]="store.selected()?.id === c.id"
                  (click)="openConversation(c.id)"
                  data-testid="inbox-conversation"
                >
                  <span class="avatar" aria-hidden="true">{{ initials(c.contactName ?? c.contactAddress) }}</span>
                  <span class="text">
                    <span class="line">
                      <span class="name">{{ c.contactName ?? c.contactAddress }}</span>
                      <time [attr.datetime]="c.lastMessageAt" [title]="c.lastMessageAt | date: 'medium'">{{
                        c.lastMessageAt | relativeTime
                      }}</time>
                    </span>
                    <span class="line">
                      <mat-icon
                        class="channel"
                        [svgIcon]="channels[c.channel].icon"
                        [attr.aria-label]="channels[c.channel].label"
                      />
                      <span class="preview">{{ c.lastMessagePreview }}</span>
                      @if (c.unreadCount > 0) {
                        <span
                          class="badge"
                          [attr.aria-label]="c.unreadCount + ' unread'"
                          data-testid="inbox-unread-badge"
                          >{{ c.unreadCount }}</span
                        >
                      }
                    </span>
                  </span>
                </button>
              </li>
            }
          </ul>
          <app-load-more [list]="list" noun="conversations" />
        </mat-card>

        <mat-card appearance="outlined" class="thread" data-testid="inbox-thread">
          @if (store.threadLoading()) {
            <mat-progress-bar mode="indeterminate" aria-label="Loading the conversation" />
          }
          @if (store.threadError(); as problem) {
            <p class="app-form-error" role="alert">{{ problem.detail || problem.title }}</p>
          }
          @if (store.selected(); as c) {
            <div class="thread-head">
              <button
                mat-icon-button
                type="button"
                class="back"
                (click)="closeConversation()"
                aria-label="Back to the list"
              >
                <mat-icon svgIcon="arrow_back" aria-hidden="true" />
              </button>
              <div class="who">
                <h2 data-testid="inbox-thread-name">{{ c.contactName ?? c.contactAddress }}</h2>
                <p class="app-muted">
                  <mat-icon class="channel" [svgIcon]="channels[c.channel].icon" aria-hidden="true" />
                  {{ channels[c.channel].label }} · {{ c.contactAddress }}
                  @if (c.leadId) {
                    · <a [routerLink]="['/leads', c.leadId]" data-testid="inbox-lead-link">Lead</a>
                  }
                </p>
              </div>
              <div class="thread-actions">
                @if (store.lead(); as lead) {
                  <mat-form-field appearance="outline" subscriptSizing="dynamic" class="lead-status">
                    <mat-label>Lead status</mat-label>
                    <mat-select
                      [value]="lead.status"
                      (selectionChange)="store.setLeadStatus($event.value)"
                      [disabled]="!store.canEditLead()"
                      data-testid="inbox-lead-status"
                    >
                      @for (s of leadStatuses; track s) {
                        <mat-option [value]="s">{{ statusLabels[s] }}</mat-option>
                      }
                    </mat-select>
                  </mat-form-field>
                }
                @if (store.canWrite()) {
                  <button mat-stroked-button type="button" [matMenuTriggerFor]="assignMenu" data-testid="inbox-assign">
                    <mat-icon svgIcon="person" aria-hidden="true" />
                    {{ c.assigneeId ? (c.assigneeId === store.me()?.id ? 'You' : 'Assigned') : 'Assign' }}
                  </button>
                  <mat-menu #assignMenu="matMenu">
                    <button mat-menu-item type="button" (click)="store.update({ assigneeId: store.me()?.id ?? null })">
                      Assign to me
                    </button>
                    <button
                      mat-menu-item
                      type="button"
                      [disabled]="!c.assigneeId"
                      (click)="store.update({ assigneeId: null })"
                    >
                      Unassign
                    </button>
                  </mat-menu>
                  @if (c.status === 'open') {
                    <button
                      mat-flat-button
                      type="button"
                      (click)="store.update({ status: 'closed' })"
                      data-testid="inbox-close"
                    >
                      <mat-icon svgIcon="check_circle" aria-hidden="true" /> Close
                    </button>
                  } @else {
                    <button
                      mat-stroked-button
                      type="button"
                      (click)="store.update({ status: 'open' })"
                      data-testid="inbox-reopen"
                    >
                      Reopen
                    </button>
                  }
                }
              </div>
            </div>

            <div class="messages" #messagesBox aria-live="polite" data-testid="inbox-messages">
              @if (store.hasOlder()) {
                <button mat-button type="button" class="older" (click)="store.loadOlder()">Earlier messages</button>
              }
              @for (m of store.messages(); track m.id) {
                <div
                  class="bubble"
                  [class.in]="m.direction === 'in'"
                  [class.out]="m.direction === 'out'"
                  [attr.data-kind]="m.kind"
                  data-testid="inbox-message"
                >
                  @if (m.direction === 'out') {
                    <span class="author">{{
                      m.kind === 'assistant' ? 'Assistant (from the help sources)' : m.authorLabel
                    }}</span>
                  }

                  <span class="body">{{ m.body }}</span>
                  <span class="meta">
                    <time [attr.datetime]="m.createdAt" [title]="m.createdAt | date: 'medium'">{{
                      m.createdAt | date: 'shortTime'
                    }}</time>
                    @if (m.direction === 'out' && c.channel === 'whatsapp' && tick(m); as t) {
                      <mat-icon
                        class="tick"
                        [class.read]="m.status === 'read'"
                        [class.failed]="m.status === 'failed'"
                        [svgIcon]="t.icon"
                        [attr.aria-label]="t.label"
                        [matTooltip]="m.error ?? t.label"
                        [attr.data-status]="m.status"
                        data-testid="inbox-tick"
                      />
                    }
                  </span>
                </div>
              }
            </div>

            @if (store.sendError(); as problem) {
              <p class="app-form-error send-error" role="alert" data-testid="inbox-send-error">
                {{ problem.detail || problem.title }}
              </p>
            }
            @if (!store.canWrite()) {
              <p class="app-muted composer-note">
                You can read this conversation; replying needs the conversations:write permission.
              </p>
            } @else if (c.window.open) {
              <form class="composer" (ngSubmit)="sendText()">
                <mat-form-field appearance="outline" subscriptSizing="dynamic" class="grow">
                  <mat-label>Reply</mat-label>
                  <textarea
                    matInput
                    name="text"
                    [(ngModel)]="draft"
                    rows="2"
                    maxlength="4096"
                    (keydown.control.enter)="sendText()"
                    data-testid="inbox-reply"
                  ></textarea>
                  @if (c.channel === 'whatsapp' && c.window.closesAt) {
                    <mat-hint>Free text until {{ c.window.closesAt | date: 'short' }} · the 24 h window</mat-hint>
                  }
                </mat-form-field>
                <button
                  mat-flat-button
                  type="submit"
                  [disabled]="store.sending() || !draft.trim()"
                  data-testid="inbox-send"
                >
                  <mat-icon svgIcon="send" aria-hidden="true" /> Send
                </button>
              </form>
            } @else {
              <section class="window-closed" role="note" data-testid="inbox-window-closed">
                <mat-icon svgIcon="schedule" aria-hidden="true" />
                <div>
                  <strong>The 24-hour window is closed.</strong>
                  <p>
                    WhatsApp delivers free-form text only within 24 hours of the contact's last message{{
                      c.window.closesAt ? ' (it closed ' + (c.window.closesAt | relativeTime) + ')' : ''
                    }}. Send an approved template instead; when they answer, you can write freely again.
                  </p>
                </div>
              </section>
              <form class="composer template" (ngSubmit)="sendTemplate()">
                <mat-form-field appearance="outline" subscriptSizing="dynamic">
                  <mat-label>Template name</mat-label>
                  <input
                    matInput
                    name="templateName"
                    [(ngModel)]="templateName"
                    required
                    pattern="[a-z0-9_]+"
                    data-testid="inbox-template-name"
                  />
                </mat-form-field>
                <mat-form-field appearance="outline" subscriptSizing="dynamic" class="lang">
                  <mat-label>Language</mat-label>
                  <input matInput name="language" [(ngModel)]="templateLanguage" required />
                </mat-form-field>
                <mat-form-field appearance="outline" subscriptSizing="dynamic" class="grow">
                  <mat-label>Body values, one per line</mat-label>
                  <textarea matInput name="params" [(ngModel)]="templateParams" rows="1"></textarea>
                </mat-form-field>
                <button
                  mat-flat-button
                  type="submit"
                  [disabled]="store.sending() || !templateName.trim()"
                  data-testid="inbox-send-template"
                >
                  <mat-icon svgIcon="send" aria-hidden="true" /> Send template
                </button>
              </form>
            }
          } @else if (!store.threadLoading()) {
            <div class="pick">
              <mat-icon svgIcon="forum" aria-hidden="true" />
              <p class="app-muted">Choose a conversation to read it and reply.</p>
            </div>
          }
        </mat-card>
      </div>
    </div>
  `,
  styles: `
    .inbox-page {
      max-width: 1500px;
    }
    .live {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      margin-left: 8px;
      font-size: 12px;
      color: var(--mat-sys-on-surface-variant);
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--mat-sys-outline);
      }
      &.on .dot {
        background: #2e7d32;
      }
    }
    .split {
      display: grid;
      grid-template-columns: minmax(300px, 2fr) 3fr;
      gap: 16px;
      align-items: stretch;
      height: calc(100vh - 190px);
      min-height: 480px;
    }
    .conversations,
    .thread {
      display: flex;
      flex-direction: column;
      min-height: 0;
      overflow: hidden;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      padding: 12px 12px 4px;
    }
    .progress-slot {
      height: 4px;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
      overflow: auto;
      flex: 1;
    }
    .conversation {
      &.unread .name,
      &.unread .preview {
        font-weight: 600;
        color: var(--mat-sys-on-surface);
      }
    }
    .avatar {
      flex: none;
      width: 40px;
      height: 40px;
      border-radius: 50%;
      display: flex;
      align-items: center;
      justify-content: center;
      font-weight: 600;
      color: var(--mat-sys-on-primary-container);
      background: var(--mat-sys-primary-container);
    }
    .text {
      display: flex;
      flex-direction: column;
      gap: 2px;
      min-width: 0;
      flex: 1;
    }
    .line {
      display: flex;
      align-items: center;
      gap: 6px;
      min-width: 0;
    }
    .name,
    .preview {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      flex: 1;
      min-width: 0;
    }
    .preview {
      color: var(--mat-sys-on-surface-variant);
      font-size: 14px;
    }
    time {
      flex: none;
      font-size: 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .channel {
      flex: none;
      width: 16px;
      height: 16px;
      color: var(--mat-sys-on-surface-variant);
      vertical-align: -3px;
    }
    .badge {
      flex: none;
      min-width: 20px;
      height: 20px;
      padding: 0 6px;
      border-radius: 10px;
      font-size: 12px;
      font-weight: 600;
      line-height: 20px;
      text-align: center;
      color: var(--mat-sys-on-primary);
      background: var(--mat-sys-primary);
    }
    .empty {
      padding: 32px 24px;
      text-align: center;
      h2 {
        margin: 12px 0 4px;
        font: var(--mat-sys-title-medium);
      }
      p {
        color: var(--mat-sys-on-surface-variant);
      }
    }
    .empty-links {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      justify-content: center;
    }
    .thread-head {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 12px 16px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      flex-wrap: wrap;
      h2 {
        margin: 0;
        font: var(--mat-sys-title-medium);
      }
      p {
        margin: 2px 0 0;
        font-size: 13px;
      }
    }
    .back {
      display: none;
    }
    .who {
      flex: 1;
      min-width: 160px;
    }
    .thread-actions {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
    }
    .lead-status {
      width: 150px;
    }
    .messages {
      flex: 1;
      overflow: auto;
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      background: var(--mat-sys-surface-container-lowest);
    }
    .older {
      align-self: center;
    }
    .bubble {
      max-width: min(75%, 560px);
      padding: 8px 12px;
      border-radius: 16px;
      display: flex;
      flex-direction: column;
      gap: 2px;
      &.in {
        align-self: flex-start;
        background: var(--mat-sys-surface-container-high);
        border-bottom-left-radius: 4px;
      }
      &.out {
        align-self: flex-end;
        color: var(--mat-sys-on-primary-container);
        background: var(--mat-sys-primary-container);
        border-bottom-right-radius: 4px;
      }
      &[data-kind='assistant'] {
        color: var(--mat-sys-on-tertiary-container);
        background: var(--mat-sys-tertiary-container);
      }
    }
    .author,
    .template-tag {
      font-size: 11px;
      font-weight: 600;
      opacity: 0.8;
    }
    .body {
      white-space: pre-wrap;
      word-break: break-word;
    }
    .meta {
      align-self: flex-end;
      display: flex;
      align-items: center;
      gap: 4px;
      time {
        color: inherit;
        opacity: 0.75;
        font-size: 11px;
      }
    }
    .tick {
      width: 16px;
      height: 16px;
      opacity: 0.75;
      &.read {
        color: #1e88e5;
        opacity: 1;
      }
      &.failed {
        color: var(--mat-sys-error);
        opacity: 1;
      }
    }
    .composer {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 12px 16px;
      border-top: 1px solid var(--mat-sys-outline-variant);
      flex-wrap: wrap;
      .grow {
        flex: 1;
        min-width: 200px;
      }
      button {
        margin-top: 8px;
      }
      .lang {
        width: 110px;
      }
    }
    .composer-note,
    .send-error {
      margin: 0;
      padding: 8px 16px;
    }
    .window-closed {
      display: flex;
      gap: 12px;
      margin: 12px 16px 0;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-large);
      color: var(--mat-sys-on-secondary-container);
      background: var(--mat-sys-secondary-container);
      p {
        margin: 4px 0 0;
      }
      mat-icon {
        flex: none;
      }
    }
    .pick {
      flex: 1;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 8px;
      mat-icon {
        width: 48px;
        height: 48px;
        color: var(--mat-sys-outline);
      }
    }
    @media (max-width: 840px) {
      .split {
        grid-template-columns: 1fr;
        height: auto;
      }
      .split.thread-open .conversations,
      .split:not(.thread-open) .thread {
        display: none;
      }
      .thread {
        height: calc(100vh - 150px);
      }
      .back {
        display: inline-flex;
      }
      .bubble {
        max-width: 88%;
      }
      .composer {
        /* The assistant's button sits in the bottom corner. */
        padding-right: 80px;
      }
    }
  `,
})
export class InboxPageComponent implements OnInit {
  readonly store = inject(InboxStore);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly messagesBox = viewChild<ElementRef<HTMLElement>>('messagesBox');

  readonly list = this.store.list;
  readonly channels = CHANNELS;
  readonly leadStatuses: readonly LeadStatus[] = LEAD_STATUSES;
  readonly statusLabels = STATUS_LABELS;
  draft = '';
  templateName = '';
  templateLanguage = 'en_US';
  templateParams = '';
  private readonly lastCount = signal(0);

  readonly emptyTitle = computed(() => {
    if (this.store.status() === 'closed') return 'No closed conversations';
    if (this.store.filter() === 'unread') return 'Nothing unread';
    if (this.store.filter() === 'mine') return 'Nothing assigned to you';
    return 'No conversations yet';
  });
  readonly emptyText = computed(() => {
    if (this.store.status() === 'closed') return 'Conversations you close show up here.';
    if (this.store.filter() === 'unread') return 'You are all caught up. New messages appear here as they arrive.';
    if (this.store.filter() === 'mine') return 'Open a conversation and choose Assign > Assign to me.';
    return 'Messages to your WhatsApp number and from the website widget appear here as they arrive, without reloading.';
  });

  constructor() {
    // Keep the newest message in view when messages arrive.
    effect(() => {
      const count = this.store.messages().length;
      const box = this.messagesBox()?.nativeElement;
      if (box && count !== this.lastCount()) {
        this.lastCount.set(count);
        queueMicrotask(() => (box.scrollTop = box.scrollHeight));
      }
    });
  }

  ngOnInit(): void {
    void this.list.reload();
    const id = this.route.snapshot.queryParamMap.get('conversation');
    if (id) void this.store.open(id);
  }

  setFilter(filter: InboxFilter): void {
    void this.store.setFilter(filter);
  }

  openConversation(id: string): void {
    this.draft = '';
    void this.store.open(id);
    void this.router.navigate([], { queryParams: { conversation: id }, replaceUrl: true });
  }

  closeConversation(): void {
    this.store.close();
    void this.router.navigate([], { queryParams: {}, replaceUrl: true });
  }

  async sendText(): Promise<void> {
    const text = this.draft.trim();
    if (!text || this.store.sending()) return;
    if (await this.store.reply({ kind: 'text', text })) this.draft = '';
  }

  async sendTemplate(): Promise<void> {
    const templateName = this.templateName.trim();
    if (!templateName || this.store.sending()) return;
    const bodyParameters = this.templateParams
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    if (
      await this.store.reply({
        kind: 'template',
        templateName,
        language: this.templateLanguage.trim() || 'en_US',
        bodyParameters,
      })
    ) {
      this.templateParams = '';
    }
  }

  tick(m: ConversationMessageDto) {
    return TICKS[m.status];
  }

  initials(name: string): string {
    const parts = name.replace(/^\+/, '').split(/\s+/).filter(Boolean);
    return parts.length > 1
      ? `${parts[0][0]}${parts[1][0]}`.toUpperCase()
      : name.replace(/^\+/, '').slice(0, 2).toUpperCase();
  }
}
