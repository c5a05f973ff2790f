import { DynamicModule, Global, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Params } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is sane, otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Paths that would flood the log (probes, scrapes, static files) log at debug level only. */
const QUIET = /^\/(health|metrics)(\/|$)|\.(js|css|ico|png|svg|woff2?|map)$/;

/** The one pino logger of a process: Nest's logs and the request log write through it. */
export function createRootLogger(config: AppConfig): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  });
}

export function loggerParams(root: Logger): Params {
  // Nest's Logger writes through `root` (or the request's child, see useRequestLogging);
  // no pino-http middleware: the request log is one Fastify hook.
  return { pinoHttp: { logger: root }, forRoutes: [] };
}

/**
 * One line per request (`request completed`, with requestId, method, url,
 * remote address, status and response time), written by an onResponse hook
 * from the root logger: no child logger per request unless code logs during
 * that request, and nothing built when the level is off. Logs written while
 * a request is handled carry its requestId.
 */
export function useRequestLogging(fastify: FastifyInstance, root: Logger, level: LevelWithSilent): void {
  const verbose = level === 'debug' || level === 'trace';
  fastify.addHook('onRequest', (request, _reply, done) => {
    storage.run(requestStore(root, String(request.id)), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const quiet = QUIET.test(request.url);
    // Probes and scrapes arrive every few seconds: logged only when debugging.
    if (quiet && !verbose) return done();
    const status = reply.statusCode;
    const lineLevel = status >= 500 ? 'error' : status >= 400 ? 'warn' : quiet ? 'debug' : 'info';
    if (root.isLevelEnabled(lineLevel)) {
      root[lineLevel](
        {
          requestId: request.id,
          req: { method: request.method, url: request.url, remoteAddress: request.socket.remoteAddress },
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}

/** nestjs-pino's per-request store, whose child logger is made only if something logs. */
function requestStore(root: Logger, requestId: string): Store {
  let child: Logger | undefined;
  const store = Object.create(Store.prototype) as Store;
  Object.defineProperty(store, 'logger', {
    get: () => (child ??= root.child({ requestId })),
    set: (logger: Logger) => (child = logger),
  });
  return store;
}

/** The root logger, for code that runs outside Nest's Logger (the request log hook). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Global()
@Module({})
export class RootLoggerModule {
  static forRoot(root: Logger): DynamicModule {
    return { module: RootLoggerModule, providers: [{ provide: ROOT_LOGGER, useValue: root }], exports: [ROOT_LOGGER] };
  }
}
