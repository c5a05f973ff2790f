import { inject } from '@angular/core';
import { CanActivateFn, RedirectCommand, Router } from '@angular/router';
import { Permission } from '@meridian/api-client';

import { AuthStore } from './auth.store';
import { safeReturnUrl, signInUrlTree } from './return-url';

/** Navigation state handed to the 403 page: what the refused page needed. */
export interface ForbiddenState {
  required: Permission[];
}

/** Signed in, with a password that needs no change; otherwise the sign-in page, which comes back here after. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  await auth.restore();
  if (auth.status() !== 'signed-in' || auth.user()?.mustChangePassword) {
    return signInUrlTree(router, state.url);
  }
  return true;
};

/**
 * The page needs these permissions. Without them the user sees the 403 page at the same
 * address (the URL stays, as with any refused page on the web), with a way back.
 */
export function permissionGuard(...required: Permission[]): CanActivateFn {
  return async (_route, state) => {
    const auth = inject(AuthStore);
    const router = inject(Router);
    await auth.restore();
    if (required.every((permission) => auth.hasPermission(permission))) {
      return true;
    }
    return new RedirectCommand(router.parseUrl('/forbidden'), {
      browserUrl: state.url,
      state: { required } satisfies ForbiddenState,
    });
  };
}

/** The sign-in page is for people who are not signed in (or who must first change their password). */
export const signInGuard: CanActivateFn = async (route) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  await auth.restore();
  if (auth.status() === 'signed-in' && !auth.user()?.mustChangePassword) {
    return router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl')));
  }
  return true;
};
