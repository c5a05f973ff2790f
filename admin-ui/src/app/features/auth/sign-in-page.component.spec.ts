import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { provideApiConfiguration } from '@meridian/api-client';

import { authInterceptor } from '../../core/auth/auth.interceptor';
import { AuthStore } from '../../core/auth/auth.store';
import { LOGIN_URL, me, problem, restore, session, settle } from '../../core/auth/testing/auth.fixtures';
import { provideAppIcons } from '../../core/icons/app-icons';
import { SignInPageComponent } from './sign-in-page.component';

@Component({ template: '<h1>Somewhere</h1>' })
class StubPageComponent {}

const RECOVERY_CODES = Array.from({ length: 10 }, (_, i) => `aaaa${i}-bbbb${i}`);

describe('SignInPageComponent', () => {
  let fixture: ComponentFixture<SignInPageComponent>;
  let http: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    window.matchMedia = jest.fn().mockImplementation((query: string) => ({
      matches: false,
      media: query,
      addEventListener: jest.fn(),
      removeEventListener: jest.fn(),
    }));
    TestBed.configureTestingModule({
      imports: [SignInPageComponent],
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideAppIcons(),
        provideRouter([{ path: '**', component: StubPageComponent }]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), null);
    fixture = TestBed.createComponent(SignInPageComponent);
    fixture.componentRef.setInput('returnUrl', '/users');
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function text(selector: string): string {
    return page.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  function heading(): string {
    return text('h1');
  }

  function type(testId: string, value: string): void {
    const input = page.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (!input) {
      throw new Error(`No input ${testId}`);
    }
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function click(testId: string): Promise<void> {
    page.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.click();
    await fixture.whenStable();
  }

  async function signIn(): Promise<void> {
    type('sign-in-email', ' owner@example.com ');
    type('sign-in-password', 'correct horse battery');
    await click('sign-in-submit');
  }

  function errors(): string[] {
    return Array.from(page.querySelectorAll('mat-error')).map((error) => error.textContent?.trim() ?? '');
  }

  it('says what is missing, without calling the API', async () => {
    expect(heading()).toBe('Sign in');
    await click('sign-in-submit');

    expect(errors()).toEqual(['Email is required', 'Password is required']);
    http.expectNone(LOGIN_URL);
  });

  it('sends the credentials and shows a wrong password as the API words it', async () => {
    await signIn();
    const request = http.expectOne(LOGIN_URL);
    expect(request.request.body).toEqual({ email: 'owner@example.com', password: 'correct horse battery' });
    expect(page.querySelector<HTMLButtonElement>('[data-testid="sign-in-submit"]')?.disabled).toBe(true);
    expect(text('[data-testid="sign-in-submit"]')).toBe('Signing in…');

    request.flush(problem(401, 'invalid_credentials', 'The email or password is incorrect.'), {
      status: 401,
      statusText: 'Unauthorized',
    });
    await settle();
    await fixture.whenStable();

    expect(text('[data-testid="sign-in-error"]')).toBe('The email or password is incorrect.');
    // The password stays, to be corrected rather than typed again.
    expect(page.querySelector<HTMLInputElement>('[data-testid="sign-in-password"]')?.value).toBe(
      'correct horse battery',
    );
    expect(errors()).toEqual([]);
    expect(page.querySelector<HTMLButtonElement>('[data-testid="sign-in-submit"]')?.disabled).toBe(false);
    expect(TestBed.inject(AuthStore).status()).toBe('signed-out');
  });

  it('explains a lockout and when to try again', async () => {
    await signIn();
    http
      .expectOne(LOGIN_URL)
      .flush(
        problem(
          429,
          'account_locked',
          'Too many failed sign-ins for this account. Try again in 15 minutes, or ask an admin to reset the password.',
          { retryAfterSeconds: 900 },
        ),
        { status: 429, statusText: 'Too Many Requests' },
      );
    await settle();
    await fixture.whenStable();

    const locked = text('[data-testid="sign-in-locked"]');
    expect(locked).toContain('Sign-in is paused');
    expect(locked).toContain('Too many failed sign-ins for this account.');
    expect(locked).toContain('You can try again in about 15 minutes.');
  });

  it('asks for the MFA code, then goes to the page the user wanted', async () => {
    await signIn();
    http.expectOne(LOGIN_URL).flush(session({ accessToken: 'pending', mfa: 'verify' }));
    await settle();
    await fixture.whenStable();

    expect(heading()).toBe('Two-step verification');
    type('mfa-code', '12345');
    await click('mfa-verify');
    expect(errors()).toEqual(['Enter the 6 digits your authenticator app shows']);

    type('mfa-code', '123456');
    await click('mfa-verify');
    const verify = http.expectOne('/api/auth/mfa/verify');
    expect(verify.request.headers.get('Authorization')).toBe('Bearer pending');
    expect(verify.request.body).toEqual({ code: '123456' });
    verify.flush(session({ accessToken: 'full' }));
    await settle();
    await fixture.whenStable();

    expect(TestBed.inject(AuthStore).status()).toBe('signed-in');
    expect(TestBed.inject(Router).url).toBe('/users');
  });

  it('shows a wrong MFA code next to the field, and accepts a recovery code instead', async () => {
    await signIn();
    http.expectOne(LOGIN_URL).flush(session({ accessToken: 'pending', mfa: 'verify' }));
    await settle();
    await fixture.whenStable();

    type('mfa-code', '000000');
    await click('mfa-verify');
    http.expectOne('/api/auth/mfa/verify').flush(
      problem(400, 'invalid_mfa_code', 'code: is not a valid authenticator or recovery code', {
        errors: [{ field: 'code', reason: 'is not a valid authenticator or recovery code' }],
      }),
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    await fixture.whenStable();
    expect(errors()).toEqual(['Code is not a valid authenticator or recovery code']);

    await click('toggle-recovery');
    expect(text('mat-label')).toBe('Recovery code');
    type('mfa-code', 'aaaa0-bbbb0');
    await click('mfa-verify');
    expect(http.expectOne('/api/auth/mfa/verify').request.body).toEqual({ code: 'aaaa0-bbbb0' });
  });

  it('enrols MFA when the organization requires it, and shows the recovery codes once', async () => {
    await signIn();
    http.expectOne(LOGIN_URL).flush(session({ accessToken: 'pending', mfa: 'setup' }));
    await settle();
    await fixture.whenStable();

    expect(heading()).toBe('Set up two-step verification');
    const setup = http.expectOne('/api/auth/mfa/setup');
    expect(setup.request.headers.get('Authorization')).toBe('Bearer pending');
    setup.flush({
      secret: 'JBSWY3DPEHPK3PXP',
      otpauthUri: 'otpauth://totp/Meridian:owner%40example.com?secret=JBSWY3DPEHPK3PXP',
      qrCodeDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
    });
    await settle();
    await fixture.whenStable();

    expect(page.querySelector<HTMLImageElement>('[data-testid="mfa-qr"]')?.src).toBe(
      'data:image/png;base64,iVBORw0KGgo=',
    );
    expect(text('[data-testid="mfa-secret"]')).toBe('JBSW Y3DP EHPK 3PXP');

    type('mfa-enrol-code', '654321');
    await click('mfa-enrol-submit');
    const enable = http.expectOne('/api/auth/mfa/enable');
    expect(enable.request.body).toEqual({ code: '654321' });
    enable.flush({ recoveryCodes: RECOVERY_CODES, session: session({ accessToken: 'full' }) });
    await settle();
    await fixture.whenStable();

    expect(heading()).toBe('Save your recovery codes');
    expect(page.querySelectorAll('[data-testid="recovery-codes"] li')).toHaveLength(10);
    const done = page.querySelector<HTMLButtonElement>('[data-testid="codes-done"]');
    expect(done?.disabled).toBe(true);

    page.querySelector<HTMLInputElement>('[data-testid="codes-saved"] input')?.click();
    await fixture.whenStable();
    expect(done?.disabled).toBe(false);
    await click('codes-done');
    await settle();

    expect(TestBed.inject(Router).url).toBe('/users');
  });

  it('asks for a new password when an admin set the current one', async () => {
    await signIn();
    http.expectOne(LOGIN_URL).flush(session({}, me({ mustChangePassword: true })));
    await settle();
    await fixture.whenStable();

    expect(heading()).toBe('Choose a new password');
    expect(TestBed.inject(Router).url).not.toBe('/users');
  });
});
