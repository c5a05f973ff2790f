import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideApiConfiguration } from '@meridian/api-client';

import { AuthStore } from '../../core/auth/auth.store';
import { LOGOUT_URL, me, problem, restore, session, viewer } from '../../core/auth/testing/auth.fixtures';
import { AssistantStreamClient } from './assistant-stream.client';
import { AssistantStore } from './assistant.store';
import {
  FEEDBACK_URL,
  FakeStreamClient,
  STATUS_URL,
  assistantStatus,
  flushStream,
  requestError,
} from './testing/assistant.fixtures';

describe('AssistantStore', () => {
  let store: AssistantStore;
  let auth: AuthStore;
  let http: HttpTestingController;
  let client: FakeStreamClient;

  beforeEach(async () => {
    client = new FakeStreamClient();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([{ path: 'sign-in', children: [] }]),
        { provide: AssistantStreamClient, useValue: client },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthStore);
    store = TestBed.inject(AssistantStore);
    await restore(http, auth, session());
    TestBed.tick();
    http.expectOne(STATUS_URL).flush(assistantStatus());
    await flushStream();
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('is offered once signed in, with the status read once', () => {
    expect(store.available()).toBe(true);
    expect(store.status()?.provider).toBe('local');
    TestBed.tick();
    http.expectNone(STATUS_URL);
  });

  it('streams the deltas of an answer into one message, with the page it was asked from', async () => {
    const asked = store.ask('  How do API keys work?  ');
    await flushStream();

    expect(client.last.body).toEqual({ question: 'How do API keys work?', originUrl: 'http://localhost/' });
    expect(store.streaming()).toBe(true);
    expect(store.canAsk()).toBe(false);
    expect(store.exchanges()).toMatchObject([{ question: 'How do API keys work?', answer: '', state: 'streaming' }]);

    client.last.push({ type: 'delta', text: '**API keys** let ' }, { type: 'delta', text: 'scripts call the API.' });
    await flushStream();

    expect(store.exchanges()).toHaveLength(1);
    expect(store.exchanges()[0].answer).toBe('**API keys** let scripts call the API.');
    expect(store.streaming()).toBe(true);

    client.last.push({
      type: 'sources',
      sources: [{ title: 'API keys › Create a key', url: '/help/api-keys#create-a-key' }],
    });
    client.last.end();
    await asked;

    expect(store.exchanges()[0].sources).toEqual([
      { title: 'API keys › Create a key', url: '/help/api-keys#create-a-key' },
    ]);
  });

  it('takes the ids of the answer from `done`, and continues the thread with them', async () => {
    const first = store.ask('How do I create a campaign?');
    await flushStream();
    client.last.push(
      { type: 'delta', text: 'Open Campaigns.' },
      { type: 'done', threadId: 'thread-1', questionAnswerId: 'qa-1', isUncertain: true, provider: 'kapa' },
    );
    client.last.end();
    await first;

    expect(store.exchanges()[0]).toMatchObject({
      state: 'done',
      questionAnswerId: 'qa-1',
      provider: 'kapa',
      isUncertain: true,
      error: null,
    });
    expect(store.threadId()).toBe('thread-1');
    expect(store.streaming()).toBe(false);

    // A follow-up goes to the same thread; a local answer (no thread) does not end it.
    const second = store.ask('And how do I send it?');
    await flushStream();
    expect(client.last.body.threadId).toBe('thread-1');
    client.last.push({
      type: 'done',
      threadId: null,
      questionAnswerId: 'local-2',
      isUncertain: false,
      provider: 'local',
    });
    client.last.end();
    await second;

    expect(store.threadId()).toBe('thread-1');
    expect(store.exchanges().map((exchange) => exchange.questionAnswerId)).toEqual(['qa-1', 'local-2']);
  });

  it('gives a refused question back to the input box, and counts down a rate limit', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-22T10:00:00Z') });
    const asked = store.ask('How do API keys work?');
    client.last.fail(
      requestError(
        429,
        problem(429, 'too_many_requests', 'You can ask 6 questions a minute.', { retryAfterSeconds: 42 }),
        {
          'Retry-After': '42',
        },
      ),
    );
    await asked;

    expect(store.exchanges()).toEqual([]);
    expect(store.draft()).toBe('How do API keys work?');
    expect(store.error()).toBe('You can ask again in 42 s.');
    expect(store.errorSummary()).toBe('Too many questions this minute. You can ask again in 42 seconds.');
    expect(store.canAsk()).toBe(false);

    jest.advanceTimersByTime(2000);
    expect(store.error()).toBe('You can ask again in 40 s.');

    // Asking meanwhile does not reach the API.
    await store.ask('Another question');
    expect(client.streams).toHaveLength(1);

    jest.advanceTimersByTime(40_000);
    expect(store.error()).toBeNull();
    expect(store.canAsk()).toBe(true);
  });

  it('says why a question was refused', async () => {
    const asked = store.ask('Why?');
    client.last.fail(requestError(503, problem(503, 'unavailable', 'The assistant is switched off.')));
    await asked;

    expect(store.error()).toBe('The assistant is switched off.');
    store.dismissError();
    expect(store.error()).toBeNull();
  });

  it('keeps what was written when the stream reports an error or breaks off', async () => {
    const first = store.ask('How do I deploy?');
    await flushStream();
    client.last.push({ type: 'delta', text: 'Use the' }, { type: 'error', reason: 'Kapa stopped answering.' });
    client.last.end();
    await first;

    expect(store.exchanges()[0]).toMatchObject({
      answer: 'Use the',
      state: 'failed',
      error: 'Kapa stopped answering.',
    });

    const second = store.ask('How do I scale?');
    await flushStream();
    client.last.push({ type: 'delta', text: 'Add' });
    client.last.fail(new TypeError('network error'));
    await second;

    expect(store.exchanges()[1]).toMatchObject({
      answer: 'Add',
      state: 'failed',
      error: 'The connection to the assistant was lost. Ask again.',
    });
    expect(store.canAsk()).toBe(true);
  });

  it('starts a new thread: the conversation and the thread id are gone, a running answer stops', async () => {
    const first = store.ask('How do I create a campaign?');
    await flushStream();
    client.last.push({
      type: 'done',
      threadId: 'thread-1',
      questionAnswerId: 'qa-1',
      isUncertain: false,
      provider: 'kapa',
    });
    client.last.end();
    await first;

    const running = store.ask('And then?');
    await flushStream();
    const stream = client.last;
    store.newThread();
    await running;

    expect(stream.signal.aborted).toBe(true);
    expect(store.exchanges()).toEqual([]);
    expect(store.threadId()).toBeNull();
    expect(store.streaming()).toBe(false);

    const next = store.ask('A fresh question');
    await flushStream();
    expect(client.last.body.threadId).toBeUndefined();
    client.last.end();
    await next;
  });

  it('stops an answer on request and keeps what arrived', async () => {
    const asked = store.ask('Tell me everything');
    await flushStream();
    client.last.push({ type: 'delta', text: 'Meridian is' });
    await flushStream();
    store.stop();
    await asked;

    expect(store.exchanges()[0]).toMatchObject({ answer: 'Meridian is', state: 'stopped' });
  });

  it('sends thumbs up, and thumbs down with a comment', async () => {
    const asked = store.ask('How do API keys work?');
    await flushStream();
    client.last.push({
      type: 'done',
      threadId: null,
      questionAnswerId: 'local-1',
      isUncertain: false,
      provider: 'local',
    });
    client.last.end();
    await asked;
    const id = store.exchanges()[0].id;

    const up = store.sendFeedback(id, 'upvote');
    expect(store.exchanges()[0]).toMatchObject({ reaction: 'upvote', feedback: 'sending' });
    const upRequest = http.expectOne(FEEDBACK_URL);
    expect(upRequest.request.body).toEqual({ questionAnswerId: 'local-1', reaction: 'upvote' });
    upRequest.flush(null, { status: 204, statusText: 'No Content' });
    await up;
    expect(store.exchanges()[0]).toMatchObject({ reaction: 'upvote', feedback: 'sent' });

    const down = store.sendFeedback(id, 'downvote', '  Too vague ');
    const downRequest = http.expectOne(FEEDBACK_URL);
    expect(downRequest.request.body).toEqual({
      questionAnswerId: 'local-1',
      reaction: 'downvote',
      comment: 'Too vague',
    });
    downRequest.flush(problem(500, 'internal', 'Boom'), { status: 500, statusText: 'Server Error' });
    await down;
    // Not recorded: the previous vote shows again.
    expect(store.exchanges()[0]).toMatchObject({ reaction: 'upvote', feedback: 'failed' });
  });

  it('forgets the conversation when the user signs out', async () => {
    const asked = store.ask('How do API keys work?');
    await flushStream();
    client.last.push({ type: 'done', threadId: 't', questionAnswerId: 'qa', isUncertain: false, provider: 'kapa' });
    client.last.end();
    await asked;
    store.open();

    const out = auth.signOut();
    http.expectOne(LOGOUT_URL).flush(null, { status: 204, statusText: 'No Content' });
    await out;
    TestBed.tick();

    expect(store.exchanges()).toEqual([]);
    expect(store.threadId()).toBeNull();
    expect(store.isOpen()).toBe(false);
    expect(store.available()).toBe(false);
  });
});

describe('AssistantStore availability', () => {
  function setUp(): { store: AssistantStore; auth: AuthStore; http: HttpTestingController } {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([{ path: 'sign-in', children: [] }]),
        { provide: AssistantStreamClient, useValue: new FakeStreamClient() },
      ],
    });
    return {
      store: TestBed.inject(AssistantStore),
      auth: TestBed.inject(AuthStore),
      http: TestBed.inject(HttpTestingController),
    };
  }

  it('is hidden when the operator switched the widget off', async () => {
    const { store, auth, http } = setUp();
    await restore(http, auth, session({}, me()));
    TestBed.tick();
    http.expectOne(STATUS_URL).flush(assistantStatus({ widgetEnabled: false }));
    await flushStream();

    expect(store.available()).toBe(false);
    http.verify();
  });

  it('is hidden, without asking the API, for a user without assistant:use', async () => {
    const { store, auth, http } = setUp();
    await restore(http, auth, session({}, viewer({ permissions: ['leads:read'] })));
    TestBed.tick();

    http.expectNone(STATUS_URL);
    expect(store.available()).toBe(false);
    http.verify();
  });
});
