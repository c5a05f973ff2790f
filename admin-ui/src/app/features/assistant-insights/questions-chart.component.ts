import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { QuestionsPerDayDto } from '@meridian/api-client';

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 36 };
const MAX_X_LABELS = 8;

const dayFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Nov 22" for "2026-11-22" (days are UTC days in the API). */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** A round top for the y axis (1, 2, 5 × 10^n), and at least 4 so small counts still read as counts. */
export function niceMax(value: number): number {
  if (value <= 4) {
    return 4;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

interface Bar {
  day: string;
  label: string;
  x: number;
  width: number;
  answeredY: number;
  answeredHeight: number;
  uncertainY: number;
  uncertainHeight: number;
  title: string;
  showLabel: boolean;
}

/**
 * Questions per day as stacked bars (answered with confidence, then uncertain on top), in
 * inline SVG: no chart library. Screen readers get a summary and the numbers as a table.
 */
@Component({
  selector: 'app-questions-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './questions-chart.component.scss',
  template: `
    <figure class="chart">
      <svg
        [attr.viewBox]="'0 0 ' + width + ' ' + height"
        role="img"
        aria-labelledby="questions-chart-title questions-chart-desc"
        data-testid="questions-chart"
      >
        <title id="questions-chart-title">Questions per day</title>
        <desc id="questions-chart-desc">{{ summary() }}</desc>
        @for (tick of ticks(); track tick.value) {
          <g class="tick">
            <line [attr.x1]="margin.left" [attr.x2]="width - margin.right" [attr.y1]="tick.y" [attr.y2]="tick.y" />
            <text [attr.x]="margin.left - 6" [attr.y]="tick.y" dy="0.35em" text-anchor="end">{{ tick.value }}</text>
          </g>
        }
        @for (bar of bars(); track bar.day) {
          <g class="bar">
            <title>{{ bar.title }}</title>
            <rect
              class="hit"
              [attr.x]="bar.x"
              [attr.y]="margin.top"
              [attr.width]="bar.width"
              [attr.height]="plotHeight"
            />
            @if (bar.answeredHeight > 0) {
              <rect
                class="answered"
                [attr.x]="bar.x"
                [attr.y]="bar.answeredY"
                [attr.width]="bar.width"
                [attr.height]="bar.answeredHeight"
              />
            }
            @if (bar.uncertainHeight > 0) {
              <rect
                class="uncertain"
                [attr.x]="bar.x"
                [attr.y]="bar.uncertainY"
                [attr.width]="bar.width"
                [attr.height]="bar.uncertainHeight"
              />
            }
            @if (bar.showLabel) {
              <text class="x-label" [attr.x]="bar.x + bar.width / 2" [attr.y]="height - 8" text-anchor="middle">
                {{ bar.label }}
              </text>
            }
          </g>
        }
        <line
          class="baseline"
          [attr.x1]="margin.left"
          [attr.x2]="width - margin.right"
          [attr.y1]="height - margin.bottom"
          [attr.y2]="height - margin.bottom"
        />
      </svg>
      <figcaption class="legend" aria-hidden="true">
        <span><span class="swatch answered"></span>Answered</span>
        <span><span class="swatch uncertain"></span>Uncertain</span>
      </figcaption>
    </figure>
    <table class="sr-only">
      <caption>
        Questions per day
      </caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Questions</th>
          <th scope="col">Uncertain</th>
        </tr>
      </thead>
      <tbody>
        @for (day of perDay(); track day.day) {
          <tr>
            <th scope="row">{{ day.day }}</th>
            <td>{{ day.questions }}</td>
            <td>{{ day.uncertain }}</td>
          </tr>
        }
      </tbody>
    </table>
  `,
})
export class QuestionsChartComponent {
  readonly perDay = input.required<readonly QuestionsPerDayDto[]>();

  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly margin = MARGIN;
  protected readonly plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

  private readonly max = computed(() => niceMax(Math.max(0, ...this.perDay().map((day) => day.questions))));

  protected readonly ticks = computed(() => {
    const max = this.max();
    const steps = [4, 5, 2].find((count) => Number.isInteger(max / count)) ?? 1;
    return Array.from({ length: steps + 1 }, (_, index) => (max / steps) * index).map((value) => ({
      value,
      y: this.y(value),
    }));
  });

  protected readonly bars = computed<Bar[]>(() => {
    const days = this.perDay();
    const band = (WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, days.length);
    const width = Math.max(2, band * 0.7);
    const every = Math.ceil(days.length / MAX_X_LABELS);
    return days.map((day, index) => {
      const uncertain = Math.min(day.uncertain, day.questions);
      const answered = day.questions - uncertain;
      const x = MARGIN.left + index * band + (band - width) / 2;
      const answeredY = this.y(answered);
      const uncertainY = this.y(answered + uncertain);
      const label = formatDay(day.day);
      return {
        day: day.day,
        label,
        x,
        width,
        answeredY,
        answeredHeight: this.y(0) - answeredY,
        uncertainY,
        uncertainHeight: answeredY - uncertainY,
        title: `${label}: ${day.questions} ${day.questions === 1 ? 'question' : 'questions'}, ${uncertain} uncertain`,
        // Every n-th day from the most recent one backwards, so today is always labelled.
        showLabel: (days.length - 1 - index) % every === 0,
      };
    });
  });

  protected readonly summary = computed(() => {
    const days = this.perDay();
    const total = days.reduce((sum, day) => sum + day.questions, 0);
    const uncertain = days.reduce((sum, day) => sum + day.uncertain, 0);
    if (total === 0) {
      return `No questions in the last ${days.length} days.`;
    }
    const busiest = days.reduce((best, day) => (day.questions > best.questions ? day : best));
    return (
      `${total} questions over the last ${days.length} days, ${uncertain} of them uncertain. ` +
      `Busiest day: ${formatDay(busiest.day)}, with ${busiest.questions}.`
    );
  });

  private y(value: number): number {
    return MARGIN.top + this.plotHeight * (1 - value / this.max());
  }
}
