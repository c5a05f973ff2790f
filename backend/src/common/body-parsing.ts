import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ProblemException } from './errors/problem';

/**
 * Routes that take a raw file as the body (text/csv or
 * application/octet-stream), handed to the handler as the unread request
 * stream: the handler stores it chunk by chunk and enforces its own size
 * limit, so BODY_LIMIT_BYTES does not apply to them. Everywhere else these
 * types answer 415 like any other non-JSON body.
 */
export const RAW_UPLOAD_ROUTES: ReadonlySet<string> = new Set(['POST /api/lead-imports']);

/**
 * JSON routes whose handler must see the exact bytes (webhook signatures are
 * computed over the raw body): the body is handed over as an unparsed Buffer,
 * and the handler verifies, then parses it itself. Every other JSON route is
 * parsed as below.
 */
export const RAW_JSON_ROUTES: ReadonlySet<string> = new Set(['POST /api/webhooks/whatsapp']);

/**
 * Routes that take an HTML form (application/x-www-form-urlencoded): only
 * the unsubscribe link, which mail providers POST to with
 * `List-Unsubscribe=One-Click` (RFC 8058). Elsewhere that type answers 415.
 */
export const FORM_ROUTES: ReadonlySet<string> = new Set(['POST /u/:token']);

const unsupported = () =>
  new ProblemException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'unsupported_media_type',
    'This Content-Type is not accepted here: send application/json.',
  );

/**
 * JSON only (except the raw upload routes above): bodies of any other type answer 415, and malformed JSON answers
 * 400 `malformed_json` with the parser's reason. Fastify's own JSON parser
 * (prototype-poisoning safe) still does the parsing.
 */
export function useStrictBodyParsing(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'buffer' }, (request, raw, done) => {
    if (RAW_JSON_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
      done(null, raw);
      return;
    }
    const body = (raw as Buffer).toString('utf8');
    if (body === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, body, (err: Error | null, value: unknown) => {
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
  fastify.addContentTypeParser(['text/csv', 'application/octet-stream'], (request, payload, done) => {
    if (!RAW_UPLOAD_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
      done(unsupported(), undefined);
      return;
    }
    done(null, payload);
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!FORM_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
      done(unsupported(), undefined);
      return;
    }
    const form: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(body as string)) form[key] = value;
    done(null, form);
  });
}
