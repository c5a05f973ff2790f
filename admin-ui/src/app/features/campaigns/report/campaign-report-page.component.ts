import { DatePipe, DecimalPipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  OnInit,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ApiConfiguration, CampaignReportDto, exportCampaignReportCsv, getCampaignReport } from '@meridian/api-client';
import type { ChartData, ChartOptions } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { firstValueFrom } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { ThemeService } from '../../../core/theme/theme.service';
import { FunnelComponent, FunnelStep } from '../../../shared/funnel/funnel.component';
import { ChartPalette, baseOptions, readPalette } from '../../dashboard/chart-theme';

const STEP_LABELS: Record<string, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked',
  converted: 'Converted',
};
const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** /campaigns/:id/report: the funnel, the days and the links of one campaign, with a CSV export. */
@Component({
  selector: 'app-campaign-report-page',
  imports: [
    FunnelComponent,
    BaseChartDirective,
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './campaign-report-page.component.html',
  styleUrl: './campaign-report-page.component.scss',
})
export class CampaignReportPageComponent implements OnInit {
  /** The route's :id (component input binding). */
  readonly id = input.required<string>();

  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly theme = inject(ThemeService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly palette = signal<ChartPalette | null>(null);

  protected readonly report = signal<CampaignReportDto | null>(null);
  protected readonly error = signal<ApiProblem | null>(null);
  protected readonly loading = signal(false);
  protected readonly exporting = signal(false);

  constructor() {
    effect(() => {
      this.theme.scheme();
      requestAnimationFrame(() => this.palette.set(readPalette(this.host.nativeElement)));
    });
  }

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const r = await firstValueFrom(getCampaignReport(this.http, this.apiConfig.rootUrl, { id: this.id() }));
      this.report.set(r.body);
      this.error.set(null);
    } catch (err) {
      this.error.set(toApiProblem(err));
    } finally {
      this.loading.set(false);
    }
  }

  protected readonly funnel = computed<FunnelStep[]>(() =>
    (this.report()?.funnel ?? []).map((s) => ({
      key: s.step,
      label: STEP_LABELS[s.step] ?? s.step,
      count: s.count,
      stepRate: s.stepRate,
    })),
  );

  protected readonly chart = computed<{ data: ChartData<'bar'>; options: ChartOptions<'bar'> } | null>(() => {
    const r = this.report();
    const p = this.palette();
    if (!r || !p || r.byDay.length === 0) return null;
    const series = [
      { key: 'sent', label: 'Sent', color: p.series[0] },
      { key: 'opened', label: 'Opened', color: p.series[1] },
      { key: 'clicked', label: 'Clicked', color: p.series[2] },
      { key: 'unsubscribed', label: 'Unsubscribed', color: p.series[4] },
    ] as const;
    return {
      data: {
        labels: r.byDay.map((d) => dayLabel.format(new Date(`${d.day}T00:00:00Z`))),
        datasets: series.map((s) => ({
          label: s.label,
          data: r.byDay.map((d) => d[s.key]),
          borderColor: s.color,
          backgroundColor: s.color,
          borderRadius: 3,
          maxBarThickness: 24,
        })),
      },
      options: baseOptions(p, false) as ChartOptions<'bar'>,
    };
  });

  protected percent(v: number | null): string {
    return v === null ? '' : `${(v * 100).toFixed(1)}%`;
  }

  async exportCsv(): Promise<void> {
    this.exporting.set(true);
    try {
      const response = await firstValueFrom(
        exportCampaignReportCsv(this.http, this.apiConfig.rootUrl, { id: this.id() }),
      );
      const url = URL.createObjectURL(response.body);
      const link = document.createElement('a');
      link.href = url;
      link.download = `campaign-report-${this.id()}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.error.set(toApiProblem(err));
    } finally {
      this.exporting.set(false);
    }
  }
}
