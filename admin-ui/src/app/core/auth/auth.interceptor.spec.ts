import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { provideApiConfiguration } from '@meridian/api-client';
import { firstValueFrom } from 'rxjs';

import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';
import {
  LOGIN_URL,
  LOGOUT_URL,
  REFRESH_URL,
  me,
  restore,
  session,
  settle,
  unauthorized,
} from './testing/auth.fixtures';

@Component({ template: '' })
class StubPageComponent {}

const UNAUTHORIZED = { status: 401, statusText: 'Unauthorized' };

describe('authInterceptor with AuthStore', () => {
  let http: HttpTestingController;
  let client: HttpClient;
  let auth: AuthStore;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([
          { path: 'sign-in', component: StubPageComponent },
          { path: '**', component: StubPageComponent },
        ]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
    auth = TestBed.inject(AuthStore);
    router = TestBed.inject(Router);
    await router.navigateByUrl('/users?view=all');
  });

  afterEach(() => http.verify());

  function get(url: string): Promise<unknown> {
    return firstValueFrom(client.get(url));
  }

  it('restores the session from the refresh cookie at start', async () => {
    expect(auth.status()).toBe('restoring');
    await restore(http, auth, session({ accessToken: 'restored' }));

    expect(auth.status()).toBe('signed-in');
    expect(auth.token()).toBe('restored');
    expect(auth.user()?.email).toBe('owner@example.com');
    expect(auth.hasPermission('users:manage')).toBe(true);
  });

  it('is signed out when there is no session to restore', async () => {
    await restore(http, auth, null);

    expect(auth.status()).toBe('signed-out');
    expect(auth.token()).toBeNull();
    expect(auth.user()).toBeNull();
  });

  it('sends the access token to the API, but not to the session endpoints nor elsewhere', async () => {
    await restore(http, auth, session({ accessToken: 'abc' }));

    void get('/api/users');
    void get('/health/ready');
    void firstValueFrom(client.post(LOGIN_URL, {}));
    void firstValueFrom(client.post(LOGOUT_URL, {}));

    expect(http.expectOne('/api/users').request.headers.get('Authorization')).toBe('Bearer abc');
    expect(http.expectOne('/health/ready').request.headers.has('Authorization')).toBe(false);
    expect(http.expectOne(LOGIN_URL).request.headers.has('Authorization')).toBe(false);
    expect(http.expectOne(LOGOUT_URL).request.headers.has('Authorization')).toBe(false);
  });

  it('on a 401 refreshes once and retries the call with the new token', async () => {
    await restore(http, auth, session({ accessToken: 'old' }));
    const result = get('/api/users');

    http.expectOne('/api/users').flush(unauthorized(), UNAUTHORIZED);
    http.expectOne(REFRESH_URL).flush(session({ accessToken: 'new' }));
    await settle();

    const retry = http.expectOne('/api/users');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer new');
    retry.flush({ items: [], nextCursor: null });

    await expect(result).resolves.toEqual({ items: [], nextCursor: null });
    expect(auth.token()).toBe('new');
    expect(auth.status()).toBe('signed-in');
  });

  it('signs out and sends to the sign-in page with a return URL when the retry is refused too', async () => {
    await restore(http, auth, session({ accessToken: 'old' }));
    const result = get('/api/users');

    http.expectOne('/api/users').flush(unauthorized(), UNAUTHORIZED);
    http.expectOne(REFRESH_URL).flush(session({ accessToken: 'new' }));
    await settle();
    http.expectOne('/api/users').flush(unauthorized(), UNAUTHORIZED);

    await expect(result).rejects.toBeInstanceOf(HttpErrorResponse);
    await settle();
    expect(auth.status()).toBe('signed-out');
    expect(auth.token()).toBeNull();
    expect(router.url).toBe('/sign-in?returnUrl=%2Fusers%3Fview%3Dall&reason=expired');
    // Once only: no refresh loop.
    http.expectNone(REFRESH_URL);
  });

  it('sends to the sign-in page when the session cannot be refreshed', async () => {
    await restore(http, auth, session({ accessToken: 'old' }));
    const result = get('/api/users');

    http.expectOne('/api/users').flush(unauthorized(), UNAUTHORIZED);
    http.expectOne(REFRESH_URL).flush(unauthorized(), UNAUTHORIZED);

    await expect(result).rejects.toMatchObject({ status: 401 });
    await settle();
    expect(auth.status()).toBe('signed-out');
    expect(router.url).toBe('/sign-in?returnUrl=%2Fusers%3Fview%3Dall&reason=expired');
  });

  it('shares one refresh between calls refused at the same time', async () => {
    await restore(http, auth, session({ accessToken: 'old' }));
    const users = get('/api/users');
    const keys = get('/api/api-keys');
    const audit = get('/api/audit');

    http.expectOne('/api/users').flush(unauthorized(), UNAUTHORIZED);
    http.expectOne('/api/api-keys').flush(unauthorized(), UNAUTHORIZED);
    http.expectOne('/api/audit').flush(unauthorized(), UNAUTHORIZED);

    // One refresh only: a second use of the rotating cookie would end the session.
    http.expectOne(REFRESH_URL).flush(session({ accessToken: 'new' }));
    await settle();

    for (const url of ['/api/users', '/api/api-keys', '/api/audit']) {
      const retry = http.expectOne(url);
      expect(retry.request.headers.get('Authorization')).toBe('Bearer new');
      retry.flush({ url });
    }
    await expect(Promise.all([users, keys, audit])).resolves.toHaveLength(3);
    http.expectNone(REFRESH_URL);
  });

  it('retries without refreshing again when another call already renewed the token', async () => {
    await restore(http, auth, session({ accessToken: 'old' }));
    const users = get('/api/users');
    const audit = get('/api/audit');
    const usersRequest = http.expectOne('/api/users');
    const auditRequest = http.expectOne('/api/audit');

    usersRequest.flush(unauthorized(), UNAUTHORIZED);
    http.expectOne(REFRESH_URL).flush(session({ accessToken: 'new' }));
    await settle();
    http.expectOne('/api/users').flush({});
    await users;

    // Sent with the old token before the refresh, refused after it: the new token is already there.
    auditRequest.flush(unauthorized(), UNAUTHORIZED);
    await settle();
    http.expectNone(REFRESH_URL);
    const retry = http.expectOne('/api/audit');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer new');
    retry.flush({});
    await audit;
  });

  it('renews the access token shortly before it expires', async () => {
    jest.useFakeTimers();
    try {
      const done = auth.restore();
      http.expectOne(REFRESH_URL).flush(session({ accessToken: 'first', expiresIn: 300 }));
      await done;

      jest.advanceTimersByTime(239_000);
      http.expectNone(REFRESH_URL);
      jest.advanceTimersByTime(1_000);

      http.expectOne(REFRESH_URL).flush(session({ accessToken: 'second', expiresIn: 300 }));
      await Promise.resolve();
      await Promise.resolve();
      expect(auth.token()).toBe('second');
    } finally {
      jest.useRealTimers();
    }
  });

  it('signs out on the server and here, then shows the sign-in page', async () => {
    await restore(http, auth, session({ accessToken: 'abc' }, me({ name: 'Olivia' })));

    const done = auth.signOut();
    http.expectOne(LOGOUT_URL).flush(null, { status: 204, statusText: 'No Content' });
    await done;

    expect(auth.status()).toBe('signed-out');
    expect(auth.token()).toBeNull();
    expect(router.url).toBe('/sign-in');
  });

  it('does not try to refresh a pending MFA sign-in (it has no cookie): it starts over', async () => {
    await restore(http, auth, null);
    const signIn = auth.signIn('owner@example.com', 'pw');
    http.expectOne(LOGIN_URL).flush(session({ accessToken: 'pending', mfa: 'verify' }));
    await signIn;
    expect(auth.status()).toBe('mfa-pending');

    const verify = auth.verifyMfa('123456');
    const request = http.expectOne('/api/auth/mfa/verify');
    expect(request.request.headers.get('Authorization')).toBe('Bearer pending');
    request.flush(unauthorized(), UNAUTHORIZED);

    await expect(verify).rejects.toMatchObject({ status: 401 });
    http.expectNone(REFRESH_URL);
    expect(auth.status()).toBe('signed-out');
  });
});
