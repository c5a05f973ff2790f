import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig, ConfigValidationError } from './config/app-config';
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
  app.enableShutdownHooks();
  installShutdownTimeout(config.shutdownTimeoutMs);
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
