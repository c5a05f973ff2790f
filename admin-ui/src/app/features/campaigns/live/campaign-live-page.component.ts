import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { debounceTime, distinctUntilChanged, map } from 'rxjs';

import { RecipientStatus } from '@meridian/api-client';

import { toApiProblem } from '../../../core/http/api-problem';
import { confirmAction } from '../../../shared/dialogs/confirm-dialog.component';
import { RelativeTimePipe } from '../../../shared/format/format.pipes';
import { LoadMoreComponent } from '../../../shared/list/load-more.component';
import {
  CHANNEL_INFO,
  RECIPIENT_STATUSES,
  RECIPIENT_STATUS_INFO,
  formatInZone,
  plural,
  rate,
} from '../campaigns.model';
import { CampaignProgressComponent } from '../components/campaign-progress.component';
import {
  CampaignStatusChipComponent,
  RecipientStatusChipComponent,
} from '../components/campaign-status-chip.component';
import { CampaignLiveStore, TransitionAction } from './campaign-live.store';

const SEARCH_DEBOUNCE_MS = 300;

interface Counter {
  key: string;
  label: string;
  value: number;
  rate: string;
  rateOf: string;
  tone?: 'bad';
}

/** /campaigns/:id: the live page of one campaign. */
@Component({
  selector: 'app-campaign-live-page',
  imports: [
    CampaignProgressComponent,
    CampaignStatusChipComponent,
    DatePipe,
    LoadMoreComponent,
    MatButtonModule,
    MatCardModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTableModule,
    MatTooltipModule,
    ReactiveFormsModule,
    RecipientStatusChipComponent,
    RelativeTimePipe,
    RouterLink,
  ],
  providers: [CampaignLiveStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './campaign-live-page.component.html',
  styleUrl: './campaign-live-page.component.scss',
})
export class CampaignLivePageComponent implements OnInit {
  /** The route's :id (component input binding). */
  readonly id = input.required<string>();

  protected readonly store = inject(CampaignLiveStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly campaign = this.store.campaign;
  protected readonly recipients = this.store.recipients;
  protected readonly channelInfo = CHANNEL_INFO;
  protected readonly recipientStatuses = RECIPIENT_STATUSES;
  protected readonly recipientInfo = RECIPIENT_STATUS_INFO;
  protected readonly columns = ['lead', 'address', 'status', 'sentAt', 'engagement', 'error'];
  protected readonly search = new FormControl('', { nonNullable: true });

  protected readonly counters = computed<Counter[]>(() => {
    const c = this.campaign();
    if (!c) {
      return [];
    }
    const s = c.stats;
    const email = c.channel === 'email';
    return [
      { key: 'sent', label: 'Sent', value: s.sent, rate: rate(s.sent, s.total), rateOf: 'of the audience' },
      { key: 'delivered', label: 'Delivered', value: s.delivered, rate: rate(s.delivered, s.sent), rateOf: 'of sent' },
      {
        key: 'opened',
        label: email ? 'Opened' : 'Read',
        value: s.opened,
        rate: rate(s.opened, s.sent),
        rateOf: 'of sent',
      },
      { key: 'clicked', label: 'Clicked', value: s.clicked, rate: rate(s.clicked, s.opened), rateOf: 'of opened' },
      {
        key: 'bounced',
        label: 'Bounced',
        value: s.bounced,
        rate: rate(s.bounced, s.sent),
        rateOf: 'of sent',
        tone: 'bad',
      },
      {
        key: 'unsubscribed',
        label: 'Unsubscribed',
        value: s.unsubscribed,
        rate: rate(s.unsubscribed, s.sent),
        rateOf: 'of sent',
        tone: 'bad',
      },
      {
        key: 'failed',
        label: 'Failed',
        value: s.failed,
        rate: rate(s.failed, s.total),
        rateOf: 'of the audience',
        tone: 'bad',
      },
    ];
  });
  protected readonly excludedTotal = computed(() => {
    const excluded = this.campaign()?.stats.excluded;
    return excluded ? excluded.noAddress + excluded.noConsent + excluded.suppressed : 0;
  });

  protected readonly excludedLabel = computed(() => {
    const count = this.excludedTotal();
    return `${plural(count, 'matching lead')} ${count === 1 ? 'was' : 'were'} not sent to:`;
  });

  constructor() {
    this.search.valueChanges
      .pipe(
        map((value) => value.trim()),
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        takeUntilDestroyed(),
      )
      .subscribe((q) => void this.store.patchRecipientFilters({ q }));
  }

  ngOnInit(): void {
    void this.store.load(this.id());
  }

  protected scheduledFor(): string {
    const c = this.campaign();
    return c ? formatInZone(c.sendAt, c.timeZone) : '';
  }

  protected filterStatus(status: RecipientStatus | null): void {
    void this.store.patchRecipientFilters({ status });
  }

  protected async transition(action: TransitionAction): Promise<void> {
    const c = this.campaign();
    if (!c) {
      return;
    }
    if (action === 'cancel') {
      const left = c.stats.remaining;
      const confirmed = await confirmAction(this.dialog, {
        title: `Cancel “${c.name}”?`,
        message:
          c.status === 'scheduled'
            ? 'It will not be sent. A cancelled campaign cannot be restarted; duplicate it to send it later.'
            : `The ${plural(left, 'message')} not sent yet will not be sent. What went out stays sent. This cannot be undone.`,
        confirmLabel: 'Cancel campaign',
        destructive: true,
      });
      if (!confirmed) {
        return;
      }
    }
    if (action === 'retryFailed') {
      const confirmed = await confirmAction(this.dialog, {
        title: `Retry ${plural(c.stats.failed, 'failed message')}?`,
        message: 'Only the recipients whose message failed are sent again; everyone else is left alone.',
        confirmLabel: 'Retry failed',
      });
      if (!confirmed) {
        return;
      }
    }
    const done: Record<TransitionAction, string> = {
      pause: 'paused',
      resume: 'resumed',
      cancel: 'cancelled',
      retryFailed: 'sending the failed messages again',
      unschedule: 'back to draft',
    };
    try {
      await this.store.run(action);
      this.notify(`“${c.name}” ${done[action]}`);
    } catch (error: unknown) {
      this.notify(`Could not do that: ${toApiProblem(error).detail}`);
      void this.store.load(c.id);
    }
  }

  protected async duplicate(): Promise<void> {
    try {
      const copy = await this.store.duplicate();
      this.notify(`Draft “${copy.name}” created`);
      void this.router.navigate(['/campaigns', copy.id, 'edit']);
    } catch (error: unknown) {
      this.notify(`Could not duplicate: ${toApiProblem(error).detail}`);
    }
  }

  protected async remove(): Promise<void> {
    const c = this.campaign();
    if (!c) {
      return;
    }
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete the draft “${c.name}”?`,
      message: 'The draft and its content are deleted. Nothing was sent.',
      confirmLabel: 'Delete draft',
      destructive: true,
    });
    if (!confirmed) {
      return;
    }
    try {
      await this.store.remove();
      this.notify(`“${c.name}” deleted`);
      void this.router.navigate(['/campaigns']);
    } catch (error: unknown) {
      this.notify(`Could not delete: ${toApiProblem(error).detail}`);
    }
  }

  protected reload(): void {
    void this.store.load(this.id());
  }

  private notify(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 6000 });
  }
}
