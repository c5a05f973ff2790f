import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { debounceTime, distinctUntilChanged, map } from 'rxjs';

import { CampaignChannel, CampaignDto, CampaignStatus } from '@meridian/api-client';

import { AuthStore } from '../../../core/auth/auth.store';
import { RelativeTimePipe } from '../../../shared/format/format.pipes';
import { LoadMoreComponent } from '../../../shared/list/load-more.component';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_STATUSES,
  CAMPAIGN_STATUS_INFO,
  CHANNEL_INFO,
  formatInZone,
  showsProgress,
} from '../campaigns.model';
import { NO_CAMPAIGN_FILTERS } from '../campaigns.query';
import { CampaignsStore } from '../campaigns.store';
import { CampaignProgressComponent } from '../components/campaign-progress.component';
import { CampaignStatusChipComponent } from '../components/campaign-status-chip.component';

const SEARCH_DEBOUNCE_MS = 300;

/** /campaigns: every campaign of the organization, newest first, with the progress of those sending. */
@Component({
  selector: 'app-campaigns-page',
  imports: [
    CampaignProgressComponent,
    CampaignStatusChipComponent,
    DatePipe,
    LoadMoreComponent,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    ReactiveFormsModule,
    RelativeTimePipe,
    RouterLink,
  ],
  providers: [CampaignsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './campaigns-page.component.html',
  styleUrl: './campaigns-page.component.scss',
})
export class CampaignsPageComponent implements OnInit {
  protected readonly store = inject(CampaignsStore);
  private readonly auth = inject(AuthStore);

  protected readonly list = this.store.list;
  protected readonly filters = this.store.filters;
  protected readonly canWrite = computed(() => this.auth.permissions().has('campaigns:write'));
  protected readonly canReadLeads = computed(() => this.auth.permissions().has('leads:read'));
  protected readonly statuses = CAMPAIGN_STATUSES;
  protected readonly statusInfo = CAMPAIGN_STATUS_INFO;
  protected readonly channels = CAMPAIGN_CHANNELS;
  protected readonly channelInfo = CHANNEL_INFO;
  /** On a phone: the name (with the progress under it) and the status, without sideways scrolling. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 599.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() =>
    this.narrow() ? ['name', 'status'] : ['name', 'status', 'progress', 'audience', 'when'],
  );
  protected readonly search = new FormControl('', { nonNullable: true });

  constructor() {
    this.search.valueChanges
      .pipe(
        map((value) => value.trim()),
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        takeUntilDestroyed(),
      )
      .subscribe((q) => void this.store.patchFilters({ q }));
  }

  ngOnInit(): void {
    void this.store.load();
  }

  protected setStatus(status: CampaignStatus | null): void {
    void this.store.patchFilters({ status });
  }

  protected setChannel(channel: CampaignChannel | null): void {
    void this.store.patchFilters({ channel });
  }

  protected clearFilters(): void {
    this.search.setValue('', { emitEvent: false });
    void this.store.setFilters(NO_CAMPAIGN_FILTERS);
  }

  protected channelOf(campaign: CampaignDto): { label: string; icon: string } {
    return CHANNEL_INFO[campaign.channel];
  }

  protected showsProgress(campaign: CampaignDto): boolean {
    return showsProgress(campaign.status);
  }

  protected scheduledFor(campaign: CampaignDto): string {
    return formatInZone(campaign.sendAt, campaign.timeZone);
  }

  protected audience(campaign: CampaignDto): string {
    if (campaign.audience.segmentName) {
      return campaign.audience.segmentName;
    }
    return campaign.audience.filter ? 'Filtered leads' : '—';
  }

  protected link(campaign: CampaignDto): unknown[] {
    return campaign.status === 'draft' && this.canWrite()
      ? ['/campaigns', campaign.id, 'edit']
      : ['/campaigns', campaign.id];
  }
}
