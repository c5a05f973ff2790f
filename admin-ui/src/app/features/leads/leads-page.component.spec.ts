import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { LeadDto, LeadFieldDto, MeDto, provideApiConfiguration } from '@meridian/api-client';

import { authInterceptor } from '../../core/auth/auth.interceptor';
import { AuthStore } from '../../core/auth/auth.store';
import { me, restore, session, settle, viewer } from '../../core/auth/testing/auth.fixtures';
import { provideAppIcons } from '../../core/icons/app-icons';
import { LeadsPageComponent } from './leads-page.component';

function lead(overrides: Partial<LeadDto> = {}): LeadDto {
  return {
    id: 'a0000000-0000-4000-8000-000000000001',
    firstName: 'Ana',
    lastName: 'Lima',
    email: 'ana@acme.example',
    phone: null,
    company: 'Acme',
    title: 'CTO',
    source: 'web',
    status: 'qualified',
    score: 82,
    ownerId: null,
    tags: ['vip'],
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

const PLAN: LeadFieldDto = {
  id: 'f1',
  key: 'plan',
  label: 'Plan',
  type: 'select',
  options: ['Free', 'Pro'],
  position: 10,
  required: false,
  createdAt: '2026-01-10T10:00:00.000Z',
  updatedAt: '2026-01-10T10:00:00.000Z',
};

describe('LeadsPageComponent', () => {
  let fixture: ComponentFixture<LeadsPageComponent>;
  let http: HttpTestingController;
  let page: HTMLElement;

  async function open(user: MeDto, items: LeadDto[], count = items.length, fields: LeadFieldDto[] = []): Promise<void> {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [LeadsPageComponent],
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideAppIcons(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session({ accessToken: 'tok' }, user));
    fixture = TestBed.createComponent(LeadsPageComponent);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    listRequest().flush({ items, nextCursor: count > items.length ? 'next' : null });
    http.expectOne('/api/leads/count').flush({ count });
    http.expectOne('/api/lead-views').flush([]);
    http.expectOne('/api/lead-fields').flush(fields);
    await settle();
    for (const users of http.match((req) => req.url === '/api/users')) {
      users.flush({ items: [], nextCursor: null });
    }
    await settled();
  }

  async function settled(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error('Timed out waiting for the page');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      await fixture.whenStable();
    }
  }

  function listRequest(): TestRequest {
    return http.expectOne((req) => req.url === '/api/leads');
  }

  function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
    return page.querySelector<T>(`[data-testid="${id}"]`);
  }

  afterEach(() => http.verify());

  it('shows each lead with its status and score, and the count', async () => {
    await open(me(), [lead()]);

    const row = page.querySelector('tr[data-lead-email="ana@acme.example"]');
    expect(row?.textContent).toContain('Ana Lima');
    expect(row?.textContent).toContain('CTO');
    expect(row?.querySelector('app-lead-status-chip')?.textContent?.trim()).toBe('Qualified');
    expect(row?.querySelector('app-lead-score')?.getAttribute('aria-label')).toBe('Score 82 of 100');
    expect(byTestId('lead-count')?.textContent?.trim()).toBe('1 lead');
  });

  it('searches once the typing pauses, with the last words typed', async () => {
    await open(me(), [lead()]);
    const input = byTestId<HTMLInputElement>('lead-search')!;
    for (const text of ['a', 'an', 'ana', 'ana l']) {
      input.value = text;
      input.dispatchEvent(new Event('input'));
    }
    let counts: TestRequest[] = [];
    await until(() => (counts = http.match((req) => req.url === '/api/leads/count')).length > 0);
    // Only the last text went out, once, to the list and to the count.
    expect(counts.map((req) => req.request.params.get('q'))).toEqual(['ana l']);
    counts[0].flush({ count: 0 });
    const list = listRequest();
    expect(list.request.params.get('q')).toBe('ana l');
    list.flush({ items: [], nextCursor: null });
    await settled();
    expect(byTestId('leads-empty')?.textContent).toContain('No lead matches');
    expect(byTestId('filter-chips')?.textContent).toContain('Search: “ana l”');
  });

  it('tells what to do next when there are no leads, with import linking to the wizard', async () => {
    await open(me(), []);
    const empty = byTestId('leads-empty');
    expect(empty?.textContent).toContain('No leads yet');
    expect(byTestId('empty-new-lead')).not.toBeNull();
    const importLinks = page.querySelectorAll<HTMLAnchorElement>('[data-testid="leads-import"]');
    expect(importLinks.length).toBe(2);
    importLinks.forEach((link) => expect(link.getAttribute('href')).toBe('/leads/import'));
  });

  it('lets a viewer read only: no new lead, no selection, no import or export', async () => {
    await open(viewer(), [lead()]);
    expect(byTestId('new-lead')).toBeNull();
    expect(page.querySelector('mat-checkbox')).toBeNull();
    expect(byTestId('leads-import')).toBeNull();
    expect(byTestId('leads-export')).toBeNull();
  });

  it('keeps the chosen columns for the next visit', async () => {
    await open(me(), [lead()]);
    expect(page.querySelector('th.mat-column-tags')).toBeNull();

    byTestId('column-chooser')!.click();
    await settled();
    document.querySelector<HTMLElement>('[data-column="tags"]')!.click();
    await settled();

    expect(page.querySelector('th.mat-column-tags')).not.toBeNull();
    expect(JSON.parse(localStorage.getItem('meridian.leads.columns') ?? '[]')).toContain('tags');
  });

  it('offers the custom fields as columns', async () => {
    await open(me(), [lead({ customFields: { plan: 'Pro' } })], 1, [PLAN]);
    byTestId('column-chooser')!.click();
    await settled();
    document.querySelector<HTMLElement>('[data-column="custom:plan"]')!.click();
    await settled();

    const cell = page.querySelector('td.mat-column-custom-plan');
    expect(cell?.textContent?.trim()).toBe('Pro');
    expect(JSON.parse(localStorage.getItem('meridian.leads.columns') ?? '[]')).toContain('custom:plan');
  });

  it('selects every lead matching the filter and sends the filter, then follows the task to its end', async () => {
    const items = [lead(), lead({ id: 'a0000000-0000-4000-8000-000000000002', email: 'ben@acme.example' })];
    await open(me(), items, 120);

    byTestId('select-all')!.querySelector('input')!.click();
    await settled();
    expect(byTestId('selection-count')?.textContent).toContain('2 leads selected');
    byTestId('select-all-matching')!.click();
    await settled();
    expect(byTestId('selection-count')?.textContent).toContain('All 120 leads matching selected');

    byTestId('selection-status')!.click();
    await settled();
    Array.from(document.querySelectorAll<HTMLElement>('[mat-menu-item]'))
      .find((item) => item.textContent?.includes('Contacted'))!
      .click();
    await settled();

    const bulk = http.expectOne((req) => req.method === 'POST' && req.url === '/api/leads/bulk');
    expect(bulk.request.body).toEqual({ action: 'set_status', status: 'contacted', filter: {} });
    const task = {
      id: 't1',
      kind: 'leads.bulk',
      title: 'Change status: 120 leads',
      status: 'running',
      percent: 10,
      processed: 12,
      total: 120,
      counts: { changed: 12 },
      error: null,
      files: [],
      attempts: 1,
      createdByLabel: null,
      result: null,
      createdAt: '2026-01-10T10:00:00.000Z',
      startedAt: '2026-01-10T10:00:00.000Z',
      finishedAt: null,
    };
    bulk.flush({ changed: null, unchanged: null, task });
    await settled();
    expect(byTestId('bulk-task')?.textContent).toContain('Change status: 120 leads');

    http.expectOne('/api/tasks/t1').flush({ ...task, status: 'succeeded', percent: 100, processed: 120 });
    await settled();
    expect(byTestId('bulk-task')?.textContent).toContain('100 %');
    // Done: the list and the count again.
    listRequest().flush({ items, nextCursor: null });
    http.expectOne((req) => req.url === '/api/leads/count').flush({ count: 120 });
    await settled();
  });
});
