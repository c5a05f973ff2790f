import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import {
  ApiConfiguration,
  MeDto,
  MfaSetupDto,
  Permission,
  SessionDto,
  changePassword,
  disableMfa,
  enableMfa,
  getMe,
  login,
  logout,
  refreshSession,
  setupMfa,
  verifyMfa,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { SIGN_IN_PATH, signInUrlTree } from './return-url';

/**
 * - `restoring`: at start, while the refresh cookie is tried;
 * - `mfa-pending`: the password was right, an MFA step is owed (the token only opens /api/auth);
 * - `signed-in`: a full session.
 */
export type AuthStatus = 'restoring' | 'signed-out' | 'mfa-pending' | 'signed-in';
export type MfaStep = 'verify' | 'setup';
/** `ended`: the API says the session is over (401). `failed`: no answer (network, timeout, 5xx). */
export type RefreshOutcome = 'refreshed' | 'ended' | 'failed';

/** Renew the access token this long before it expires (at most half its life). */
export const REFRESH_AHEAD_SECONDS = 60;
/** After a silent refresh that got no answer, try again this much later. */
export const REFRESH_RETRY_MS = 30_000;
const LOCK_NAME = 'meridian.auth.refresh';
const CHANNEL_NAME = 'meridian.auth';

type Body<T> = { body: T };

/**
 * The signed-in user, their permissions and the access token.
 *
 * The access token lives in memory only (never in storage); the session survives reloads
 * through the httpOnly refresh cookie, which only the API can read. The cookie rotates on
 * every refresh and the API treats a second use of one cookie as theft (it ends the whole
 * session), so refreshes are single-flight in this tab and serialised across tabs with a
 * Web Lock.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly router = inject(Router);

  private accessToken: string | null = null;
  private readonly _status = signal<AuthStatus>('restoring');
  private readonly _user = signal<MeDto | null>(null);
  private readonly _mfaStep = signal<MfaStep | null>(null);

  readonly status = this._status.asReadonly();
  readonly user = this._user.asReadonly();
  /** The MFA step owed while `mfa-pending`. */
  readonly mfaStep = this._mfaStep.asReadonly();
  readonly signedIn = computed(() => this._status() === 'signed-in');
  readonly permissions = computed<ReadonlySet<Permission>>(() => new Set(this._user()?.permissions ?? []));

  private restoring: Promise<void> | null = null;
  private refreshing: Promise<RefreshOutcome> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);

  constructor() {
    // Signing out in one tab signs out the others at once, not at their next API call.
    this.channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (event.data === 'signed-out' && this._status() === 'signed-in') {
        this.expire();
      }
    });
    inject(DestroyRef).onDestroy(() => {
      this.cancelRefreshTimer();
      this.channel?.close();
    });
  }

  /** The bearer token for API calls; null when signed out. */
  token(): string | null {
    return this.accessToken;
  }

  hasPermission(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** At start: brings the session back from the refresh cookie, if there is one. Calls share one attempt. */
  restore(): Promise<void> {
    this.restoring ??= this.refresh().then(() => {
      if (this._status() === 'restoring') {
        this._status.set('signed-out');
      }
    });
    return this.restoring;
  }

  /** Email and password. Resolves with the MFA step still owed ('none' when signed in). */
  async signIn(email: string, password: string): Promise<SessionDto['mfa']> {
    const session = await this.call(login(this.http, this.apiConfig.rootUrl, { body: { email, password } }));
    this.accept(session);
    return session.mfa;
  }

  /** Second sign-in step: an authenticator code or a recovery code. */
  async verifyMfa(code: string): Promise<void> {
    this.accept(await this.call(verifyMfa(this.http, this.apiConfig.rootUrl, { body: { code } })));
  }

  /** Starts MFA enrolment (during sign-in, or from the account page). */
  setupMfa(): Promise<MfaSetupDto> {
    return this.call(setupMfa(this.http, this.apiConfig.rootUrl));
  }

  /** Confirms enrolment; resolves with the recovery codes, which are shown once. */
  async enableMfa(code: string): Promise<string[]> {
    const answer = await this.call(enableMfa(this.http, this.apiConfig.rootUrl, { body: { code } }));
    if (answer.session) {
      this.accept(answer.session);
    } else {
      this.patchUser({ mfaEnabled: true });
    }
    return answer.recoveryCodes;
  }

  async disableMfa(password: string, code: string): Promise<void> {
    await this.call(disableMfa(this.http, this.apiConfig.rootUrl, { body: { password, code } }));
    this.patchUser({ mfaEnabled: false });
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.call(changePassword(this.http, this.apiConfig.rootUrl, { body: { currentPassword, newPassword } }));
    this.patchUser({ mustChangePassword: false });
  }

  /** Reads the user again (name, role and permissions may have changed). */
  async reloadUser(): Promise<void> {
    this._user.set(await this.call(getMe(this.http, this.apiConfig.rootUrl)));
  }

  /** A new access token from the refresh cookie. Calls made while one runs share it. */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.withRefreshLock(() => this.requestRefresh()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * For the interceptor, after a 401: the token to retry with, or null when the session
   * cannot be renewed (then the user has been sent to the sign-in page).
   */
  async tokenAfterUnauthorized(rejectedToken: string | null): Promise<string | null> {
    if (this._status() === 'mfa-pending') {
      // A pending sign-in has no refresh cookie: it simply has to start again.
      this.clear();
      return null;
    }
    if (this.accessToken && this.accessToken !== rejectedToken) {
      // Another call refreshed while this one was in flight.
      return this.accessToken;
    }
    const outcome = await this.refresh();
    if (outcome === 'refreshed' && this.accessToken) {
      return this.accessToken;
    }
    if (outcome === 'ended') {
      this.expire();
    }
    return null;
  }

  /** Ends the session here and on the server, then shows the sign-in page. */
  async signOut(): Promise<void> {
    this.cancelRefreshTimer();
    try {
      await this.call(logout(this.http, this.apiConfig.rootUrl));
    } catch {
      // Signed out here regardless; the server session also ends when its cookie expires.
    }
    this.clear();
    this.channel?.postMessage('signed-out');
    await this.router.navigateByUrl(SIGN_IN_PATH);
  }

  /** The session ended on its own (expired, revoked, signed out elsewhere): sign in again, then come back. */
  expire(): void {
    this.clear();
    const current = this.router.url;
    void this.router.navigateByUrl(signInUrlTree(this.router, current, 'expired'));
  }

  private async requestRefresh(): Promise<RefreshOutcome> {
    try {
      this.accept(await this.call(refreshSession(this.http, this.apiConfig.rootUrl)));
      return 'refreshed';
    } catch (error: unknown) {
      if (error instanceof HttpErrorResponse && (error.status === 401 || error.status === 403)) {
        if (this._status() !== 'mfa-pending') {
          this.clear();
        }
        return 'ended';
      }
      return 'failed';
    }
  }

  private accept(session: SessionDto): void {
    this.accessToken = session.accessToken;
    this._user.set(session.user);
    if (session.mfa === 'none') {
      this._mfaStep.set(null);
      this._status.set('signed-in');
      this.scheduleRefresh(session.expiresIn);
    } else {
      this._mfaStep.set(session.mfa);
      this._status.set('mfa-pending');
      this.cancelRefreshTimer();
    }
  }

  private clear(): void {
    this.cancelRefreshTimer();
    this.accessToken = null;
    this._user.set(null);
    this._mfaStep.set(null);
    this._status.set('signed-out');
  }

  private patchUser(changes: Partial<MeDto>): void {
    this._user.update((user) => (user ? { ...user, ...changes } : user));
  }

  private scheduleRefresh(expiresInSeconds: number): void {
    const ahead = Math.min(REFRESH_AHEAD_SECONDS, expiresInSeconds / 2);
    this.startRefreshTimer((expiresInSeconds - ahead) * 1000);
  }

  private startRefreshTimer(delayMs: number): void {
    this.cancelRefreshTimer();
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh().then((outcome) => {
        if (outcome === 'ended') {
          this.expire();
        } else if (outcome === 'failed' && this._status() === 'signed-in') {
          this.startRefreshTimer(REFRESH_RETRY_MS);
        }
      });
    }, delayMs);
  }

  private cancelRefreshTimer(): void {
    if (this.refreshTimer !== null) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
    }
  }

  /** Two tabs refreshing with the same cookie would look like theft to the API: one at a time. */
  private async withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    return locks ? await locks.request(LOCK_NAME, task) : task();
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
