import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { TimeoutError, catchError, throwError, timeout } from 'rxjs';

/** Longest wait for an API answer before the console reports the API as unreachable. */
export const API_TIMEOUT_MS = 20_000;

/**
 * A stalled connection (a proxy holding the socket, a paused server) would otherwise
 * leave a page loading forever. After API_TIMEOUT_MS the call fails like a network
 * error (status 0), so pages show their "cannot reach the API" state.
 */
export const apiTimeoutInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith('/api/')) {
    return next(req);
  }
  return next(req).pipe(
    // `each`, not `first`: HttpClient emits a Sent event at once, the answer comes after it.
    timeout({ each: API_TIMEOUT_MS }),
    catchError((error: unknown) =>
      throwError(() =>
        error instanceof TimeoutError
          ? new HttpErrorResponse({
              url: req.urlWithParams,
              status: 0,
              statusText: `No answer within ${API_TIMEOUT_MS / 1000} s`,
            })
          : error,
      ),
    ),
  );
};
