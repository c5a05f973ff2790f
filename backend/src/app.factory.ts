import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/errors/validation';
import { ProblemFilter } from './common/errors/problem.filter';
import { useStrictBodyParsing } from './common/body-parsing';
import { securityHeaders } from './common/security-headers';
import { AppConfig } from './config/app-config';
import { consoleDistPath } from './console/console-path';
import { setupSwagger } from './openapi';
import { requestIdFor, ROOT_LOGGER, useRequestLogging } from './observability/logging';
import { httpRequestDuration, httpRequestsTotal } from './observability/metrics';

export interface CreateAppOptions {
  /** Keep Nest's boot logs in memory (tests, the OpenAPI script). */
  bufferLogs?: boolean;
}

/** Builds the HTTP application with every cross-cutting concern, without listening. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdFor,
    trustProxy: config.env === 'production' ? true : 'loopback',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false, // see useStrictBodyParsing
  });
  app.useLogger(options.bufferLogs && config.logLevel === 'silent' ? false : app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  useRequestLogging(fastify, app.get(ROOT_LOGGER), config.logLevel);
  const security = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    (request as typeof request & { receivedAt: number }).receivedAt = performance.now();
    void reply.headers(security);
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    httpRequestsTotal.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  useStrictBodyParsing(fastify);

  await app.register(fastifyCookie);
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());

  setupSwagger(app);

  const consoleDir = config.serveConsole ? consoleDistPath() : undefined;
  if (consoleDir) {
    await app.register(fastifyStatic, {
      root: consoleDir,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      // Hashed bundles never change; index.html must be revalidated so a deploy reaches users at once.
      setHeaders: (res, filePath) => {
        void res.header(
          'cache-control',
          /-[A-Z0-9]{8,}\.(js|css)$/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  await app.init();
  return app;
}
