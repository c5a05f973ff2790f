import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { MeDto, provideApiConfiguration } from '@meridian/api-client';

import { AuthStore } from '../../../core/auth/auth.store';
import { me, restore, session, viewer } from '../../../core/auth/testing/auth.fixtures';
import { CAMPAIGN_ID, campaign, recipient, stats } from '../testing/campaign.fixtures';
import { CAMPAIGN_POLL_MS, CampaignLiveStore, RECIPIENTS_PAGE_SIZE } from './campaign-live.store';

const POLL_MS = 2_000;
const CAMPAIGN_URL = `/api/campaigns/${CAMPAIGN_ID}`;
const RECIPIENTS_URL = `/api/campaigns/${CAMPAIGN_ID}/recipients`;

/** Lets the promise chains between the HTTP answers and the store take their steps. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

describe('CampaignLiveStore', () => {
  let http: HttpTestingController;
  let store: CampaignLiveStore;

  async function setUp(user: MeDto = me()): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([]),
        { provide: CAMPAIGN_POLL_MS, useValue: POLL_MS },
        CampaignLiveStore,
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session({}, user));
    store = TestBed.inject(CampaignLiveStore);
  }

  async function open(status: Parameters<typeof campaign>[0] = {}): Promise<void> {
    const loading = store.load(CAMPAIGN_ID);
    http.expectOne(CAMPAIGN_URL).flush(campaign(status));
    await settle();
    http.expectOne((req) => req.url === RECIPIENTS_URL).flush({ items: [recipient()], nextCursor: null });
    await loading;
  }

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
    TestBed.resetTestingModule();
  });

  it('polls every 2 s while the campaign sends and stops once it has completed', async () => {
    await setUp();
    await open({ status: 'sending', stats: stats({ total: 10, remaining: 10 }) });
    expect(store.polling()).toBe(true);
    expect(store.progress()?.percent).toBe(0);

    jest.advanceTimersByTime(POLL_MS - 1);
    http.expectNone(CAMPAIGN_URL);
    jest.advanceTimersByTime(1);
    http
      .expectOne(CAMPAIGN_URL)
      .flush(campaign({ status: 'sending', stats: stats({ total: 10, remaining: 4, sent: 6 }) }));
    await settle();
    expect(store.progress()?.percent).toBe(60);
    http.match((req) => req.url === RECIPIENTS_URL).forEach((req) => req.flush({ items: [], nextCursor: null }));

    jest.advanceTimersByTime(POLL_MS);
    http
      .expectOne(CAMPAIGN_URL)
      .flush(campaign({ status: 'completed', stats: stats({ total: 10, remaining: 0, sent: 9, failed: 1 }) }));
    await settle();
    expect(store.campaign()?.status).toBe('completed');
    expect(store.progress()?.percent).toBe(100);
    expect(store.polling()).toBe(false);
    // The end of the campaign shows in the table at once.
    const reload = http.expectOne((req) => req.url === RECIPIENTS_URL);
    expect(reload.request.params.get('limit')).toBe(String(RECIPIENTS_PAGE_SIZE));
    reload.flush({ items: [], nextCursor: null });

    jest.advanceTimersByTime(10 * POLL_MS);
    http.expectNone(CAMPAIGN_URL);
  });

  it('does not poll a finished, paused or draft campaign', async () => {
    await setUp();
    for (const status of ['completed', 'paused', 'draft', 'cancelled'] as const) {
      await open({ status });
      expect(store.polling()).toBe(false);
      jest.advanceTimersByTime(5 * POLL_MS);
      http.expectNone(CAMPAIGN_URL);
    }
  });

  it('stops polling when the page is left', async () => {
    await setUp();
    await open({ status: 'sending', stats: stats({ total: 10, remaining: 10 }) });
    TestBed.resetTestingModule(); // destroys the store with its injector
    jest.advanceTimersByTime(5 * POLL_MS);
    http.expectNone(CAMPAIGN_URL);
  });

  it('keeps polling after a failed poll, and says the numbers may be stale', async () => {
    await setUp();
    await open({ status: 'sending', stats: stats({ total: 10, remaining: 10 }) });
    jest.advanceTimersByTime(POLL_MS);
    http.expectOne(CAMPAIGN_URL).flush(null, { status: 503, statusText: 'Unavailable' });
    await settle();
    expect(store.pollError()).not.toBeNull();
    expect(store.polling()).toBe(true);
    jest.advanceTimersByTime(POLL_MS);
    http.expectOne(CAMPAIGN_URL).flush(campaign({ status: 'paused' }));
    await settle();
    http.expectOne((req) => req.url === RECIPIENTS_URL).flush({ items: [], nextCursor: null });
    expect(store.pollError()).toBeNull();
    expect(store.polling()).toBe(false);
  });

  it('pauses and resumes through the API and follows the answer', async () => {
    await setUp();
    await open({ status: 'sending', stats: stats({ total: 10, remaining: 10 }) });
    expect(store.actions()).toEqual(['pause', 'cancel', 'duplicate']);

    const pausing = store.run('pause');
    const pause = http.expectOne(`${CAMPAIGN_URL}/pause`);
    expect(pause.request.method).toBe('POST');
    pause.flush(campaign({ status: 'paused' }));
    await pausing;
    http.match((req) => req.url === RECIPIENTS_URL).forEach((req) => req.flush({ items: [], nextCursor: null }));
    expect(store.actions()).toEqual(['resume', 'cancel', 'duplicate']);
    expect(store.polling()).toBe(false);

    const resuming = store.run('resume');
    http.expectOne(`${CAMPAIGN_URL}/resume`).flush(campaign({ status: 'sending' }));
    await resuming;
    http.match((req) => req.url === RECIPIENTS_URL).forEach((req) => req.flush({ items: [], nextCursor: null }));
    expect(store.polling()).toBe(true);
    store.stop();
  });

  it('offers a viewer no action', async () => {
    await setUp(viewer());
    await open({ status: 'sending' });
    expect(store.actions()).toEqual([]);
    store.stop();
  });

  it('asks for the recipients with the status filter and search, from the first page', async () => {
    await setUp();
    await open({ status: 'completed' });
    const filtering = store.patchRecipientFilters({ status: 'failed', q: ' ana ' });
    const req = http.expectOne((r) => r.url === RECIPIENTS_URL);
    expect(req.request.params.get('status')).toBe('failed');
    expect(req.request.params.get('q')).toBe('ana');
    expect(req.request.params.has('cursor')).toBe(false);
    req.flush({ items: [recipient({ status: 'failed', error: 'Mailbox full' })], nextCursor: null });
    await filtering;
    expect(store.recipients.items()[0].error).toBe('Mailbox full');
  });
});
