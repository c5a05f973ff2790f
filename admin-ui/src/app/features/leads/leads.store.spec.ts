import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { LeadDto, MeDto, SavedViewDto, provideApiConfiguration } from '@meridian/api-client';

import { AuthStore } from '../../core/auth/auth.store';
import { me, restore, session, settle } from '../../core/auth/testing/auth.fixtures';
import { LeadBulkActions } from './lead-bulk-actions';
import { NO_FILTERS } from './leads.query';
import { LEADS_PAGE_SIZE, LeadsStore } from './leads.store';

let sequence = 0;
function lead(overrides: Partial<LeadDto> = {}): LeadDto {
  sequence += 1;
  return {
    id: `a0000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    firstName: 'Ana',
    lastName: 'Lima',
    email: `ana${sequence}@acme.example`,
    phone: null,
    company: 'Acme',
    title: null,
    source: 'web',
    status: 'new',
    score: 40,
    ownerId: null,
    tags: [],
    customFields: {},
    consentEmail: false,
    consentWhatsapp: false,
    unsubscribedAt: null,
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-01-10T10:00:00.000Z',
    deletedAt: null,
    mergedIntoId: null,
    ...overrides,
  };
}

function view(overrides: Partial<SavedViewDto> = {}): SavedViewDto {
  return {
    id: 'v1',
    name: 'Hot',
    shared: false,
    mine: true,
    filter: { status: ['qualified'], scoreMin: 70 },
    sort: 'score',
    order: 'desc',
    createdAt: '2026-01-10T10:00:00.000Z',
    ...overrides,
  };
}

describe('LeadsStore', () => {
  let http: HttpTestingController;
  let store: LeadsStore;

  async function setUp(user: MeDto = me()): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([]),
        LeadsStore,
        LeadBulkActions,
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session({}, user));
    store = TestBed.inject(LeadsStore);
  }

  afterEach(() => http.verify());

  function expectList(): TestRequest {
    return http.expectOne((req) => req.method === 'GET' && req.url === '/api/leads');
  }

  function expectCount(): TestRequest {
    return http.expectOne((req) => req.method === 'GET' && req.url === '/api/leads/count');
  }

  /** Answers the first load: a page of leads, their count, the views and the users. */
  async function load(items: LeadDto[], count = items.length, views: SavedViewDto[] = []): Promise<void> {
    const done = store.load();
    const list = expectList();
    expect(list.request.params.get('sort')).toBe('createdAt');
    expect(list.request.params.get('order')).toBe('desc');
    expect(list.request.params.get('limit')).toBe(String(LEADS_PAGE_SIZE));
    list.flush({ items, nextCursor: null });
    expectCount().flush({ count });
    http.expectOne('/api/lead-views').flush(views);
    await settle();
    const users = http.expectOne((req) => req.url === '/api/users');
    users.flush({
      items: [
        { id: me().id, name: 'Olivia Owner', email: me().email, status: 'active' },
        { id: 'u2', name: 'Ben Gone', email: 'ben@x.io', status: 'deactivated' },
      ],
      nextCursor: null,
    });
    await done;
  }

  it('loads the first page, the count, the views and the owners', async () => {
    await setUp();
    await load([lead(), lead()], 120, [view()]);

    expect(store.list.items()).toHaveLength(2);
    expect(store.count()).toBe(120);
    expect(store.views().map((v) => v.name)).toEqual(['Hot']);
    expect(store.ownerName(me().id)).toBe('You');
    expect(store.ownerName('u2')).toBe('Ben Gone');
    expect(store.ownerName(null)).toBe('Nobody');
    expect(store.ownerName('unknown')).toBe('Another user');
    expect(store.assignableOwners().map((owner) => owner.id)).toEqual([me().id]);
  });

  it('offers only oneself as owner without users:read (no call to /api/users)', async () => {
    await setUp(me({ role: 'agent', permissions: ['leads:read', 'leads:write'] }));
    const done = store.load();
    expectList().flush({ items: [], nextCursor: null });
    expectCount().flush({ count: 0 });
    http.expectOne('/api/lead-views').flush([]);
    await done;
    http.expectNone('/api/users');
    expect(store.owners().map((owner) => owner.name)).toEqual([me().name]);
  });

  it('sends the filters to the list and the count, and starts again from the first page', async () => {
    await setUp();
    await load([lead()]);
    store.toggle(store.list.items()[0].id);

    const done = store.setFilters({
      ...NO_FILTERS,
      q: 'ana',
      status: ['new', 'contacted'],
      tags: ['vip'],
      hasEmail: false,
    });
    const list = expectList();
    expect(list.request.params.get('q')).toBe('ana');
    expect(list.request.params.getAll('status')).toEqual(['new', 'contacted']);
    expect(list.request.params.getAll('tag')).toEqual(['vip']);
    expect(list.request.params.get('hasEmail')).toBe('false');
    expect(list.request.params.has('cursor')).toBe(false);
    const count = expectCount();
    expect(count.request.params.get('q')).toBe('ana');
    expect(count.request.params.has('sort')).toBe(false);
    list.flush({ items: [], nextCursor: null });
    count.flush({ count: 0 });
    await done;

    expect(store.selectedIds()).toEqual([]);
    expect(store.count()).toBe(0);
  });

  it("sends the created days as whole days of the organization's zone, and saves them so", async () => {
    await setUp(me({ organization: { ...me().organization, timeZone: 'Europe/Berlin' } }));
    await load([]);
    expect(store.timeZone()).toBe('Europe/Berlin');

    const done = store.patchFilters({ createdFrom: '2026-03-29', createdTo: '2026-03-29' });
    const list = expectList();
    // Berlin springs forward that day: 23 hours, from 23:00 UTC the day before.
    expect(list.request.params.get('createdFrom')).toBe('2026-03-28T23:00:00.000Z');
    expect(list.request.params.get('createdTo')).toBe('2026-03-29T22:00:00.000Z');
    const count = expectCount();
    expect(count.request.params.get('createdFrom')).toBe('2026-03-28T23:00:00.000Z');
    list.flush({ items: [], nextCursor: null });
    count.flush({ count: 0 });
    await done;

    const saved = store.saveView('Spring forward', false);
    const post = http.expectOne((req) => req.method === 'POST' && req.url === '/api/lead-views');
    expect(post.request.body).toMatchObject({
      filter: { createdFrom: '2026-03-28T23:00:00.000Z', createdTo: '2026-03-29T22:00:00.000Z' },
    });
    const stored = view({
      id: 'v9',
      name: 'Spring forward',
      sort: 'createdAt',
      order: 'desc',
      filter: post.request.body.filter,
    });
    post.flush(stored);
    await saved;
    expect(store.activeView()?.id).toBe('v9');
  });

  it('changes the order without counting again', async () => {
    await setUp();
    await load([lead()]);
    const done = store.setOrder({ sort: 'name', order: 'asc' });
    const list = expectList();
    expect(list.request.params.get('sort')).toBe('name');
    expect(list.request.params.get('order')).toBe('asc');
    list.flush({ items: [], nextCursor: null });
    await done;
    http.expectNone('/api/leads/count');
  });

  it('keeps only the latest count when filters change quickly', async () => {
    await setUp();
    await load([]);
    const first = store.patchFilters({ q: 'a' });
    const second = store.patchFilters({ q: 'an' });
    const lists = http.match((req) => req.url === '/api/leads');
    const counts = http.match((req) => req.url === '/api/leads/count');
    lists.forEach((req) => req.flush({ items: [], nextCursor: null }));
    counts[1].flush({ count: 3 });
    counts[0].flush({ count: 99 });
    await Promise.all([first, second]);
    expect(store.count()).toBe(3);
  });

  it('applies a saved view: its filters and its order, and knows it is the one shown', async () => {
    await setUp();
    await load([], 0, [view()]);
    expect(store.activeView()).toBeNull();

    const done = store.applyView(view());
    const list = expectList();
    expect(list.request.params.get('sort')).toBe('score');
    expect(list.request.params.getAll('status')).toEqual(['qualified']);
    expect(list.request.params.get('scoreMin')).toBe('70');
    list.flush({ items: [], nextCursor: null });
    expectCount().flush({ count: 0 });
    await done;

    expect(store.activeView()?.id).toBe('v1');
    expect(store.filters().status).toEqual(['qualified']);
  });

  it('saves the current filter (without the recycle bin) and order as a view', async () => {
    await setUp();
    await load([]);
    const filtering = store.setFilters({ ...NO_FILTERS, source: ['web'], deleted: true });
    expectList().flush({ items: [], nextCursor: null });
    expectCount().flush({ count: 0 });
    await filtering;

    const saving = store.saveView('Web', true);
    const request = http.expectOne((req) => req.method === 'POST' && req.url === '/api/lead-views');
    expect(request.request.body).toEqual({
      name: 'Web',
      shared: true,
      filter: { source: ['web'] },
      sort: 'createdAt',
      order: 'desc',
    });
    request.flush(view({ id: 'v2', name: 'Web', filter: { source: ['web'] }, sort: 'createdAt' }));
    await saving;
    expect(store.views().map((v) => v.name)).toEqual(['Web']);

    const deleting = store.deleteView('v2');
    http
      .expectOne((req) => req.method === 'DELETE' && req.url === '/api/lead-views/v2')
      .flush(null, {
        status: 204,
        statusText: 'No Content',
      });
    await deleting;
    expect(store.views()).toEqual([]);
  });

  it('shows a created lead on top of a newest-first list, and counts it', async () => {
    await setUp();
    const existing = lead();
    await load([existing], 1);
    const created = lead({ firstName: 'New' });

    const creating = store.create({ firstName: 'New' });
    const request = http.expectOne((req) => req.method === 'POST' && req.url === '/api/leads');
    expect(request.request.body).toEqual({ firstName: 'New' });
    request.flush(created);
    await creating;

    expect(store.list.items().map((l) => l.id)).toEqual([created.id, existing.id]);
    expect(store.count()).toBe(2);
  });

  it('asks the API again after a create under a filter (the new lead may not match)', async () => {
    await setUp();
    await load([]);
    const filtering = store.patchFilters({ q: 'zed' });
    expectList().flush({ items: [], nextCursor: null });
    expectCount().flush({ count: 0 });
    await filtering;

    const creating = store.create({ firstName: 'Ana' });
    http.expectOne((req) => req.method === 'POST' && req.url === '/api/leads').flush(lead());
    await creating;
    const list = expectList();
    expect(list.request.params.get('q')).toBe('zed');
    list.flush({ items: [], nextCursor: null });
    expectCount().flush({ count: 0 });
    await settle();
    expect(store.list.items()).toEqual([]);
    expect(store.count()).toBe(0);
  });

  it('sends a bulk change for the ticked ids, then reloads the list', async () => {
    await setUp();
    const [a, b, c] = [lead(), lead(), lead()];
    await load([a, b, c]);
    store.toggle(a.id);
    store.toggle(c.id);
    expect(store.selection()).toEqual({ ids: [a.id, c.id] });

    const running = store.runBulk({ action: 'add_tags', tags: ['vip'] });
    const bulk = http.expectOne((req) => req.method === 'POST' && req.url === '/api/leads/bulk');
    expect(bulk.request.body).toEqual({ action: 'add_tags', ids: [a.id, c.id], tags: ['vip'] });
    bulk.flush({ changed: 1, unchanged: 1, task: null });
    await settle();
    expectList().flush({ items: [a, b, c], nextCursor: null });
    expectCount().flush({ count: 3 });
    const outcome = await running;

    expect(outcome).toEqual({ kind: 'done', changed: 1, unchanged: 1 });
    expect(store.selectedIds()).toEqual([]);
  });

  it('selects all matching leads: the bulk change sends the filter and becomes a task', async () => {
    await setUp();
    const [a, b] = [lead(), lead()];
    const filtering = store.patchFilters({ tags: ['emea'] });
    expectList().flush({ items: [a, b], nextCursor: 'next' });
    expectCount().flush({ count: 340 });
    await filtering;

    store.toggle(a.id);
    expect(store.canSelectAllMatching()).toBe(false);
    store.toggleAll();
    expect(store.canSelectAllMatching()).toBe(true);
    store.selectAllMatching();
    expect(store.allMatching()).toBe(true);
    expect(store.selectionCount()).toBe(340);
    expect(store.selection()).toEqual({ filter: { tag: ['emea'] } });

    const running = store.runBulk({ action: 'assign', ownerId: null });
    const bulk = http.expectOne((req) => req.method === 'POST' && req.url === '/api/leads/bulk');
    expect(bulk.request.body).toEqual({ action: 'assign', filter: { tag: ['emea'] }, ownerId: null });
    const task = { id: 't1', status: 'queued' };
    bulk.flush({ changed: null, unchanged: null, task }, { status: 202, statusText: 'Accepted' });
    const outcome = await running;

    expect(outcome).toEqual({ kind: 'task', task });
    expect(store.allMatching()).toBe(false);
    expect(store.selectedIds()).toEqual([]);
  });

  it('forgets "all matching" when one lead is unticked', async () => {
    await setUp();
    const [a, b] = [lead(), lead()];
    await load([a, b], 90);
    store.toggleAll();
    store.selectAllMatching();
    store.toggle(a.id);
    expect(store.allMatching()).toBe(false);
    expect(store.selection()).toEqual({ ids: [b.id] });
  });

  it('restores from the recycle bin: the lead leaves the bin', async () => {
    await setUp();
    const gone = lead({ deletedAt: '2026-01-11T10:00:00.000Z' });
    await load([gone]);
    const restoring = store.restore(gone.id);
    http
      .expectOne((req) => req.method === 'POST' && req.url === `/api/leads/${gone.id}/restore`)
      .flush({ ...gone, deletedAt: null });
    await restoring;
    expect(store.list.items()).toEqual([]);
  });
});
