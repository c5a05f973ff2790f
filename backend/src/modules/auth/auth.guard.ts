import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeysService, looksLikeApiKey } from '../api-keys/api-keys.service';
import { UserStatus } from '../users/user.entity';
import { AuthStateService } from './auth-state.service';
import { ALLOW_MFA_PENDING, IS_PUBLIC, REQUIRED_PERMISSIONS } from './decorators';
import { hasPermissions, Permission, ROLE_PERMISSIONS } from './permissions';
import type { Principal } from './principal';
import { TokensService } from './tokens.service';

/**
 * Global guard: every route needs a principal unless marked @Public(). A
 * principal comes from a JWT access token or an API key (`Authorization:
 * Bearer ...` or `X-API-Key`). The user and session state come from
 * AuthStateService: reused for a few seconds, dropped at once by the changes
 * that matter (deactivation, role change, password reset, logout, revoked
 * session), so those apply on the next request. API keys are read on every
 * request (one query with their creator): their rows can change outside the
 * API (expiry).
 */
/** What a route's decorators say about access, read once per handler. */
interface RouteAccess {
  isPublic: boolean;
  allowMfaPending: boolean;
  required: readonly Permission[];
}

@Injectable()
export class AuthGuard implements CanActivate {
  /** By controller and handler: decorators do not change at run time, and reading them is a chain of lookups. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly authState: AuthStateService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, allowMfaPending, required } = this.access(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    if (principal.mfaPending && !allowMfaPending) {
      throw new ForbiddenException('Complete multi-factor authentication first.');
    }
    if (!hasPermissions(principal.permissions, required)) {
      throw new ForbiddenException(
        `This needs the permission ${required.filter((p) => !principal.permissions.includes(p)).join(', ')}.`,
      );
    }
    return true;
  }

  private access(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new WeakMap()));
    let access = byHandler.get(handler);
    if (!access) {
      const targets = [handler, controller];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
        allowMfaPending: this.reflector.getAllAndOverride<boolean>(ALLOW_MFA_PENDING, targets) ?? false,
        required: this.reflector.getAllAndOverride<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [],
      };
      byHandler.set(handler, access);
    }
    return access;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const apiKeyHeader = request.headers['x-api-key'];
    const apiKey =
      typeof apiKeyHeader === 'string' ? apiKeyHeader.trim() : bearer && looksLikeApiKey(bearer) ? bearer : undefined;
    if (apiKey) return this.fromApiKey(apiKey);
    if (!bearer) throw new UnauthorizedException('Sign in, or send an API key.');
    return this.fromAccessToken(bearer);
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const claims = this.tokens.verifyAccess(token);
    const { user, sessionActive } = await this.authState.session(claims.sub, claims.sid);
    const cutOff =
      user?.sessionsValidAfterMs != null && (claims.iat ?? 0) < Math.floor(user.sessionsValidAfterMs / 1000);
    if (!user || user.status !== UserStatus.Active || user.organizationId !== claims.org || !sessionActive || cutOff) {
      throw new UnauthorizedException('The session has ended. Sign in again.');
    }
    return {
      kind: 'user',
      id: user.id,
      organizationId: user.organizationId,
      role: user.role,
      permissions: ROLE_PERMISSIONS[user.role],
      label: user.email,
      mfaPending: claims.mfa === 'pending',
      sessionId: claims.sid,
    };
  }

  private async fromApiKey(presented: string): Promise<Principal> {
    const found = await this.apiKeys.authenticate(presented);
    // A key stops with its creator: deactivated users' keys no longer work.
    if (!found || found.creator.status !== UserStatus.Active) {
      throw new UnauthorizedException('The API key is invalid, revoked or expired.');
    }
    const { key, creator } = found;
    const rolePermissions = ROLE_PERMISSIONS[creator.role];
    return {
      kind: 'api-key',
      id: key.id,
      organizationId: key.organizationId,
      role: creator.role,
      // Never more than the creator can do today, even if their role was lowered since.
      permissions: key.permissions.filter((p) => rolePermissions.includes(p)),
      label: `${key.name} (${key.prefix})`,
    };
  }
}
