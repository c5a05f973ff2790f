import { TestBed } from '@angular/core/testing';
import { QuestionsPerDayDto } from '@meridian/api-client';

import { QuestionsChartComponent, formatDay, niceMax } from './questions-chart.component';

describe('QuestionsChartComponent', () => {
  async function render(perDay: QuestionsPerDayDto[]): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(QuestionsChartComponent);
    fixture.componentRef.setInput('perDay', perDay);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const week: QuestionsPerDayDto[] = [
    { day: '2026-11-16', questions: 0, uncertain: 0 },
    { day: '2026-11-17', questions: 3, uncertain: 1 },
    { day: '2026-11-18', questions: 8, uncertain: 0 },
    { day: '2026-11-19', questions: 2, uncertain: 2 },
    { day: '2026-11-20', questions: 0, uncertain: 0 },
    { day: '2026-11-21', questions: 1, uncertain: 0 },
    { day: '2026-11-22', questions: 5, uncertain: 3 },
  ];

  it('is an image with a name and a summary for screen readers, and the numbers as a table', async () => {
    const chart = await render(week);
    const svg = chart.querySelector('svg')!;

    expect(svg.getAttribute('role')).toBe('img');
    expect(chart.querySelector('#questions-chart-title')?.textContent).toBe('Questions per day');
    expect(chart.querySelector('#questions-chart-desc')?.textContent).toBe(
      '19 questions over the last 7 days, 6 of them uncertain. Busiest day: Nov 18, with 8.',
    );
    expect(chart.querySelectorAll('table tbody tr')).toHaveLength(7);
  });

  it('stacks the uncertain questions on top of the answered ones, in proportion', async () => {
    const chart = await render(week);
    const bars = Array.from(chart.querySelectorAll('g.bar'));
    const height = (bar: Element, kind: string): number =>
      Number(bar.querySelector(`rect.${kind}`)?.getAttribute('height') ?? 0);
    const y = (bar: Element, kind: string): number => Number(bar.querySelector(`rect.${kind}`)?.getAttribute('y'));

    expect(bars).toHaveLength(7);
    // Nov 17: 2 answered + 1 uncertain, the uncertain part half as tall and right above.
    expect(height(bars[1], 'uncertain') * 2).toBeCloseTo(height(bars[1], 'answered'));
    expect(y(bars[1], 'uncertain') + height(bars[1], 'uncertain')).toBeCloseTo(y(bars[1], 'answered'));
    // An empty day draws nothing; an all-uncertain day has no answered part.
    expect(bars[0].querySelectorAll('rect.answered, rect.uncertain')).toHaveLength(0);
    expect(bars[3].querySelector('rect.answered')).toBeNull();
    expect(bars[6].querySelector('title')?.textContent).toBe('Nov 22: 5 questions, 3 uncertain');
  });

  it('says so when nothing was asked', async () => {
    const chart = await render(week.map((day) => ({ ...day, questions: 0, uncertain: 0 })));

    expect(chart.querySelector('desc')?.textContent).toBe('No questions in the last 7 days.');
    expect(chart.querySelectorAll('rect.answered, rect.uncertain')).toHaveLength(0);
  });

  it('rounds the axis to readable numbers', () => {
    expect([0, 3, 4, 5, 8, 11, 23, 240].map(niceMax)).toEqual([4, 4, 4, 5, 10, 20, 25, 250]);
    expect(formatDay('2026-11-22')).toBe('Nov 22');
  });
});
