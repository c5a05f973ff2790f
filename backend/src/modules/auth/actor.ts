import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/** The principal of a request plus where it came from: what services need to act and to audit. */
export interface Actor {
  principal: Principal;
  ip: string | null;
  requestId: string | null;
}

export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (!request.principal) throw new UnauthorizedException();
  return { principal: request.principal, ip: request.ip ?? null, requestId: String(request.id) };
});
