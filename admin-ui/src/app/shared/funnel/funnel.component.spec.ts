import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { FunnelComponent, FunnelStep } from './funnel.component';

function render(steps: FunnelStep[]): HTMLElement {
  TestBed.configureTestingModule({ imports: [FunnelComponent], providers: [provideRouter([])] });
  const fixture = TestBed.createComponent(FunnelComponent);
  fixture.componentRef.setInput('steps', steps);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

const rows = (el: HTMLElement) => Array.from(el.querySelectorAll<HTMLAnchorElement>('.funnel-row'));
const bar = (row: HTMLElement) => row.querySelector<HTMLElement>('.funnel-bar span')!.style.width;

describe('FunnelComponent', () => {
  it('draws each bar against the first step, with its count and its rate against the step before', () => {
    const el = render([
      { key: 'sent', label: 'Sent', count: 200, stepRate: null },
      { key: 'opened', label: 'Opened', count: 50, stepRate: 0.25 },
      { key: 'clicked', label: 'Clicked', count: 0, stepRate: 0 },
    ]);
    const [sent, opened, clicked] = rows(el);
    expect(bar(sent)).toBe('100%');
    expect(bar(opened)).toBe('25%');
    // A zero still shows as a sliver.
    expect(bar(clicked)).toBe('2%');
    expect(sent.querySelector('.funnel-rate')!.textContent.trim()).toBe('');
    expect(opened.querySelector('.funnel-rate')!.textContent.trim()).toBe('25.0%');
    expect(opened.querySelector('.funnel-count')!.textContent.trim()).toBe('50');
  });

  it('links a step to the leads list only when it has a link', () => {
    const el = render([
      {
        key: 'created',
        label: 'Created',
        count: 10,
        stepRate: null,
        link: { path: '/leads', query: { status: 'won' } },
      },
      { key: 'won', label: 'Won', count: 3, stepRate: 0.3, link: null },
    ]);
    const [created, won] = rows(el);
    expect(created.getAttribute('href')).toBe('/leads?status=won');
    expect(won.hasAttribute('href')).toBe(false);
  });

  it('shows an empty funnel without dividing by zero', () => {
    const el = render([{ key: 'sent', label: 'Sent', count: 0, stepRate: null }]);
    expect(bar(rows(el)[0])).toBe('2%');
  });
});
