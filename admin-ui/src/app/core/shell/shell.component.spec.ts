import { BreakpointObserver, BreakpointState } from '@angular/cdk/layout';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSidenav } from '@angular/material/sidenav';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import { BehaviorSubject } from 'rxjs';

import { AuthStore } from '../auth/auth.store';
import { LOGOUT_URL, me, restore, session, settle, viewer } from '../auth/testing/auth.fixtures';
import { provideAppIcons } from '../icons/app-icons';
import { ShellComponent } from './shell.component';

@Component({ template: '<h1>Stub page</h1>' })
class StubPageComponent {}

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let breakpoint: BehaviorSubject<BreakpointState>;
  let root: HTMLElement;

  async function create(user = me()): Promise<void> {
    await restore(TestBed.inject(HttpTestingController), TestBed.inject(AuthStore), session({}, user));
    fixture = TestBed.createComponent(ShellComponent);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  beforeEach(() => {
    breakpoint = new BehaviorSubject<BreakpointState>({ matches: false, breakpoints: {} });
    window.matchMedia = jest.fn().mockImplementation((query: string) => ({
      matches: false,
      media: query,
      addEventListener: jest.fn(),
      removeEventListener: jest.fn(),
    }));
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [
        provideRouter([
          { path: '', component: StubPageComponent },
          { path: 'system-status', component: StubPageComponent },
          { path: 'users', component: StubPageComponent },
          { path: 'api-keys', component: StubPageComponent },
          { path: 'audit', component: StubPageComponent },
          { path: 'sign-in', component: StubPageComponent },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: BreakpointObserver, useValue: { observe: () => breakpoint } },
      ],
    });
  });

  function navLinks(): HTMLAnchorElement[] {
    return Array.from(root.querySelectorAll<HTMLAnchorElement>('nav a'));
  }

  it('shows the app name and every page an owner may open', async () => {
    await create();
    expect(root.querySelector('.brand-name')?.textContent).toBe('Meridian');
    expect(navLinks().map((link) => link.textContent?.trim())).toEqual([
      'Dashboard',
      'Leads',
      'Inbox',
      'Campaigns',
      'Background tasks',
      'Users',
      'API keys',
      'Organization',
      'Lead fields',
      'Website widget',
      'Audit log',
      'System status',
      'Assistant insights',
      'Help',
    ]);
    expect(navLinks().map((link) => link.getAttribute('href'))).toEqual([
      '/',
      '/leads',
      '/inbox',
      '/campaigns',
      '/tasks',
      '/users',
      '/api-keys',
      '/settings/organization',
      '/settings/lead-fields',
      '/settings/widget',
      '/audit',
      '/system-status',
      '/assistant-insights',
      '/help',
    ]);
  });

  it('hides the pages a viewer may not open', async () => {
    await create(viewer());
    expect(navLinks().map((link) => link.textContent?.trim())).toEqual(['Dashboard', 'Leads', 'Campaigns', 'Help']);
  });

  it('shows the Outbox only while a channel keeps its messages there', async () => {
    await create();
    const http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/channels/status').flush({
      email: { driver: 'outbox', from: 'Meridian <no-reply@localhost>' },
      whatsapp: { driver: 'cloud-api', phoneNumberId: '1234' },
    });
    await settle();
    await fixture.whenStable();
    const labels = navLinks().map((link) => link.textContent?.trim());
    expect(labels.slice(0, 5)).toEqual(['Dashboard', 'Leads', 'Inbox', 'Campaigns', 'Outbox']);
    expect(navLinks()[4].getAttribute('href')).toBe('/outbox');
  });

  it('has no Outbox when both channels send for real', async () => {
    await create();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/channels/status')
      .flush({
        email: { driver: 'smtp', from: 'Acme <news@acme.example>' },
        whatsapp: { driver: 'cloud-api', phoneNumberId: '1234' },
      });
    await settle();
    await fixture.whenStable();
    expect(navLinks().map((link) => link.textContent?.trim())).not.toContain('Outbox');
  });

  it('shows who is signed in, and signs out from the user menu', async () => {
    await create(me({ name: 'Olivia Owner', email: 'olivia@example.com' }));
    const button = root.querySelector<HTMLButtonElement>('[data-testid="user-menu"]');
    expect(button?.textContent?.trim()).toBe('OO');
    expect(button?.getAttribute('aria-label')).toBe('Account menu of Olivia Owner');

    button?.click();
    await fixture.whenStable();
    const menu = document.querySelector<HTMLElement>('[data-testid="user-menu-identity"]');
    expect(menu?.textContent).toContain('olivia@example.com');
    expect(menu?.textContent).toContain('Owner');
    expect(menu?.textContent).toContain('Acme');

    document.querySelector<HTMLButtonElement>('[data-testid="sign-out"]')?.click();
    TestBed.inject(HttpTestingController).expectOne(LOGOUT_URL).flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(TestBed.inject(AuthStore).status()).toBe('signed-out');
  });

  function sidenav(): MatSidenav {
    return fixture.debugElement.query(By.directive(MatSidenav)).componentInstance as MatSidenav;
  }

  it('keeps the navigation open beside the content on desktop', async () => {
    await create();
    expect(sidenav().mode).toBe('side');
    expect(sidenav().opened).toBe(true);
    expect(root.querySelector('[data-testid="nav-toggle"]')).toBeNull();
  });

  it('hides the navigation behind a menu button on a phone', async () => {
    await create();
    breakpoint.next({ matches: true, breakpoints: {} });
    await fixture.whenStable();

    expect(sidenav().mode).toBe('over');
    expect(sidenav().opened).toBe(false);

    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="nav-toggle"]');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    toggle?.click();
    await fixture.whenStable();
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(sidenav().opened).toBe(true);
  });
});
