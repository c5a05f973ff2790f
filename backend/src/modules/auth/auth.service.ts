import { HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { CacheService } from '../../cache/cache.service';
import { ProblemException } from '../../common/errors/problem';
import { AuditService } from '../audit/audit.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { User, UserStatus } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { Actor } from './actor';
import { AuthStateService } from './auth-state.service';
import { ACCOUNT_LOCK_MINUTES, ACCOUNT_MAX_FAILURES, LoginThrottleService } from './login-throttle.service';
import { MfaService } from './mfa.service';
import { PasswordService } from './password.service';
import { Role } from './permissions';
import { IssuedTokens, TokensService } from './tokens.service';

export type MfaStep = 'none' | 'verify' | 'setup';

export interface SignInResult {
  tokens: IssuedTokens;
  mfa: MfaStep;
  user: User;
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

const INVALID = 'The email or password is incorrect.';
const MFA_MAX_FAILURES = 5;

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottleService,
    private readonly mfa: MfaService,
    private readonly cache: CacheService,
    private readonly audit: AuditService,
    private readonly authState: AuthStateService,
  ) {}

  /**
   * Checks email and password. Unknown emails take the same time, get the same
   * answer and lock the same way as wrong passwords, so nothing tells which
   * accounts exist.
   */
  async login(email: string, password: string, client: Client): Promise<SignInResult> {
    await this.throttle.checkIp(client.ip ?? 'unknown');
    const readAt = this.authState.version;
    const user = await this.users.findByEmail(email);
    if (user?.lockedUntil && user.lockedUntil > new Date()) throw this.locked();
    const unknownKey = `login-unknown:${email.toLowerCase()}`;
    if (!user && Number(await this.cache.get(unknownKey)) >= ACCOUNT_MAX_FAILURES) throw this.locked();

    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) {
      if (user) await this.users.recordLoginFailure(user, ACCOUNT_MAX_FAILURES, ACCOUNT_LOCK_MINUTES);
      else await this.cache.increment(unknownKey, ACCOUNT_LOCK_MINUTES * 60);
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid_credentials', INVALID);
    }
    if (user.status !== UserStatus.Active)
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid_credentials', INVALID);
    await this.users.recordLoginSuccess(user);
    const mfa = await this.mfaStep(user);
    const tokens = await this.tokens.issue(
      {
        sub: user.id,
        org: user.organizationId,
        role: user.role,
        ...(mfa === 'none' ? {} : { mfa: 'pending' as const }),
      },
      client,
    );
    this.authState.rememberSignIn(user, tokens.sessionId, readAt);
    return { tokens, mfa, user };
  }

  /** Second step of sign-in: an authenticator or recovery code turns a pending session into a full one. */
  async verifyMfa(actor: Actor, code: string, client: Client): Promise<SignInResult> {
    const user = await this.users.get(actor.principal.organizationId, actor.principal.id);
    if (!user.mfaEnabled || !user.mfaSecret) throw this.mfa.invalidCode();
    if (!(await this.acceptTotp(user, code))) {
      const remaining = this.mfa.consumeRecoveryCode(user, code);
      if (!remaining) throw await this.wrongCode(actor);
      await this.users.saveMfa(user.id, { mfaRecoveryCodes: remaining });
      await this.audit.record(actor, {
        action: 'user.mfa_recovery_code_used',
        entityType: 'user',
        entityId: user.id,
        changes: { remaining: remaining.length },
      });
    }
    return this.upgradeSession(actor, user, client);
  }

  /** Starts TOTP enrolment: a new secret, shown as an otpauth URI and a QR code. */
  async setupMfa(actor: Actor): Promise<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }> {
    const user = await this.users.get(actor.principal.organizationId, actor.principal.id);
    if (user.mfaEnabled) {
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'mfa_already_enabled',
        'MFA is already on. Turn it off first to enrol a new device.',
      );
    }
    const secret = this.mfa.newSecret();
    await this.users.saveMfa(user.id, { mfaSecret: secret });
    return { secret, ...(await this.mfa.enrolment(secret, user.email)) };
  }

  /** Confirms enrolment with a first code; returns the recovery codes (shown once) and, for a pending session, full tokens. */
  async enableMfa(
    actor: Actor,
    code: string,
    client: Client,
  ): Promise<{ recoveryCodes: string[]; session?: SignInResult }> {
    const user = await this.users.get(actor.principal.organizationId, actor.principal.id);
    if (user.mfaEnabled) throw new ProblemException(HttpStatus.CONFLICT, 'mfa_already_enabled', 'MFA is already on.');
    if (!(await this.acceptTotp(user, code))) throw await this.wrongCode(actor);
    const { codes, hashes } = this.mfa.newRecoveryCodes();
    await this.users.saveMfa(user.id, { mfaEnabled: true, mfaRecoveryCodes: hashes });
    await this.audit.record(actor, { action: 'user.mfa_enabled', entityType: 'user', entityId: user.id });
    const session = actor.principal.mfaPending ? await this.upgradeSession(actor, user, client) : undefined;
    return { recoveryCodes: codes, session };
  }

  async disableMfa(actor: Actor, password: string, code: string): Promise<void> {
    const user = await this.users.get(actor.principal.organizationId, actor.principal.id);
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'password: is not your current password',
        {
          errors: [{ field: 'password', reason: 'is not your current password' }],
        },
      );
    }
    if (!user.mfaEnabled || !(await this.acceptTotp(user, code))) throw await this.wrongCode(actor);
    const org = await this.organizations.get(user.organizationId);
    if (org.mfaRequired && (user.role === Role.Owner || user.role === Role.Admin)) {
      throw new ProblemException(
        HttpStatus.FORBIDDEN,
        'mfa_required',
        'Your organization requires MFA for owners and admins.',
      );
    }
    await this.users.saveMfa(user.id, { mfaEnabled: false, mfaSecret: null, mfaRecoveryCodes: [] });
    await this.audit.record(actor, { action: 'user.mfa_disabled', entityType: 'user', entityId: user.id });
  }

  async refresh(refreshToken: string, client: Client): Promise<SignInResult> {
    const readAt = this.authState.version;
    let current: User | undefined;
    const tokens = await this.tokens.rotate(
      refreshToken,
      async (userId, tokenCreatedAt) => {
        const user = await this.users.findById(userId);
        const cutOff = user?.sessionsValidAfter && tokenCreatedAt < user.sessionsValidAfter;
        if (!user || user.status !== UserStatus.Active || cutOff)
          throw new UnauthorizedException('The session has ended. Sign in again.');
        current = user;
        return { sub: user.id, org: user.organizationId, role: user.role };
      },
      client,
    );
    this.authState.rememberSignIn(current as User, tokens.sessionId, readAt);
    return { tokens, mfa: 'none', user: current as User };
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revokeByToken(refreshToken);
  }

  /** A valid authenticator code whose time step was not used before (recorded atomically). */
  private async acceptTotp(user: User, code: string): Promise<boolean> {
    const step = user.mfaSecret ? this.mfa.codeStep(user.mfaSecret, user.email, code) : null;
    return step !== null && (await this.users.acceptMfaStep(user.id, step));
  }

  /**
   * Counts wrong codes: after MFA_MAX_FAILURES the pending session ends and
   * the user waits, so six digits cannot be guessed by brute force.
   */
  private async wrongCode(actor: Actor): Promise<ProblemException> {
    const failures = await this.cache.increment(`mfa-failures:${actor.principal.id}`, ACCOUNT_LOCK_MINUTES * 60);
    if (failures < MFA_MAX_FAILURES) return this.mfa.invalidCode();
    if (actor.principal.mfaPending && actor.principal.sessionId)
      await this.tokens.revokeFamily(actor.principal.sessionId);
    return this.locked();
  }

  private async mfaStep(user: User): Promise<MfaStep> {
    if (user.mfaEnabled) return 'verify';
    if (user.role !== Role.Owner && user.role !== Role.Admin) return 'none';
    const org = await this.organizations.get(user.organizationId);
    return org.mfaRequired ? 'setup' : 'none';
  }

  private async upgradeSession(actor: Actor, user: User, client: Client): Promise<SignInResult> {
    if (actor.principal.sessionId) await this.tokens.revokeFamily(actor.principal.sessionId);
    const tokens = await this.tokens.issue({ sub: user.id, org: user.organizationId, role: user.role }, client);
    return { tokens, mfa: 'none', user };
  }

  private locked(): ProblemException {
    return new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      'account_locked',
      `Too many failed sign-ins for this account. Try again in ${ACCOUNT_LOCK_MINUTES} minutes, or ask an admin to reset the password.`,
      { retryAfterSeconds: ACCOUNT_LOCK_MINUTES * 60 },
    );
  }
}
