import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ProblemException } from '../common/errors/problem';
import { AppConfig } from '../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** When METRICS_TOKEN is set, /metrics wants `Authorization: Bearer <token>`. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.metricsToken;
    if (!expected) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    // Compare digests: constant time, whatever the lengths.
    if (given && timingSafeEqual(digest(given), digest(expected))) return true;
    throw new ProblemException(
      HttpStatus.UNAUTHORIZED,
      'unauthorized',
      'Send Authorization: Bearer <METRICS_TOKEN> to read metrics.',
    );
  }
}
