import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideApiConfiguration } from '@meridian/api-client';

import { provideAppIcons } from '../../core/icons/app-icons';
import { SystemStatusPageComponent } from './system-status-page.component';
import { SystemStatusStore } from './system-status.store';
import { connectivity, healthReport, problem, systemInfo } from './testing/system-status.fixtures';

const HEALTH_URL = '/api/system/health';
const INFO_URL = '/api/system/info';
const CONNECTIVITY_URL = '/api/system/connectivity';

describe('SystemStatusPageComponent', () => {
  let fixture: ComponentFixture<SystemStatusPageComponent>;
  let http: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SystemStatusPageComponent],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideApiConfiguration(''), provideAppIcons()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SystemStatusPageComponent);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  /** Waits for the page's store to settle, then for the view to render it. */
  async function settle(): Promise<void> {
    await fixture.debugElement.injector.get(SystemStatusStore).refresh();
    await fixture.whenStable();
  }

  async function answer(health: { body: object; status?: number } = { body: healthReport() }): Promise<void> {
    http.expectOne(HEALTH_URL).flush(health.body, { status: health.status ?? 200, statusText: 'X' });
    http.expectOne(INFO_URL).flush(systemInfo());
    http.expectOne((req) => req.url === CONNECTIVITY_URL).flush(connectivity());
    await settle();
  }

  async function failNetwork(): Promise<void> {
    for (const url of [HEALTH_URL, INFO_URL]) {
      http.expectOne(url).error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
    }
    http.expectOne((req) => req.url === CONNECTIVITY_URL).error(new ProgressEvent('error'), { status: 0 });
    await settle();
  }

  function text(selector: string): string {
    return page.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  function cards(): HTMLElement[] {
    return Array.from(page.querySelectorAll<HTMLElement>('app-service-card .service-card'));
  }

  it('shows a progress indicator while the first check runs', async () => {
    expect(page.querySelector('mat-progress-bar')).not.toBeNull();
    expect(page.querySelector<HTMLButtonElement>('[data-testid="refresh"]')?.disabled).toBe(true);

    await answer();

    expect(page.querySelector('mat-progress-bar')).toBeNull();
    expect(page.querySelector<HTMLButtonElement>('[data-testid="refresh"]')?.disabled).toBe(false);
  });

  it('renders the overall status with an icon and words, not colour alone', async () => {
    await answer();

    const banner = page.querySelector<HTMLElement>('[data-testid="overall-status"]');
    expect(banner?.dataset['status']).toBe('healthy');
    expect(banner?.getAttribute('role')).toBe('status');
    expect(banner?.querySelector('mat-icon')).not.toBeNull();
    expect(text('[data-testid="overall-status"] h2')).toBe('All systems operational');
    expect(text('[data-testid="overall-status"] p')).toContain('3 of 3 configured services healthy');
    expect(text('[data-testid="overall-status"] p')).toContain('2 not configured');
  });

  it('renders a card for each service with its status chip and latency', async () => {
    await answer();

    expect(cards().map((card) => card.dataset['service'])).toEqual([
      'database',
      'cache',
      'queue',
      'kapa',
      'ai_provider',
    ]);
    const database = page.querySelector<HTMLElement>('[data-service="database"]');
    expect(database?.querySelector('h3')?.textContent).toContain('Database');
    expect(database?.querySelector('app-status-chip')?.textContent).toContain('Healthy');
    expect(database?.querySelector('.latency dd')?.textContent).toContain('3.2 ms');
    expect(database?.textContent).toContain('PostgreSQL 16.4 answered SELECT 1');
    expect(database?.textContent).toContain('Pool size');
  });

  it('gives services that are not configured a neutral chip and their message', async () => {
    await answer();

    const kapa = page.querySelector<HTMLElement>('[data-service="kapa"]');
    expect(kapa?.dataset['status']).toBe('not-configured');
    expect(kapa?.querySelector('app-status-chip')?.textContent).toContain('Not configured');
    expect(kapa?.querySelector('app-status-chip')?.classList).toContain('tone-neutral');
    expect(kapa?.textContent).toContain('KAPA_API_KEY is not set');
    expect(kapa?.querySelector('.latency')).toBeNull();
  });

  it('shows a degraded service and the degraded overall status', async () => {
    const report = healthReport({ status: 'degraded' });
    report.services[1] = { ...report.services[1], status: 'degraded', message: 'Slow answer' };
    await answer({ body: report });

    expect(text('[data-testid="overall-status"] h2')).toBe('Some services are degraded');
    const cache = page.querySelector<HTMLElement>('[data-service="cache"]');
    expect(cache?.querySelector('app-status-chip')?.textContent).toContain('Degraded');
  });

  it('renders resources, connectivity and system info', async () => {
    await answer();

    expect(text('app-resource-gauge:nth-of-type(1)')).toBeTruthy();
    const meters = Array.from(page.querySelectorAll('[role="meter"]'));
    expect(meters.map((meter) => meter.getAttribute('aria-valuenow'))).toEqual(['25', '25', '40']);
    expect(page.textContent).toContain('2 GiB of 8 GiB used');
    expect(page.textContent).toContain('60 GiB free of 100 GiB');
    expect(text('[data-testid="connectivity-request-id"]')).toBe('req-connectivity-1');
    expect(text('[data-testid="system-info"]')).toContain('0.1.0');
    expect(text('[data-testid="system-info"]')).toContain('Embedded');
    expect(text('[data-testid="system-info"]')).toContain('2 h 1 min');
    expect(text('[data-testid="last-checked"]')).toContain('Last checked just now');
  });

  it('shows a clear error with a retry button when the API cannot be reached', async () => {
    await failNetwork();

    const error = page.querySelector<HTMLElement>('[data-testid="error"]');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(error?.textContent).toContain('Cannot reach the Meridian API');
    expect(error?.textContent).toContain('What to do next');
    expect(page.querySelector('[data-testid="retry"]')).not.toBeNull();
    expect(page.querySelector('[data-testid="overall-status"]')).toBeNull();
    expect(page.querySelector('[data-testid="stale-note"]')).toBeNull();
  });

  it('keeps the last known data, marked as stale, when a refresh fails', async () => {
    await answer();
    page.querySelector<HTMLButtonElement>('[data-testid="refresh"]')?.click();
    await failNetwork();

    expect(page.querySelector('[data-testid="error"]')).not.toBeNull();
    expect(page.querySelector('[data-testid="stale-note"]')).not.toBeNull();
    expect(page.querySelector('[data-testid="report"]')?.classList).toContain('stale');
    expect(text('[data-testid="overall-status"] h2')).toContain('Last known');
    expect(cards()).toHaveLength(5);
  });

  it('shows the request id of a problem+json error', async () => {
    http.expectOne(HEALTH_URL).flush(problem(500, 'Internal error', 'req-abc'), {
      status: 500,
      statusText: 'Internal Server Error',
    });
    http.expectOne(INFO_URL).flush(systemInfo());
    http.expectOne((req) => req.url === CONNECTIVITY_URL).flush(connectivity());
    await settle();

    expect(text('[data-testid="error"] h2')).toBe('Internal error');
    expect(text('[data-testid="error-request-id"]')).toBe('req-abc');
  });

  it('sends new requests when Refresh is clicked', async () => {
    await answer();

    const button = page.querySelector<HTMLButtonElement>('[data-testid="refresh"]');
    button?.click();
    await fixture.whenStable();
    expect(button?.disabled).toBe(true);
    expect(button?.textContent).toContain('Refreshing');

    const report = healthReport({ status: 'unhealthy' });
    report.services[0] = {
      ...report.services[0],
      status: 'unhealthy',
      message: 'Connection refused',
    };
    await answer({ body: report });

    expect(text('[data-testid="overall-status"] h2')).toBe('One or more services are down');
    expect(page.querySelector('[data-service="database"]')?.textContent).toContain('Connection refused');
  });

  it('retries from the error panel', async () => {
    await failNetwork();
    page.querySelector<HTMLButtonElement>('[data-testid="retry"]')?.click();
    await answer();

    expect(page.querySelector('[data-testid="error"]')).toBeNull();
    expect(cards()).toHaveLength(5);
  });
});
