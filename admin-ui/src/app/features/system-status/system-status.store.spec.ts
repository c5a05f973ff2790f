import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideApiConfiguration } from '@meridian/api-client';

import { STATUS_CLOCK, StatusClock, SystemStatusStore } from './system-status.store';
import { connectivity, healthReport, problem, systemInfo } from './testing/system-status.fixtures';

const HEALTH_URL = '/api/system/health';
const INFO_URL = '/api/system/info';
const CONNECTIVITY_URL = '/api/system/connectivity';

class FakeClock implements StatusClock {
  wall = Date.parse('2026-01-15T10:00:00.000Z');
  mono = 1000;
  now(): number {
    return this.wall;
  }
  monotonic(): number {
    return this.mono;
  }
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}

describe('SystemStatusStore', () => {
  let store: SystemStatusStore;
  let http: HttpTestingController;
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        { provide: STATUS_CLOCK, useValue: clock },
        SystemStatusStore,
      ],
    });
    store = TestBed.inject(SystemStatusStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  /** Answers the three calls of one refresh. */
  function answerAll(options: { serverTime?: string; latencyMs?: number } = {}): void {
    http.expectOne(HEALTH_URL).flush(healthReport());
    http.expectOne(INFO_URL).flush(systemInfo());
    const connectivityRequest = http.expectOne((req) => req.url === CONNECTIVITY_URL);
    clock.advance(options.latencyMs ?? 40);
    connectivityRequest.flush(connectivity({ serverTime: options.serverTime }));
  }

  it('loads health, info and connectivity through the generated client', async () => {
    const done = store.refresh();
    expect(store.loading()).toBe(true);

    answerAll();
    await done;

    expect(store.loading()).toBe(false);
    expect(store.error()).toBeNull();
    expect(store.status()).toBe('healthy');
    expect(store.services().map((service) => service.name)).toEqual([
      'database',
      'cache',
      'queue',
      'kapa',
      'ai_provider',
    ]);
    expect(store.info()?.version).toBe('0.1.0');
    expect(store.lastCheckedAt()).toEqual(new Date(clock.wall));
    expect(store.stale()).toBe(false);
  });

  it('sends the browser clock to the connectivity endpoint and measures the round trip', async () => {
    const sentAt = clock.wall;
    const done = store.refresh();

    http.expectOne(HEALTH_URL).flush(healthReport());
    http.expectOne(INFO_URL).flush(systemInfo());
    const request = http.expectOne((req) => req.url === CONNECTIVITY_URL);
    expect(request.request.params.get('clientSentAt')).toBe(String(sentAt));

    clock.advance(100);
    // The server read its clock half-way (50 ms) and was 1 s ahead of the browser.
    request.flush(
      connectivity({
        serverTime: new Date(sentAt + 50 + 1000).toISOString(),
        requestId: 'req-42',
      }),
    );
    await done;

    const check = store.connectivity();
    expect(check?.roundTripMs).toBe(100);
    expect(check?.clockOffsetMs).toBe(1000);
    expect(check?.requestId).toBe('req-42');
    expect(check?.protocol).toBe('HTTP/1.1');
  });

  it('shares one request between overlapping refreshes', async () => {
    const first = store.refresh();
    const second = store.refresh();
    expect(second).toBe(first);

    answerAll();
    await Promise.all([first, second]);
  });

  it('reports an unreachable API, then keeps the last data and marks it stale', async () => {
    const firstLoad = store.refresh();
    answerAll();
    await firstLoad;
    const checkedAt = store.lastCheckedAt();

    clock.advance(30_000);
    const failed = store.refresh();
    http.expectOne(HEALTH_URL).error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
    http.expectOne(INFO_URL).error(new ProgressEvent('error'), { status: 0 });
    http.expectOne((req) => req.url === CONNECTIVITY_URL).error(new ProgressEvent('error'), { status: 0 });
    await failed;

    expect(store.error()).toMatchObject({
      title: 'Cannot reach the Meridian API',
      unreachable: true,
    });
    expect(store.stale()).toBe(true);
    expect(store.services()).toHaveLength(5);
    expect(store.lastCheckedAt()).toEqual(checkedAt);
    expect(store.lastAttemptAt()).toEqual(new Date(clock.wall));
  });

  it('reads problem+json errors, request id included', async () => {
    const done = store.refresh();
    http.expectOne(HEALTH_URL).flush(problem(500, 'Internal error', 'req-500'), {
      status: 500,
      statusText: 'Server Error',
    });
    http.expectOne(INFO_URL).flush(systemInfo());
    http.expectOne((req) => req.url === CONNECTIVITY_URL).flush(connectivity());
    await done;

    expect(store.error()).toMatchObject({
      title: 'Internal error',
      status: 500,
      code: 'TEST_ERROR',
      requestId: 'req-500',
      unreachable: false,
    });
    expect(store.stale()).toBe(false);
  });

  it('shows an unhealthy report sent with status 503 as data, not as an error', async () => {
    const done = store.refresh();
    http.expectOne(HEALTH_URL).flush(healthReport({ status: 'unhealthy' }), { status: 503, statusText: 'Unavailable' });
    http.expectOne(INFO_URL).flush(systemInfo());
    http.expectOne((req) => req.url === CONNECTIVITY_URL).flush(connectivity());
    await done;

    expect(store.error()).toBeNull();
    expect(store.status()).toBe('unhealthy');
  });

  describe('auto-refresh', () => {
    let visibility: DocumentVisibilityState;

    beforeEach(() => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'Date', 'performance'] });
      visibility = 'visible';
      jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    });

    afterEach(() => {
      store.stopAutoRefresh();
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    it('refreshes every interval', async () => {
      store.startAutoRefresh(30_000);
      jest.advanceTimersByTime(29_999);
      http.expectNone(HEALTH_URL);

      jest.advanceTimersByTime(1);
      expect(store.loading()).toBe(true);
      answerAll();
      await store.refresh(); // joins the refresh the timer started
      expect(store.health()).not.toBeNull();
    });

    it('pauses while the tab is hidden and catches up when it is visible again', async () => {
      const initial = store.refresh();
      answerAll();
      await initial;

      store.startAutoRefresh(30_000);
      visibility = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      expect(store.autoRefreshPaused()).toBe(true);

      jest.advanceTimersByTime(90_000);
      http.expectNone(HEALTH_URL);

      clock.advance(90_000);
      visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      expect(store.autoRefreshPaused()).toBe(false);
      expect(store.loading()).toBe(true);
      answerAll();
      await store.refresh();
    });

    it('stops when asked', () => {
      store.startAutoRefresh(30_000);
      store.stopAutoRefresh();
      jest.advanceTimersByTime(60_000);
      http.expectNone(HEALTH_URL);
    });
  });
});
