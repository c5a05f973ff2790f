import { DatePipe, PercentPipe } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { ApiConfiguration, InsightsDto, getAssistantInsights } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { AssistantStore } from '../assistant/assistant.store';
import { QuestionsChartComponent } from './questions-chart.component';

export const INSIGHTS_PERIODS: readonly number[] = [7, 30, 90];

/**
 * What people ask the help assistant, how useful they find the answers, and the questions
 * the documentation does not answer well (for owners and admins: assistant:insights).
 */
@Component({
  selector: 'app-assistant-insights-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    PercentPipe,
    QuestionsChartComponent,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './assistant-insights-page.component.html',
  styleUrl: './assistant-insights-page.component.scss',
})
export class AssistantInsightsPageComponent {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  protected readonly assistant = inject(AssistantStore);

  protected readonly periods = INSIGHTS_PERIODS;
  protected readonly days = signal(30);
  protected readonly insights = signal<InsightsDto | null>(null);
  protected readonly loading = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly columns = ['question', 'askedAt', 'why', 'comment'];

  protected readonly localShare = computed(() => {
    const insights = this.insights();
    return insights && insights.totalQuestions > 0 ? insights.answeredLocally / insights.totalQuestions : null;
  });
  protected readonly empty = computed(() => this.insights()?.totalQuestions === 0);

  private request = 0;

  constructor() {
    void this.load();
  }

  protected setDays(days: number): void {
    this.days.set(days);
    void this.load();
  }

  /** Loads the period shown; the figures of the previous one stay until the new ones arrive. */
  protected async load(): Promise<void> {
    const request = ++this.request;
    this.loading.set(true);
    try {
      const insights = await firstValueFrom(
        getAssistantInsights(this.http, this.apiConfig.rootUrl, { days: this.days() }).pipe(
          map((response) => response.body),
        ),
      );
      if (request === this.request) {
        this.insights.set(insights);
        this.problem.set(null);
      }
    } catch (error: unknown) {
      if (request === this.request) {
        this.problem.set(toApiProblem(error));
      }
    } finally {
      if (request === this.request) {
        this.loading.set(false);
      }
    }
  }
}
