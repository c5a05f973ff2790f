import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem-mapping';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** Writes a problem+json response for any error, logging server faults with their stack. */
export function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error' | 'warn'>,
): void {
  const body = toProblem(error);
  body.instance = request.url.split('?')[0];
  body.requestId = String(request.id);
  if (body.status >= 500) {
    logger.error({ err: error, requestId: request.id, url: request.url }, 'Request failed');
  }
  if (reply.sent) return;
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
