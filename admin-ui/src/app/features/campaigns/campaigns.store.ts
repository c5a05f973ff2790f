import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiConfiguration, CampaignDto, getCampaign, listCampaigns } from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { KeysetList } from '../../shared/list/keyset-list';
import { showsProgress } from './campaigns.model';
import { CampaignFilters, NO_CAMPAIGN_FILTERS, campaignListParams, isCampaignFiltered } from './campaigns.query';

export const CAMPAIGNS_PAGE_SIZE = 25;
/** The list re-reads the campaigns still sending this often. */
export const LIST_REFRESH_MS = 5_000;

type Body<T> = { body: T };

/** The campaigns list (/campaigns): filters, keyset pages, and the progress of the ones sending. */
@Injectable()
export class CampaignsStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly _filters = signal<CampaignFilters>(NO_CAMPAIGN_FILTERS);
  private timer: ReturnType<typeof setInterval> | undefined;
  private refreshing = false;

  readonly filters = this._filters.asReadonly();
  readonly filtered = computed(() => isCampaignFiltered(this._filters()));
  readonly list = new KeysetList<CampaignDto>((cursor) =>
    this.call(
      listCampaigns(
        this.http,
        this.apiConfig.rootUrl,
        campaignListParams(this._filters(), CAMPAIGNS_PAGE_SIZE, cursor),
      ),
    ),
  );
  readonly moving = computed(() => this.list.items().filter((campaign) => showsProgress(campaign.status)));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  load(): Promise<void> {
    this.timer ??= setInterval(() => void this.refreshMoving(), LIST_REFRESH_MS);
    return this.list.reload();
  }

  setFilters(filters: CampaignFilters): Promise<void> {
    this._filters.set(filters);
    return this.list.reload();
  }

  patchFilters(changes: Partial<CampaignFilters>): Promise<void> {
    return this.setFilters({ ...this._filters(), ...changes });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The sending and paused rows again (their progress moves); the others do not change by themselves. */
  async refreshMoving(): Promise<void> {
    const moving = this.moving().filter((campaign) => campaign.status === 'sending');
    if (moving.length === 0 || this.refreshing) {
      return;
    }
    this.refreshing = true;
    try {
      for (const campaign of moving) {
        this.list.replace(await this.call(getCampaign(this.http, this.apiConfig.rootUrl, { id: campaign.id })));
      }
    } catch {
      // The next tick tries again; the last known numbers stay.
    } finally {
      this.refreshing = false;
    }
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
