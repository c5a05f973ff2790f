import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiConfiguration, DashboardDto, LeadSource, getAnalyticsDashboard } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

export type DashboardPeriod = '7d' | '30d' | '90d' | '365d' | 'custom';

export interface DashboardFilters {
  period: DashboardPeriod;
  /** First and last day (YYYY-MM-DD, organization time zone) of a custom period; null for a preset. */
  from: string | null;
  to: string | null;
  source: LeadSource | null;
  ownerId: string | null;
  tag: string | null;
}

export const DEFAULT_DASHBOARD_FILTERS: DashboardFilters = {
  period: '30d',
  from: null,
  to: null,
  source: null,
  ownerId: null,
  tag: null,
};
/** Auto-refresh re-reads the dashboard this often (the rollups move every ~15 s). */
export const AUTO_REFRESH_MS = 30_000;

/** The dashboard: filters, the last answer, loading/error state and the auto-refresh timer. */
@Injectable()
export class AnalyticsStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private timer: ReturnType<typeof setInterval> | undefined;
  private request = 0;

  readonly filters = signal<DashboardFilters>(DEFAULT_DASHBOARD_FILTERS);
  readonly data = signal<DashboardDto | null>(null);
  readonly loading = signal(false);
  readonly error = signal<ApiProblem | null>(null);
  readonly autoRefresh = signal(false);
  readonly filtered = computed(() => {
    const f = this.filters();
    return f.source !== null || f.ownerId !== null || f.tag !== null;
  });
  /** Nothing at all in the period (with the filters): the page shows an empty state instead of zeros. */
  readonly empty = computed(() => {
    const d = this.data();
    return (
      d !== null && d.kpis.newLeads.value === 0 && d.kpis.campaignsSent.value === 0 && d.kpis.newLeads.previous === 0
    );
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.setAutoRefresh(false));
  }

  setFilters(changes: Partial<DashboardFilters>): Promise<void> {
    this.filters.update((f) => ({ ...f, ...changes }));
    return this.load();
  }

  setAutoRefresh(on: boolean): void {
    this.autoRefresh.set(on);
    clearInterval(this.timer);
    this.timer = on ? setInterval(() => void this.load(true), AUTO_REFRESH_MS) : undefined;
  }

  /** `quiet`: a background refresh keeps the current figures on screen and an error does not replace them. */
  async load(quiet = false): Promise<void> {
    const id = ++this.request;
    const f = this.filters();
    if (!quiet) this.loading.set(true);
    try {
      const data = await firstValueFrom(
        getAnalyticsDashboard(this.http, this.apiConfig.rootUrl, {
          period: f.period,
          ...(f.period === 'custom' && f.from && f.to ? { from: f.from, to: f.to } : {}),
          ...(f.source ? { source: f.source } : {}),
          ...(f.ownerId ? { ownerId: f.ownerId } : {}),
          ...(f.tag ? { tag: f.tag } : {}),
        }).pipe(map((r) => r.body)),
      );
      if (id !== this.request) return;
      this.data.set(data);
      this.error.set(null);
    } catch (err) {
      if (id !== this.request) return;
      if (!quiet || !this.data()) this.error.set(toApiProblem(err));
    } finally {
      if (id === this.request) this.loading.set(false);
    }
  }
}
