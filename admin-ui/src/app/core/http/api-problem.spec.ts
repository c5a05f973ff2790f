import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';

import { toApiProblem } from './api-problem';

describe('toApiProblem', () => {
  it('reads a problem+json body with per-field errors', () => {
    const problem = toApiProblem(
      new HttpErrorResponse({
        status: 409,
        error: {
          type: 'https://meridian.dev/problems/email_taken',
          title: 'Conflict',
          status: 409,
          detail: 'A user with the email a@b.c already exists.',
          code: 'email_taken',
          requestId: 'req-1',
          errors: [{ field: 'email', reason: 'is already used by another user' }, { nonsense: true }],
        },
      }),
    );

    expect(problem).toMatchObject({
      title: 'Conflict',
      detail: 'A user with the email a@b.c already exists.',
      status: 409,
      code: 'email_taken',
      requestId: 'req-1',
      errors: [{ field: 'email', reason: 'is already used by another user' }],
      retryAfterSeconds: null,
      unreachable: false,
    });
  });

  it('reads the wait of a lockout from the body or the Retry-After header', () => {
    const fromBody = toApiProblem(
      new HttpErrorResponse({
        status: 429,
        error: { title: 'Too Many Requests', detail: 'Locked', code: 'account_locked', retryAfterSeconds: 900 },
      }),
    );
    expect(fromBody.retryAfterSeconds).toBe(900);

    const fromHeader = toApiProblem(
      new HttpErrorResponse({
        status: 429,
        statusText: 'Too Many Requests',
        headers: new HttpHeaders({ 'retry-after': '60' }),
      }),
    );
    expect(fromHeader.retryAfterSeconds).toBe(60);
  });

  it('parses the error body of calls made as text (the ones that answer 204)', () => {
    const problem = toApiProblem(
      new HttpErrorResponse({
        status: 400,
        error: JSON.stringify({
          title: 'Bad Request',
          detail: 'currentPassword: is not your current password',
          code: 'validation_failed',
          errors: [{ field: 'currentPassword', reason: 'is not your current password' }],
        }),
      }),
    );

    expect(problem.detail).toBe('currentPassword: is not your current password');
    expect(problem.errors).toEqual([{ field: 'currentPassword', reason: 'is not your current password' }]);
  });
});
