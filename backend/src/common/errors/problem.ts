import { HttpException, HttpStatus } from '@nestjs/common';

/** One field that failed validation: where, and why, in words a person can act on. */
export interface FieldError {
  field: string;
  reason: string;
  constraint?: string;
}

/** RFC 9457 problem details, as sent on the wire. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://meridian.dev/problems/';

/**
 * An error that knows how it should look to the client. Throw it from
 * anywhere; the global filter renders it as problem+json.
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly title?: string,
  ) {
    super(detail, status);
  }
}

export class ValidationProblem extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super(HttpStatus.BAD_REQUEST, 'validation_failed', describeFieldErrors(errors), { errors }, 'Validation failed');
  }
}

function describeFieldErrors(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((e) => e.field))];
  if (fields.length === 1) {
    return `${fields[0]}: ${errors.map((e) => e.reason).join('; ')}`;
  }
  return `${fields.length} fields are invalid: ${fields.join(', ')}`;
}
