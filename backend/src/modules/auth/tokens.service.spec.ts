import { JwtService } from '@nestjs/jwt';
import { UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JWT_AUDIENCE, JWT_ISSUER, TokensService } from './tokens.service';

const secret = 'unit-test-jwt-secret-0123456789abcdef0123';
const jwt = new JwtService({ secret });
// verifyAccess needs only the JwtService; the other collaborators serve refresh tokens.
const tokens = new TokensService(jwt, {} as AppConfig, undefined as never, undefined as never);
const claims = { sub: 'u1', org: 'o1', role: 'owner', sid: 's1' };
const sign = (options: { expiresIn?: number; secret?: string; issuer?: string } = {}) =>
  jwt.sign(claims, {
    expiresIn: options.expiresIn ?? 900,
    issuer: options.issuer ?? JWT_ISSUER,
    audience: JWT_AUDIENCE,
    secret: options.secret ?? secret,
  });

describe('TokensService.verifyAccess', () => {
  afterEach(() => jest.useRealTimers());

  it('returns the claims of a valid token, the same on every call', () => {
    const token = sign();
    const first = tokens.verifyAccess(token);
    expect(first).toMatchObject(claims);
    expect(tokens.verifyAccess(token)).toBe(first);
  });

  it('refuses a token signed with another secret, from another issuer or tampered with', () => {
    const good = sign();
    tokens.verifyAccess(good);
    const [h, p, s] = good.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    for (const bad of [
      sign({ secret: 'another-secret-0123456789abcdef0123456' }),
      sign({ issuer: 'x' }),
      tampered,
      `${h}.${p}.x`,
    ])
      expect(() => tokens.verifyAccess(bad)).toThrow(UnauthorizedException);
  });

  it('refuses a remembered token once it has expired', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const token = sign({ expiresIn: 60 });
    expect(tokens.verifyAccess(token).sub).toBe('u1');
    jest.setSystemTime(new Date('2026-01-01T00:00:59Z'));
    expect(tokens.verifyAccess(token).sub).toBe('u1');
    jest.setSystemTime(new Date('2026-01-01T00:01:00Z'));
    expect(() => tokens.verifyAccess(token)).toThrow(UnauthorizedException);
  });
});
