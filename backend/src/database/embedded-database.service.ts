import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/**
 * Owns the embedded PGlite server when no DATABASE_URL is set, and stops it
 * after the TypeORM data source that uses it.
 */
@Injectable()
export class EmbeddedDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger('EmbeddedDatabase');
  private server?: EmbeddedPostgres;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** URL to connect to: the configured one, or a freshly started embedded server. */
  async url(): Promise<string> {
    if (this.config.databaseUrl) return this.config.databaseUrl;
    if (!this.server) {
      const started = Date.now();
      this.server = await startEmbeddedPostgres(this.config.dataDir);
      this.logger.log(
        `Embedded PostgreSQL (PGlite) ready in ${Date.now() - started} ms, data in ${this.server.dataPath}`,
      );
    }
    return this.server.url;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource?.isInitialized) await dataSource.destroy();
    await this.server.stop();
    this.server = undefined;
  }
}
