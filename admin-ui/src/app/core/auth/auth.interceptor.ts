import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';

import { AuthStore } from './auth.store';

/** These work from the refresh cookie (or from nothing): no bearer token, and a 401 there is an answer, not a cue to refresh. */
const SESSION_ENDPOINTS: readonly string[] = ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout'];

function isUnauthorized(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === 401;
}

function withToken<T>(req: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
}

/**
 * Adds `Authorization: Bearer <access token>` to API calls. On a 401 it renews the session
 * once (one refresh shared by every call that failed meanwhile) and retries the call once;
 * when the session cannot be renewed, or the retry is refused too, the user is sent to
 * the sign-in page with a return URL.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const path = req.url.split('?')[0];
  if (!path.startsWith('/api/') || SESSION_ENDPOINTS.includes(path)) {
    return next(req);
  }
  const auth = inject(AuthStore);
  const sentToken = auth.token();
  return next(withToken(req, sentToken)).pipe(
    catchError((error: unknown) => {
      if (!isUnauthorized(error)) {
        return throwError(() => error);
      }
      return from(auth.tokenAfterUnauthorized(sentToken)).pipe(
        switchMap((token) => {
          if (!token) {
            return throwError(() => error);
          }
          return next(withToken(req, token)).pipe(
            catchError((retryError: unknown) => {
              if (isUnauthorized(retryError)) {
                auth.expire();
              }
              return throwError(() => retryError);
            }),
          );
        }),
      );
    }),
  );
};
