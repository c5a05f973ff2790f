import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is sane, otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Paths that would flood the log (probes, scrapes, static files) log at debug level only. */
const QUIET = /^\/(health|metrics)(\/|$)|\.(js|css|ico|png|svg|woff2?|map)$/;

export function loggerParams(config: AppConfig): Params {
  const verbose = config.logLevel === 'debug' || config.logLevel === 'trace';
  return {
    pinoHttp: {
      level: config.logLevel,
      // Reuse the id Fastify already assigned (see app.factory genReqId).
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req),
      customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
      // Probes and scrapes arrive every few seconds: log them only when debugging.
      autoLogging: { ignore: (req) => !verbose && QUIET.test(req.url ?? '') },
      customLogLevel: (req, res, err) => {
        if (err || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        return QUIET.test(req.url ?? '') ? 'debug' : 'info';
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
