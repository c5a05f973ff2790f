import { BreakpointObserver, BreakpointState } from '@angular/cdk/layout';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSidenav } from '@angular/material/sidenav';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import { BehaviorSubject } from 'rxjs';

import { provideAppIcons } from '../icons/app-icons';
import { ShellComponent } from './shell.component';

@Component({ template: '<h1>Stub page</h1>' })
class StubPageComponent {}

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let breakpoint: BehaviorSubject<BreakpointState>;
  let root: HTMLElement;

  beforeEach(async () => {
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
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: BreakpointObserver, useValue: { observe: () => breakpoint } },
      ],
    });
    fixture = TestBed.createComponent(ShellComponent);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  it('shows the app name and only the pages that exist', () => {
    expect(root.querySelector('.brand-name')?.textContent).toBe('Meridian');
    const links = Array.from(root.querySelectorAll<HTMLAnchorElement>('nav a'));
    expect(links.map((link) => link.textContent?.trim())).toEqual(['Dashboard', 'System status']);
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/', '/system-status']);
  });

  function sidenav(): MatSidenav {
    return fixture.debugElement.query(By.directive(MatSidenav)).componentInstance as MatSidenav;
  }

  it('keeps the navigation open beside the content on desktop', () => {
    expect(sidenav().mode).toBe('side');
    expect(sidenav().opened).toBe(true);
    expect(root.querySelector('[data-testid="nav-toggle"]')).toBeNull();
  });

  it('hides the navigation behind a menu button on a phone', async () => {
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
