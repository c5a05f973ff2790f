import { Router, UrlTree } from '@angular/router';

export const SIGN_IN_PATH = '/sign-in';

/**
 * Where to go after signing in. Only paths of this app: never another origin ("//evil.example",
 * "https://..."), never the sign-in page itself.
 */
export function safeReturnUrl(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return '/';
  }
  return value.startsWith(SIGN_IN_PATH) ? '/' : value;
}

/** /sign-in?returnUrl=<where the user was>, without a pointless returnUrl of "/" or of the sign-in page. */
export function signInUrlTree(router: Router, returnUrl: string, reason?: 'expired'): UrlTree {
  const target = safeReturnUrl(returnUrl);
  return router.createUrlTree([SIGN_IN_PATH], {
    queryParams: {
      ...(target !== '/' ? { returnUrl: target } : {}),
      ...(reason ? { reason } : {}),
    },
  });
}
