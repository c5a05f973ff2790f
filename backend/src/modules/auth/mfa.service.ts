import { HttpStatus, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import * as QRCode from 'qrcode';
import { ProblemException } from '../../common/errors/problem';
import type { User } from '../users/user.entity';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Meridian';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const normalise = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

function totp(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** TOTP (RFC 6238) enrolment and checks, plus single-use recovery codes. */
@Injectable()
export class MfaService {
  newSecret(): string {
    return new Secret({ size: 20 }).base32;
  }

  async enrolment(secret: string, email: string): Promise<{ otpauthUri: string; qrCodeDataUrl: string }> {
    const otpauthUri = totp(secret, email).toString();
    return { otpauthUri, qrCodeDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 240 }) };
  }

  /**
   * The time step of a valid 6-digit code (current period, or one either
   * side for clock drift), or null. Callers must record the step so the
   * same code is not accepted twice.
   */
  codeStep(secret: string, email: string, code: string): number | null {
    const clean = normalise(code);
    if (!/^\d{6}$/.test(clean)) return null;
    const delta = totp(secret, email).validate({ token: clean, window: 1 });
    return delta === null ? null : Math.floor(Date.now() / 1000 / 30) + delta;
  }

  newRecoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const raw = randomBytes(5).toString('hex'); // 10 hex characters
      return `${raw.slice(0, 5)}-${raw.slice(5)}`;
    });
    return { codes, hashes: codes.map((c) => sha256(normalise(c))) };
  }

  /** Returns the remaining hashes when `code` is an unused recovery code of the user, else null. */
  consumeRecoveryCode(user: User, code: string): string[] | null {
    const hash = sha256(normalise(code));
    if (!user.mfaRecoveryCodes.includes(hash)) return null;
    return user.mfaRecoveryCodes.filter((h) => h !== hash);
  }

  invalidCode(): ProblemException {
    return new ProblemException(
      HttpStatus.BAD_REQUEST,
      'invalid_mfa_code',
      'code: is not a valid authenticator or recovery code',
      {
        errors: [{ field: 'code', reason: 'is not a valid authenticator or recovery code' }],
      },
    );
  }
}
