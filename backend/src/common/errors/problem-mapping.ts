import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { ProblemDocument, ProblemException, PROBLEM_TYPE_BASE } from './problem';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** Better words for errors that arrive with only their status text. */
const DEFAULT_DETAIL: Record<number, string> = {
  413: 'The request body is larger than this server accepts.',
  415: 'This Content-Type is not accepted here: send application/json.',
  404: 'Nothing exists at this address.',
};

interface ErrorWithStatus extends Error {
  code?: string;
  statusCode?: number;
}

function problem(status: number, code: string, detail: string, title?: string): ProblemDocument {
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: title ?? STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}

/**
 * Turns any thrown value into a problem document. Unknown errors become a
 * bare 500 with no message or stack: details stay in the log.
 */
export function toProblem(error: unknown): ProblemDocument {
  if (error instanceof ProblemException) {
    return { ...problem(error.getStatus(), error.code, error.detail, error.title), ...error.extensions };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    let detail = error.message;
    if (typeof body === 'object' && body !== null && 'message' in body) {
      const message: unknown = body.message;
      detail = Array.isArray(message) ? message.join('; ') : String(message);
    }
    if (detail === STATUS_CODES[status] && DEFAULT_DETAIL[status]) detail = DEFAULT_DETAIL[status];
    return problem(status, CODE_BY_STATUS[status] ?? `http_${status}`, detail);
  }
  const err = error as ErrorWithStatus;
  if (err && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    // Other client errors raised by Fastify or a plugin: their message is meant for the client.
    return problem(err.statusCode, CODE_BY_STATUS[err.statusCode] ?? `http_${err.statusCode}`, err.message);
  }
  return problem(500, 'internal_error', 'An unexpected error occurred. Quote the request id when you report it.');
}
