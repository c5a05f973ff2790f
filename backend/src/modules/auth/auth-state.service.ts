import { Injectable } from '@nestjs/common';
import { LocalCache } from '../../cache/local-cache';
import { OrganizationsService } from '../organizations/organizations.service';
import type { User, UserStatus } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { authTags } from './auth-tags';
import type { Role } from './permissions';

/** What requests need to know about a signed-in user: no secrets (hashes, MFA secrets) are kept. */
export interface CallerUser {
  id: string;
  organizationId: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  /** Access tokens issued before this (ms since epoch) no longer work. */
  sessionsValidAfterMs: number | null;
  mfaEnabled: boolean;
  mustChangePassword: boolean;
}

export interface SessionState {
  user: CallerUser | null;
  /** The sign-in session (refresh family) has an unrevoked token. */
  sessionActive: boolean;
}

export interface CallerOrganization {
  id: string;
  name: string;
  mfaRequired: boolean;
  timeZone: string;
}

const sessionKey = (userId: string, sessionId: string) => `session:${userId}:${sessionId}`;
const sessionTags = (userId: string, sessionId: string) => [authTags.user(userId), authTags.session(sessionId)];

function callerUser(u: User): CallerUser {
  return {
    id: u.id,
    organizationId: u.organizationId,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    sessionsValidAfterMs: u.sessionsValidAfter?.getTime() ?? null,
    mfaEnabled: u.mfaEnabled,
    mustChangePassword: u.mustChangePassword,
  };
}

/**
 * The caller's user, session and organization as every authenticated request
 * reads them, reused for a few seconds (AUTH_CACHE_SECONDS). The services
 * that change these rows invalidate their tags after committing, so a
 * deactivation, role change, password reset, logout or revoked session takes
 * effect on the next request, on every API replica.
 */
@Injectable()
export class AuthStateService {
  constructor(
    private readonly cache: LocalCache,
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
  ) {}

  session(userId: string, sessionId: string): Promise<SessionState> {
    return this.cache.get(sessionKey(userId, sessionId), async () => {
      const { user, sessionActive } = await this.users.findWithSession(userId, sessionId);
      return { value: { user: user ? callerUser(user) : null, sessionActive }, tags: sessionTags(userId, sessionId) };
    });
  }

  /** Pass to rememberSignIn(): taken before reading the user who signs in. */
  get version(): number {
    return this.cache.version;
  }

  /**
   * A session that was just opened, for the user as read at `readAtVersion`:
   * the first requests of a sign-in need no query (skipped if anything was
   * invalidated meanwhile).
   */
  rememberSignIn(user: User, sessionId: string, readAtVersion: number): void {
    this.cache.set(
      sessionKey(user.id, sessionId),
      { user: callerUser(user), sessionActive: true } satisfies SessionState,
      sessionTags(user.id, sessionId),
      readAtVersion,
    );
  }

  organization(id: string): Promise<CallerOrganization> {
    return this.cache.get(`organization:${id}`, async () => {
      const org = await this.organizations.get(id);
      return {
        value: { id: org.id, name: org.name, mfaRequired: org.mfaRequired, timeZone: org.timeZone },
        tags: [authTags.organization(id)],
      };
    });
  }
}
