import { Location } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { SessionDto } from '@meridian/api-client';

import { provideAppIcons } from '../icons/app-icons';
import { ForbiddenComponent } from '../shell/forbidden.component';
import { authGuard, permissionGuard, signInGuard } from './auth.guards';
import { AuthStore } from './auth.store';
import { safeReturnUrl } from './return-url';
import { me, restore, session, viewer } from './testing/auth.fixtures';

@Component({ template: '<h1>Users page</h1>' })
class UsersStubComponent {}

@Component({ template: '<h1>Dashboard</h1>' })
class DashboardStubComponent {}

@Component({ template: '<h1>Sign-in page</h1>' })
class SignInStubComponent {}

describe('route guards', () => {
  let harness: RouterTestingHarness;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([
          { path: 'sign-in', canActivate: [signInGuard], component: SignInStubComponent },
          {
            path: '',
            canActivate: [authGuard],
            canActivateChild: [authGuard],
            children: [
              { path: '', pathMatch: 'full', component: DashboardStubComponent },
              { path: 'users', canActivate: [permissionGuard('users:read')], component: UsersStubComponent },
              { path: 'forbidden', component: ForbiddenComponent },
            ],
          },
        ]),
      ],
    });
  });

  async function start(value: SessionDto | null): Promise<void> {
    await restore(TestBed.inject(HttpTestingController), TestBed.inject(AuthStore), value);
    harness = await RouterTestingHarness.create();
  }

  function heading(): string {
    return harness.routeNativeElement?.querySelector('h1')?.textContent?.trim() ?? '';
  }

  function path(): string {
    return TestBed.inject(Location).path();
  }

  it('lets a user with the permission open the page', async () => {
    await start(session({}, me()));
    await harness.navigateByUrl('/users');

    expect(heading()).toBe('Users page');
    expect(path()).toBe('/users');
  });

  it('shows the 403 page at the same address to a user without the permission', async () => {
    await start(session({}, viewer()));
    await harness.navigateByUrl('/users');

    expect(heading()).toBe("You don't have access to this page");
    expect(harness.routeNativeElement?.textContent).toContain(
      'Your role, Viewer, does not include the permission to see users.',
    );
    expect(path()).toBe('/users');
  });

  it('sends a signed-out visitor to the sign-in page, with the way back', async () => {
    await start(null);
    await harness.navigateByUrl('/users?tab=all');

    expect(heading()).toBe('Sign-in page');
    expect(path()).toBe('/sign-in?returnUrl=%2Fusers%3Ftab%3Dall');
  });

  it('sends a user who must change their password to the sign-in page first', async () => {
    await start(session({}, me({ mustChangePassword: true })));
    await harness.navigateByUrl('/');

    expect(heading()).toBe('Sign-in page');
  });

  it('takes a signed-in user from the sign-in page to where they were going', async () => {
    await start(session({}, me()));
    await harness.navigateByUrl('/sign-in?returnUrl=%2Fusers');

    expect(heading()).toBe('Users page');
    expect(path()).toBe('/users');
  });
});

describe('safeReturnUrl', () => {
  it.each([
    ['/users?tab=all', '/users?tab=all'],
    ['/', '/'],
    [undefined, '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/sign-in?returnUrl=%2Fusers', '/'],
  ])('%s -> %s', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });
});
