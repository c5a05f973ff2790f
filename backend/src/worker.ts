import 'reflect-metadata';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import { Logger } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig, ConfigValidationError } from './config/app-config';
import { collectProcessMetrics } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-server';
import { installShutdownTimeout } from './shutdown';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = AppConfig.load();
  if (!config.redisUrl) {
    throw new ConfigValidationError([
      'REDIS_URL is required by the worker process (without it, `npm start` runs jobs inside the API)',
    ]);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.flushLogs();
  // Exit 0 after a clean shutdown (and let pino flush), rather than re-raising the signal.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  installShutdownTimeout(config.shutdownTimeoutMs);

  for (const wrapper of app.get(DiscoveryService).getProviders()) {
    const instance: unknown = wrapper.instance;
    if (instance instanceof WorkerHost) (instance.worker as Worker).concurrency = config.workerConcurrency;
  }
  if (config.workerMetricsPort > 0) {
    collectProcessMetrics();
    const server = await startMetricsServer(config.workerMetricsPort, config.host);
    server.unref();
  }
  new Logger('Worker').log(`Meridian worker started (concurrency ${config.workerConcurrency})`);
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(
    err instanceof ConfigValidationError
      ? `${err.message}\n`
      : `Meridian worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
