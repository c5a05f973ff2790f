import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { LocalCache } from '../../cache/local-cache';
import { AppConfig } from '../../config/app-config';
import { authTags } from './auth-tags';
import type { Role } from './permissions';
import { RefreshToken } from './refresh-token.entity';

export const JWT_ISSUER = 'meridian';
export const JWT_AUDIENCE = 'meridian-api';

export interface AccessClaims {
  sub: string;
  org: string;
  role: Role;
  /** Sign-in session (refresh family): logging out ends it at once. */
  sid: string;
  /** The user still owes an MFA step (verify, or enrol where the organization requires it). */
  mfa?: 'pending';
  /** Issued at (seconds), set by the JWT library. */
  iat?: number;
  /** Expires at (seconds), set by the JWT library. */
  exp?: number;
}

/** Access tokens checked recently (at most this many): see TokensService.verifyAccess. */
const VERIFIED_TOKENS_MAX = 10_000;

export interface IssuedTokens {
  /** The sign-in session (refresh family) the tokens belong to. */
  sessionId: string;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

@Injectable()
export class TokensService {
  /** Access tokens whose signature and claims were checked, by token: each token is verified once, not per request. */
  private readonly verified = new Map<string, Readonly<AccessClaims>>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    private readonly cache: LocalCache,
  ) {}

  /** Starts a sign-in session: a new refresh family and its first tokens. */
  issue(
    claims: Omit<AccessClaims, 'sid'>,
    client: { ip: string | null; userAgent: string | null },
  ): Promise<IssuedTokens> {
    return this.mint({ ...claims, sid: randomUUID() }, client);
  }

  /**
   * The claims of a valid access token. A token's signature, issuer and
   * audience never change, so a token verified once is remembered until it
   * expires (checked on every call, as jsonwebtoken does): the HMAC and JSON
   * work is done once per token instead of once per request. Whether the
   * session still stands is not decided here (AuthGuard and AuthStateService).
   */
  verifyAccess(token: string): Readonly<AccessClaims> {
    const now = Math.floor(Date.now() / 1000);
    const known = this.verified.get(token);
    if (known) {
      if (now < (known.exp ?? 0)) return known;
      this.verified.delete(token);
    }
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
    } catch {
      throw new UnauthorizedException('The access token is invalid or expired. Refresh it or sign in again.');
    }
    if (claims.exp !== undefined) {
      if (this.verified.size >= VERIFIED_TOKENS_MAX) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, Object.freeze(claims));
    }
    return claims;
  }

  /**
   * Exchanges a refresh token for new tokens. A token used twice means it was
   * copied: the whole family is revoked and both holders must sign in again.
   */
  async rotate(
    presented: string,
    currentClaims: (userId: string, tokenCreatedAt: Date) => Promise<Omit<AccessClaims, 'sid'>>,
    client: { ip: string | null; userAgent: string | null },
  ): Promise<IssuedTokens> {
    const row = await this.refreshTokens.findOne({ where: { tokenHash: sha256(presented) } });
    if (!row || row.revokedAt || row.expiresAt <= new Date()) throw this.invalid();
    if (row.usedAt) {
      await this.revokeFamily(row.familyId);
      throw this.invalid();
    }
    // Claim the token atomically: of two concurrent refreshes, one wins and the other is a reuse.
    const claimed = await this.refreshTokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: new Date() });
    if (!claimed.affected) {
      await this.revokeFamily(row.familyId);
      throw this.invalid();
    }
    const claims = await currentClaims(row.userId, row.createdAt);
    return this.mint({ ...claims, sid: row.familyId }, client);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.refreshTokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.cache.invalidate(authTags.session(familyId));
  }

  async revokeByToken(presented: string): Promise<void> {
    const row = await this.refreshTokens.findOne({ where: { tokenHash: sha256(presented) } });
    if (row) await this.revokeFamily(row.familyId);
  }

  /** Ends every session of a user except `keepFamilyId` (the one changing its password). */
  async revokeOtherSessions(userId: string, keepFamilyId: string | undefined): Promise<void> {
    const qb = this.refreshTokens
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keepFamilyId) qb.andWhere('family_id <> :keepFamilyId', { keepFamilyId });
    await qb.execute();
    await this.cache.invalidate(authTags.user(userId));
  }

  /** A session is live while its family has an unrevoked token. */
  private async mint(
    claims: AccessClaims,
    client: { ip: string | null; userAgent: string | null },
  ): Promise<IssuedTokens> {
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 24 * 3600 * 1000);
    await this.refreshTokens.insert({
      userId: claims.sub,
      organizationId: claims.org,
      familyId: claims.sid,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshExpiresAt,
      createdIp: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return { sessionId: claims.sid, accessToken, expiresIn, refreshToken, refreshExpiresAt };
  }

  private invalid(): UnauthorizedException {
    return new UnauthorizedException('The session has ended. Sign in again.');
  }
}
