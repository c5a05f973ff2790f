import { DecimalPipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  OnInit,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ApiConfiguration, KpiDto, LeadSource, UserDto, listUsers } from '@meridian/api-client';
import type { ChartData, ChartOptions } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { firstValueFrom } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { ThemeService } from '../../core/theme/theme.service';
import { LEAD_SOURCES, SOURCE_LABELS } from '../leads/leads.query';
import { FunnelComponent, FunnelStep } from '../../shared/funnel/funnel.component';
import { AnalyticsStore, DashboardPeriod } from './analytics.store';
import { ChartPalette, baseOptions, readPalette } from './chart-theme';
import {
  RANGE_ERROR_MESSAGES,
  dateOf,
  dayOf,
  periodFromQuery,
  periodToQuery,
  rangeError,
  todayIn,
} from './dashboard-range';

const PERIODS: { value: DashboardPeriod; label: string }[] = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '12 months' },
  { value: 'custom', label: 'Custom range' },
];

interface KpiCard {
  key: string;
  label: string;
  kpi: KpiDto;
  rate: boolean;
  /** Up is bad (unsubscribes). */
  inverse?: boolean;
  link: string[];
  query: Record<string, string | string[]> | null;
  hint: string;
}

const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const formatDay = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

@Component({
  selector: 'app-dashboard-page',
  imports: [
    FunnelComponent,
    BaseChartDirective,
    DecimalPipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatTooltipModule,
    ReactiveFormsModule,
    RouterLink,
  ],
  providers: [AnalyticsStore, provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dashboard-page.component.html',
  styleUrl: './dashboard-page.component.scss',
})
export class DashboardPageComponent implements OnInit {
  protected readonly store = inject(AnalyticsStore);
  protected readonly auth = inject(AuthStore);
  private readonly theme = inject(ThemeService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly periods = PERIODS;
  protected readonly sources = LEAD_SOURCES;
  protected readonly sourceLabels = SOURCE_LABELS;
  protected readonly users = signal<UserDto[]>([]);
  protected readonly canReadLeads = computed(() => this.auth.permissions().has('leads:read'));
  protected readonly canWriteLeads = computed(() => this.auth.permissions().has('leads:write'));
  protected readonly canWriteCampaigns = computed(() => this.auth.permissions().has('campaigns:write'));
  private readonly palette = signal<ChartPalette | null>(null);
  private readonly now = signal(Date.now());

  /** The custom range being picked; applied (and put in the URL) once both days are valid. */
  protected readonly range = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  /** "Custom range" chosen but not applied yet: the toggle shows it while the range is picked. */
  protected readonly picking = signal(false);
  /** Today where the organization's days are cut (the browser's until the first answer says which zone). */
  protected readonly today = computed(() => todayIn(this.store.data()?.period.timeZone, new Date(this.now())));
  protected readonly maxDate = computed(() => dateOf(this.today()));
  protected readonly selectedPeriod = computed(() => (this.picking() ? 'custom' : this.store.filters().period));

  constructor() {
    effect(() => {
      this.theme.scheme();
      // After the theme class has changed on <html>: the next frame reads the new colours.
      requestAnimationFrame(() => this.palette.set(readPalette(this.host.nativeElement)));
    });
    const tick = setInterval(() => this.now.set(Date.now()), 5_000);
    inject(DestroyRef).onDestroy(() => clearInterval(tick));
  }

  ngOnInit(): void {
    // A shared link opens on its period (an invalid one falls back to the default).
    const fromLink = periodFromQuery(this.route.snapshot.queryParamMap, this.today());
    this.store.filters.update((f) => ({ ...f, ...fromLink }));
    if (fromLink.period === 'custom') this.range.setValue({ start: dateOf(fromLink.from!), end: dateOf(fromLink.to!) });
    void this.store.load();
    if (this.auth.permissions().has('users:read')) {
      void firstValueFrom(listUsers(this.http, this.apiConfig.rootUrl, { limit: 200 })).then(
        (r) => this.users.set(r.body.items.filter((u) => u.status === 'active')),
        () => this.users.set([]),
      );
    }
  }

  protected readonly freshness = computed(() => {
    const d = this.store.data();
    if (!d?.asOf) return null;
    const age = Math.max(0, Math.round((this.now() - Date.parse(d.asOf)) / 1000));
    return {
      at: new Date(d.asOf),
      age: age < 60 ? `${age} s ago` : `${Math.round(age / 60)} min ago`,
      stale: age > 120,
    };
  });

  /** Query params of the leads list for the period and filters, plus `extra`. */
  protected leadsQuery(extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
    const d = this.store.data();
    const f = this.store.filters();
    const q: Record<string, string | string[]> = {};
    if (d) {
      q['createdFrom'] = d.period.from;
      q['createdTo'] = d.period.to;
    }
    if (f.source) q['source'] = f.source;
    if (f.tag) q['tag'] = f.tag;
    if (f.ownerId) q['ownerId'] = f.ownerId;
    return { ...q, ...extra };
  }

  protected readonly kpiCards = computed<KpiCard[]>(() => {
    const d = this.store.data();
    if (!d) return [];
    const k = d.kpis;
    const leads = (extra: Record<string, string | string[]> = {}) =>
      this.canReadLeads() ? this.leadsQuery(extra) : null;
    return [
      {
        key: 'newLeads',
        label: 'New leads',
        kpi: k.newLeads,
        rate: false,
        link: ['/leads'],
        query: leads(),
        hint: 'Leads created in the period',
      },
      {
        key: 'qualified',
        label: 'Qualified',
        kpi: k.qualified,
        rate: false,
        link: ['/leads'],
        query: leads({ status: ['qualified', 'converted'] }),
        hint: 'Of the new leads, qualified or converted now',
      },
      {
        key: 'converted',
        label: 'Converted',
        kpi: k.converted,
        rate: false,
        link: ['/leads'],
        query: leads({ status: 'converted' }),
        hint: 'Of the new leads, converted now',
      },
      {
        key: 'conversionRate',
        label: 'Conversion rate',
        kpi: k.conversionRate,
        rate: true,
        link: ['/leads'],
        query: leads({ status: 'converted' }),
        hint: 'Converted ÷ new leads',
      },
      {
        key: 'campaignsSent',
        label: 'Campaigns sent',
        kpi: k.campaignsSent,
        rate: false,
        link: ['/campaigns'],
        query: {},
        hint: 'Campaigns started in the period',
      },
      {
        key: 'deliveryRate',
        label: 'Delivery rate',
        kpi: k.deliveryRate,
        rate: true,
        link: ['/campaigns'],
        query: {},
        hint: `${k.messagesSent.value.toLocaleString('en')} messages sent; delivered ÷ sent`,
      },
      {
        key: 'openRate',
        label: 'Open rate',
        kpi: k.openRate,
        rate: true,
        link: ['/campaigns'],
        query: {},
        hint: 'Opened ÷ delivered',
      },
      {
        key: 'clickRate',
        label: 'Click rate',
        kpi: k.clickRate,
        rate: true,
        link: ['/campaigns'],
        query: {},
        hint: 'Clicked ÷ delivered',
      },
      {
        key: 'unsubscribeRate',
        label: 'Unsubscribe rate',
        kpi: k.unsubscribeRate,
        rate: true,
        inverse: true,
        link: ['/campaigns'],
        query: {},
        hint: 'Unsubscribed ÷ delivered',
      },
    ];
  });

  protected formatValue(card: KpiCard): string {
    return card.rate ? `${(card.kpi.value * 100).toFixed(1)}%` : card.kpi.value.toLocaleString('en');
  }

  /** "+25%" for counts, "+2.0 pts" for rates; null when there is nothing to compare with. */
  protected formatChange(card: KpiCard): { text: string; tone: 'up' | 'down' | 'flat' } | null {
    const c = card.kpi.change;
    if (c === null) return null;
    const tone = Math.abs(c) < 1e-9 ? 'flat' : c > 0 !== !!card.inverse ? 'up' : 'down';
    const sign = c > 0 ? '+' : c < 0 ? '−' : '±';
    const text = card.rate ? `${sign}${Math.abs(c * 100).toFixed(1)} pts` : `${sign}${Math.round(Math.abs(c) * 100)}%`;
    return { text, tone };
  }

  protected readonly leadsChart = computed<{ data: ChartData<'bar'>; options: ChartOptions<'bar'> } | null>(() => {
    const d = this.store.data();
    const p = this.palette();
    if (!d || !p) return null;
    const present = LEAD_SOURCES.filter((s) => d.leadsByDay.some((day) => (day.bySource[s] ?? 0) > 0));
    return {
      data: {
        labels: d.leadsByDay.map((x) => formatDay(x.day)),
        datasets: present.map((s) => {
          const color = p.series[LEAD_SOURCES.indexOf(s) % p.series.length];
          return {
            label: SOURCE_LABELS[s],
            data: d.leadsByDay.map((x) => x.bySource[s] ?? 0),
            backgroundColor: color,
            borderColor: color,
            borderRadius: 3,
            maxBarThickness: 28,
          };
        }),
      },
      options: baseOptions(p, true) as ChartOptions<'bar'>,
    };
  });

  protected readonly engagementChart = computed<{ data: ChartData<'line'>; options: ChartOptions<'line'> } | null>(
    () => {
      const d = this.store.data();
      const p = this.palette();
      if (!d || !p) return null;
      const series: { key: 'sent' | 'opened' | 'clicked' | 'unsubscribed'; label: string; color: string }[] = [
        { key: 'sent', label: 'Sent', color: p.series[0] },
        { key: 'opened', label: 'Opened', color: p.series[1] },
        { key: 'clicked', label: 'Clicked', color: p.series[2] },
        { key: 'unsubscribed', label: 'Unsubscribed', color: p.series[4] },
      ];
      return {
        data: {
          labels: d.engagementByDay.map((x) => formatDay(x.day)),
          datasets: series.map((s) => ({
            label: s.label,
            data: d.engagementByDay.map((x) => x[s.key]),
            borderColor: s.color,
            backgroundColor: s.color,
            pointRadius: d.engagementByDay.length > 45 ? 0 : 2,
            borderWidth: 2,
            tension: 0.25,
          })),
        },
        options: baseOptions(p, false) as ChartOptions<'line'>,
      };
    },
  );

  protected readonly hasLeadsSeries = computed(() => (this.store.data()?.kpis.newLeads.value ?? 0) > 0);
  protected readonly hasEngagement = computed(() =>
    (this.store.data()?.engagementByDay ?? []).some((d) => d.sent + d.opened + d.clicked + d.unsubscribed > 0),
  );

  protected readonly funnel = computed<FunnelStep[]>(() =>
    (this.store.data()?.pipeline.steps ?? []).map((s) => ({
      key: s.step,
      label: s.step === 'created' ? 'Created' : s.step[0].toUpperCase() + s.step.slice(1),
      count: s.count,
      stepRate: s.stepRate,
      link: this.canReadLeads()
        ? { path: '/leads', query: this.leadsQuery(s.step === 'created' ? {} : { status: s.statuses }) }
        : null,
    })),
  );

  protected readonly lost = computed(() => this.store.data()?.pipeline.byStatus['lost'] ?? 0);

  protected sourceLabel(source: string): string {
    return SOURCE_LABELS[source as LeadSource] ?? source;
  }

  protected percent(v: number): string {
    return `${(v * 100).toFixed(1)}%`;
  }

  protected setPeriod(period: DashboardPeriod): void {
    if (period === 'custom') {
      // Start from the days on screen, so the picker opens on something sensible.
      const shown = this.store.data()?.period;
      if (!this.range.value.start && shown) this.range.setValue({ start: dateOf(shown.from), end: dateOf(shown.to) });
      this.picking.set(true);
      return;
    }
    this.picking.set(false);
    this.range.reset();
    this.applyPeriod({ period, from: null, to: null });
  }

  /**
   * On a day's change (picked in the calendar or typed, on blur): checks the range and loads it
   * when it is valid. A start picked in the calendar clears the end: nothing to check until the end.
   */
  protected applyRange(changed: 'start' | 'end'): void {
    const { start, end } = this.range.controls;
    for (const control of [start, end]) {
      if (control.errors?.['range']) {
        const { range: _stale, ...rest } = control.errors;
        control.setErrors(Object.keys(rest).length > 0 ? rest : null);
      }
    }
    if (changed === 'start' && !end.value) return;
    const from = start.value ? dayOf(start.value) : null;
    const to = end.value ? dayOf(end.value) : null;
    const error = rangeError(from, to, this.today());
    if (error) {
      end.setErrors({ ...end.errors, range: RANGE_ERROR_MESSAGES[error] });
      end.markAsTouched();
      return;
    }
    this.picking.set(false);
    this.applyPeriod({ period: 'custom', from, to });
  }

  protected rangeErrorText(): string {
    const errors = { ...this.range.controls.start.errors, ...this.range.controls.end.errors };
    if (typeof errors['range'] === 'string') return errors['range'];
    if (errors['matDatepickerParse']) return 'Enter days like 12/31/2026';
    if (errors['matDatepickerMax']) return RANGE_ERROR_MESSAGES.future;
    if (errors['matStartDateInvalid'] || errors['matEndDateInvalid']) return RANGE_ERROR_MESSAGES.order;
    return RANGE_ERROR_MESSAGES.required;
  }

  private applyPeriod(q: { period: DashboardPeriod; from: string | null; to: string | null }): void {
    void this.store.setFilters(q);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: periodToQuery(q),
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected setSource(source: LeadSource | null): void {
    void this.store.setFilters({ source });
  }

  protected setOwner(ownerId: string | null): void {
    void this.store.setFilters({ ownerId });
  }

  protected setTag(value: string): void {
    const tag = value.trim() || null;
    if (tag !== this.store.filters().tag) void this.store.setFilters({ tag });
  }

  protected clearFilters(): void {
    void this.store.setFilters({ source: null, ownerId: null, tag: null });
  }

  protected readonly me = computed(() => this.auth.user()?.id ?? null);
}
