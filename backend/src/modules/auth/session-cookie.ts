import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedTokens } from './tokens.service';

export const REFRESH_COOKIE = 'meridian_refresh';
const COOKIE_PATH = '/api/auth';

/** The refresh token lives in an httpOnly, SameSite=Strict cookie scoped to the auth routes. */
export function setRefreshCookie(request: FastifyRequest, reply: FastifyReply, tokens: IssuedTokens): void {
  void reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: COOKIE_PATH,
    expires: tokens.refreshExpiresAt,
  });
}

export function clearRefreshCookie(reply: FastifyReply): void {
  void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict' });
}

export function refreshCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[REFRESH_COOKIE];
  return value && value.length <= 200 ? value : undefined;
}
