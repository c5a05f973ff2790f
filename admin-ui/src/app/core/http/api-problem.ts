import { HttpErrorResponse } from '@angular/common/http';

/**
 * What the console shows about a failed API call. The API answers errors as RFC 9457
 * `application/problem+json` ({ type, title, status, detail, code, requestId, errors? });
 * when the API cannot be reached at all there is no body, only status 0 or a gateway error.
 */
export interface ApiProblem {
  /** Short, human title. */
  title: string;
  /** One sentence on what happened. */
  detail: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** Stable machine code from the problem body, when there is one. */
  code: string | null;
  /** The API's request id, to quote when reporting the problem. */
  requestId: string | null;
  /** True when the API itself could not be reached (network, proxy, timeout). */
  unreachable: boolean;
  /** Per-field validation errors, to show next to the form fields. */
  errors: FieldProblem[];
  /** How long to wait before trying again (sign-in lockouts and rate limits), when the API says. */
  retryAfterSeconds: number | null;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

const GATEWAY_STATUSES = new Set([502, 503, 504]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldErrors(body: Record<string, unknown>): FieldProblem[] {
  const errors = body['errors'];
  if (!Array.isArray(errors)) {
    return [];
  }
  return errors.flatMap((entry: unknown) =>
    isRecord(entry) && typeof entry['field'] === 'string' && typeof entry['reason'] === 'string'
      ? [{ field: entry['field'], reason: entry['reason'] }]
      : [],
  );
}

function retryAfter(body: Record<string, unknown> | null, error: HttpErrorResponse): number | null {
  const fromBody = body?.['retryAfterSeconds'];
  if (typeof fromBody === 'number' && Number.isFinite(fromBody)) {
    return fromBody;
  }
  const fromHeader = Number(error.headers?.get('retry-after'));
  return error.headers?.has('retry-after') && Number.isFinite(fromHeader) ? fromHeader : null;
}

/** Calls that answer 204 are made with responseType 'text': their error body arrives as a JSON string. */
function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') {
    return body;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function stringField(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function toApiProblem(error: unknown): ApiProblem {
  if (!(error instanceof HttpErrorResponse)) {
    const message = error instanceof Error ? error.message : 'Unexpected error';
    return {
      title: 'Something went wrong',
      detail: message,
      status: 0,
      code: null,
      requestId: null,
      unreachable: false,
      errors: [],
      retryAfterSeconds: null,
    };
  }

  const body = parseBody(error.error);
  const headerRequestId = error.headers?.get('x-request-id') ?? null;

  if (isRecord(body) && typeof body['title'] === 'string') {
    return {
      title: body['title'],
      detail: stringField(body, 'detail') ?? error.statusText ?? '',
      status: typeof body['status'] === 'number' ? body['status'] : error.status,
      code: stringField(body, 'code'),
      requestId: stringField(body, 'requestId') ?? headerRequestId,
      unreachable: false,
      errors: fieldErrors(body),
      retryAfterSeconds: retryAfter(body, error),
    };
  }

  if (error.status === 0 || GATEWAY_STATUSES.has(error.status)) {
    return {
      title: 'Cannot reach the Meridian API',
      detail:
        error.status === 0
          ? 'The browser got no answer from the server (network error, timeout or the API is stopped).'
          : `A proxy answered ${error.status} ${error.statusText || ''}`.trim() +
            ': the API behind it is not answering.',
      status: error.status,
      code: null,
      requestId: headerRequestId,
      unreachable: true,
      errors: [],
      retryAfterSeconds: null,
    };
  }

  return {
    title: `The API answered ${error.status}`,
    detail: error.statusText || 'Unexpected response from the API.',
    status: error.status,
    code: null,
    requestId: headerRequestId,
    unreachable: false,
    errors: [],
    retryAfterSeconds: retryAfter(null, error),
  };
}
