import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { EnvironmentProviders, Provider } from '@angular/core';
import { provideApiConfiguration } from '@meridian/api-client';

import { apiTimeoutInterceptor } from '../http/api-timeout.interceptor';

/**
 * HttpClient and the generated API client. The console is served by the API itself
 * (and proxied by `ng serve` in development), so the API root is the same origin: ''.
 */
export function provideApi(): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(withFetch(), withInterceptors([apiTimeoutInterceptor])), provideApiConfiguration('')];
}
