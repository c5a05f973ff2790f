import { HttpTestingController } from '@angular/common/http/testing';
import { MeDto, Permission, SessionDto } from '@meridian/api-client';

import { ALL_PERMISSIONS } from '../permissions';
import { AuthStore } from '../auth.store';

export const REFRESH_URL = '/api/auth/refresh';
export const LOGIN_URL = '/api/auth/login';
export const LOGOUT_URL = '/api/auth/logout';

export const VIEWER_PERMISSIONS: Permission[] = ['leads:read', 'campaigns:read', 'analytics:read', 'assistant:use'];

export function me(overrides: Partial<MeDto> = {}): MeDto {
  return {
    id: '7a5cc2ce-1111-4c3a-9145-a1ae202a5037',
    email: 'owner@example.com',
    name: 'Olivia Owner',
    role: 'owner',
    permissions: [...ALL_PERMISSIONS],
    organization: { id: 'ec1f40fd-f33c-4d9a-904a-f168b7ad68a3', name: 'Acme', mfaRequired: false, timeZone: 'UTC' },
    mfaEnabled: false,
    mustChangePassword: false,
    via: 'user',
    ...overrides,
  };
}

export function viewer(overrides: Partial<MeDto> = {}): MeDto {
  return me({
    id: '0b0b0b0b-2222-4c3a-9145-a1ae202a5037',
    email: 'victor@example.com',
    name: 'Victor Viewer',
    role: 'viewer',
    permissions: VIEWER_PERMISSIONS,
    ...overrides,
  });
}

export function session(overrides: Partial<Omit<SessionDto, 'user'>> = {}, user: MeDto = me()): SessionDto {
  return { accessToken: 'token-1', expiresIn: 900, mfa: 'none', user, ...overrides };
}

/** An RFC 9457 body as the API sends it. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): object {
  return {
    type: `https://meridian.dev/problems/${code}`,
    title: detail,
    status,
    detail,
    code,
    requestId: `req-${status}`,
    ...extra,
  };
}

export function unauthorized(): object {
  return problem(401, 'unauthorized', 'The session has ended. Sign in again.');
}

/** Lets promise chains (interceptor -> store -> HTTP) take their next steps. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Finishes the store's start-up restore: with a session from the refresh cookie, or with
 * none (401) when `value` is null.
 */
export async function restore(http: HttpTestingController, auth: AuthStore, value: SessionDto | null): Promise<void> {
  const done = auth.restore();
  const request = http.expectOne(REFRESH_URL);
  if (value) {
    request.flush(value);
  } else {
    request.flush(unauthorized(), { status: 401, statusText: 'Unauthorized' });
  }
  await done;
}
