import { HttpStatus, Injectable } from '@nestjs/common';
import { CacheService } from '../../cache/cache.service';
import { ProblemException } from '../../common/errors/problem';

const IP_WINDOW_SECONDS = 300;
const IP_MAX_ATTEMPTS = 30;
export const ACCOUNT_MAX_FAILURES = 5;
export const ACCOUNT_LOCK_MINUTES = 15;

/** Caps sign-in attempts per client IP (per account lockout lives on the user row). */
@Injectable()
export class LoginThrottleService {
  constructor(private readonly cache: CacheService) {}

  async checkIp(ip: string): Promise<void> {
    const count = await this.cache.increment(`login-ip:${ip}`, IP_WINDOW_SECONDS);
    if (count > IP_MAX_ATTEMPTS) {
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        'too_many_requests',
        'Too many sign-in attempts from this address. Try again in a few minutes.',
        { retryAfterSeconds: IP_WINDOW_SECONDS },
      );
    }
  }
}
