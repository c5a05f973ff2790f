import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';
import { ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `errors` lists each field and the reason.',
  401: 'Missing or invalid credentials.',
  403: 'The caller may not do this.',
  404: 'Not found.',
  409: 'Conflicts with existing data.',
  413: 'Request body too large.',
  415: 'Unsupported Content-Type.',
  429: 'Too many requests: retry after the Retry-After header.',
  500: 'Unexpected server error: quote the requestId.',
  503: 'A dependency is unavailable.',
};

/** Documents problem+json error responses for a route (400 and 500 always). */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([400, 500, ...statuses])].sort();
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...all.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
