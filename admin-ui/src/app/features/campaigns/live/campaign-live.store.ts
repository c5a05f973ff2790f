import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  CampaignDto,
  RecipientDto,
  cancelCampaign,
  deleteCampaign,
  duplicateCampaign,
  getCampaign,
  listCampaignRecipients,
  pauseCampaign,
  resumeCampaign,
  retryFailedCampaign,
  unscheduleCampaign,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { KeysetList } from '../../../shared/list/keyset-list';
import { CampaignAction, allowedActions, campaignProgress, funnel, isLive } from '../campaigns.model';
import { NO_RECIPIENT_FILTERS, RecipientFilters, recipientListParams } from '../campaigns.query';

/** How often the live page asks for the numbers of a campaign that is sending. */
export const CAMPAIGN_POLL_MS = new InjectionToken<number>('CampaignPollMs', { factory: () => 2_000 });
export const RECIPIENTS_PAGE_SIZE = 50;

type Body<T> = { body: T };
export type TransitionAction = Extract<CampaignAction, 'pause' | 'resume' | 'cancel' | 'retryFailed' | 'unschedule'>;

/**
 * The live page of one campaign: its numbers (polled every 2 s while it sends or waits for its
 * time, stopped once it is finished or the page is left), its actions, and its recipients.
 */
@Injectable()
export class CampaignLiveStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly auth = inject(AuthStore);
  private readonly pollMs = inject(CAMPAIGN_POLL_MS);

  private readonly _campaign = signal<CampaignDto | null>(null);
  private readonly _error = signal<ApiProblem | null>(null);
  private readonly _pollError = signal<ApiProblem | null>(null);
  private readonly _busy = signal<CampaignAction | null>(null);
  private readonly _recipientFilters = signal<RecipientFilters>(NO_RECIPIENT_FILTERS);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  /** The recipients table follows the numbers: reloaded when they move, at most every few polls. */
  private lastRecipientsReload = 0;

  readonly campaign = this._campaign.asReadonly();
  readonly error = this._error.asReadonly();
  readonly pollError = this._pollError.asReadonly();
  readonly busy = this._busy.asReadonly();
  readonly recipientFilters = this._recipientFilters.asReadonly();
  readonly polling = signal(false);

  readonly actions = computed(() => {
    const campaign = this._campaign();
    return campaign ? allowedActions(campaign, this.auth.permissions()) : [];
  });
  readonly progress = computed(() => {
    const campaign = this._campaign();
    return campaign ? campaignProgress(campaign.stats) : null;
  });
  readonly funnel = computed(() => {
    const campaign = this._campaign();
    return campaign ? funnel(campaign.stats) : [];
  });

  readonly recipients = new KeysetList<RecipientDto>((cursor) => {
    const campaign = this._campaign();
    if (!campaign) {
      return Promise.resolve({ items: [], nextCursor: null });
    }
    return this.call(
      listCampaignRecipients(
        this.http,
        this.apiConfig.rootUrl,
        recipientListParams(campaign.id, this._recipientFilters(), RECIPIENTS_PAGE_SIZE, cursor),
      ),
    );
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  async load(id: string): Promise<void> {
    this.stop();
    this._error.set(null);
    this._campaign.set(null);
    try {
      this.show(await this.call(getCampaign(this.http, this.apiConfig.rootUrl, { id })));
      await this.recipients.reload();
    } catch (error: unknown) {
      this._error.set(toApiProblem(error));
    }
  }

  /** Stops polling (the page is left). */
  stop(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.polling.set(false);
  }

  setRecipientFilters(filters: RecipientFilters): Promise<void> {
    this._recipientFilters.set(filters);
    return this.recipients.reload();
  }

  patchRecipientFilters(changes: Partial<RecipientFilters>): Promise<void> {
    return this.setRecipientFilters({ ...this._recipientFilters(), ...changes });
  }

  can(action: CampaignAction): boolean {
    return this.actions().includes(action);
  }

  /** Pause, resume, cancel, retry failed, unschedule: the API answers the campaign in its new state. */
  async run(action: TransitionAction): Promise<CampaignDto> {
    const campaign = this._campaign();
    if (!campaign) {
      throw new Error('No campaign');
    }
    const fn = {
      pause: pauseCampaign,
      resume: resumeCampaign,
      cancel: cancelCampaign,
      retryFailed: retryFailedCampaign,
      unschedule: unscheduleCampaign,
    }[action];
    this._busy.set(action);
    try {
      const updated = await this.call(fn(this.http, this.apiConfig.rootUrl, { id: campaign.id }));
      this.show(updated);
      void this.recipients.reload();
      return updated;
    } finally {
      this._busy.set(null);
    }
  }

  async duplicate(): Promise<CampaignDto> {
    const campaign = this._campaign();
    if (!campaign) {
      throw new Error('No campaign');
    }
    this._busy.set('duplicate');
    try {
      return await this.call(duplicateCampaign(this.http, this.apiConfig.rootUrl, { id: campaign.id }));
    } finally {
      this._busy.set(null);
    }
  }

  async remove(): Promise<void> {
    const campaign = this._campaign();
    if (!campaign) {
      return;
    }
    this._busy.set('delete');
    try {
      await firstValueFrom(deleteCampaign(this.http, this.apiConfig.rootUrl, { id: campaign.id }));
    } finally {
      this._busy.set(null);
    }
  }

  /** Shows a fresh state and polls again while the campaign is live. */
  private show(campaign: CampaignDto): void {
    this._campaign.set(campaign);
    this.stopTimer();
    if (isLive(campaign.status)) {
      this.schedulePoll(campaign.id);
    } else {
      this.polling.set(false);
    }
  }

  private stopTimer(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedulePoll(id: string): void {
    const generation = this.generation;
    this.polling.set(true);
    this.timer = setTimeout(() => void this.poll(id, generation), this.pollMs);
  }

  private async poll(id: string, generation: number): Promise<void> {
    try {
      const before = this._campaign();
      const fresh = await this.call(getCampaign(this.http, this.apiConfig.rootUrl, { id }));
      if (generation !== this.generation) {
        return;
      }
      this._pollError.set(null);
      this.show(fresh);
      const finished = before !== null && isLive(before.status) && !isLive(fresh.status);
      const now = Date.now();
      if (finished || now - this.lastRecipientsReload >= 5 * this.pollMs) {
        this.lastRecipientsReload = now;
        // Only the first page moves under the user's eyes; one who loaded more keeps their rows.
        if (!this.recipients.hasMore() || this.recipients.items().length <= RECIPIENTS_PAGE_SIZE) {
          void this.recipients.reload();
        }
      }
    } catch (error: unknown) {
      if (generation !== this.generation) {
        return;
      }
      this._pollError.set(toApiProblem(error));
      this.schedulePoll(id);
    }
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
