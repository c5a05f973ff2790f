import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { ProblemException, ValidationProblem } from './problem';
import { toProblem } from './problem-mapping';
import { flattenValidationErrors } from './validation';

describe('toProblem', () => {
  it('keeps a ProblemException code, detail and extensions', () => {
    const p = toProblem(
      new ProblemException(409, 'duplicate_email', 'A lead with this email exists', { existingId: 'l1' }),
    );
    expect(p).toMatchObject({
      status: 409,
      code: 'duplicate_email',
      detail: 'A lead with this email exists',
      existingId: 'l1',
    });
    expect(p.type).toBe('https://meridian.dev/problems/duplicate_email');
  });

  it('maps Nest HTTP exceptions to stable codes by status', () => {
    expect(toProblem(new NotFoundException('No lead 42'))).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'No lead 42',
    });
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad']))).toMatchObject({
      code: 'bad_request',
      detail: 'a is bad; b is bad',
    });
    expect(toProblem(new HttpException('Unsupported Media Type', 415)).detail).toMatch(/application\/json/);
  });

  it('hides the message of unexpected errors', () => {
    const p = toProblem(new Error('connection to 10.0.0.5 refused, password=hunter2'));
    expect(p).toMatchObject({ status: 500, code: 'internal_error' });
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('describes validation problems per field', () => {
    const one = new ValidationProblem([
      { field: 'email', reason: 'must be an email' },
      { field: 'email', reason: 'must be shorter' },
    ]);
    expect(one.detail).toBe('email: must be an email; must be shorter');
    const two = new ValidationProblem([
      { field: 'email', reason: 'x' },
      { field: 'phone', reason: 'y' },
    ]);
    expect(two.detail).toBe('2 fields are invalid: email, phone');
  });
});

describe('flattenValidationErrors', () => {
  it('names nested and array fields with their path', () => {
    const child = Object.assign(new ValidationError(), {
      property: 'city',
      constraints: { isString: 'city must be a string' },
    });
    const item = Object.assign(new ValidationError(), { property: '0', children: [child] });
    const list = Object.assign(new ValidationError(), { property: 'addresses', children: [item] });
    const unknown = Object.assign(new ValidationError(), {
      property: 'role',
      constraints: { whitelistValidation: 'property role should not exist' },
    });
    expect(flattenValidationErrors([list, unknown])).toEqual([
      { field: 'addresses[0].city', constraint: 'isString', reason: 'must be a string' },
      { field: 'role', constraint: 'whitelistValidation', reason: 'is not an accepted field' },
    ]);
  });
});
