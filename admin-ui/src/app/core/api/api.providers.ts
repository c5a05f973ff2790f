import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { EnvironmentProviders, Provider, inject, provideAppInitializer } from '@angular/core';
import { provideApiConfiguration } from '@meridian/api-client';

import { authInterceptor } from '../auth/auth.interceptor';
import { AuthStore } from '../auth/auth.store';
import { apiTimeoutInterceptor } from '../http/api-timeout.interceptor';

/**
 * HttpClient and the generated API client. The console is served by the API itself
 * (and proxied by `ng serve` in development), so the API root is the same origin: ''.
 * The auth interceptor comes first, so each attempt of a call (first try, retry after a
 * refresh) gets its own timeout.
 */
export function provideApi(): (Provider | EnvironmentProviders)[] {
  return [
    provideHttpClient(withFetch(), withInterceptors([authInterceptor, apiTimeoutInterceptor])),
    provideApiConfiguration(''),
    // Starts restoring the session from the refresh cookie at once, without holding up the
    // first render: the splash shows meanwhile and the route guards wait for the answer.
    provideAppInitializer(() => {
      void inject(AuthStore).restore();
    }),
  ];
}
