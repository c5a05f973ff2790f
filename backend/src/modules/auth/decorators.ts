import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Permission } from './permissions';
import type { Principal } from './principal';

export const IS_PUBLIC = 'meridian:is_public';
export const REQUIRED_PERMISSIONS = 'meridian:required_permissions';
export const ALLOW_MFA_PENDING = 'meridian:allow_mfa_pending';

/** The route answers without authentication (health, docs, sign-in). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Any authenticated principal holding every listed permission may call the route. */
export const RequirePermissions = (...permissions: Permission[]) => SetMetadata(REQUIRED_PERMISSIONS, permissions);

/** The route stays open to a user who has signed in but still owes an MFA step. */
export const AllowMfaPending = () => SetMetadata(ALLOW_MFA_PENDING, true);

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new UnauthorizedException();
  return principal;
});
