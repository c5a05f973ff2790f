import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ProblemException } from './errors/problem';

/**
 * JSON only: bodies of any other type answer 415, and malformed JSON answers
 * 400 `malformed_json` with the parser's reason. Fastify's own JSON parser
 * (prototype-poisoning safe) still does the parsing.
 */
export function useStrictBodyParsing(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'string' }, (request, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, body as string, (err: Error | null, value: unknown) => {
      if (err) {
        done(
          new ProblemException(
            HttpStatus.BAD_REQUEST,
            'malformed_json',
            'The request body is not valid JSON.',
            {},
            'Malformed JSON',
          ),
          undefined,
        );
      } else {
        done(null, value);
      }
    });
  });
}
