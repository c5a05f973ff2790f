import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, ConfigValidationError } from './config/app-config';
import { installShutdownTimeout } from './shutdown';

async function bootstrap(): Promise<void> {
  const config = AppConfig.load();
  const app = await createApp(config);
  // Close cleanly on SIGTERM/SIGINT, then exit 0 (lets pino flush).
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  installShutdownTimeout(config.shutdownTimeoutMs);
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  new Logger('Bootstrap').log(`Meridian API (${config.profile} profile) listening on ${url}`);
}

bootstrap().catch((err: unknown) => {
  if (err instanceof ConfigValidationError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `Meridian API failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
