import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { QueryMetricsSubscriber } from '../observability/query-metrics.subscriber';

/** Entities and migrations are found by file name, from ts sources (CLI, tests) or compiled js. */
export const ENTITY_GLOB = path.join(__dirname, '..', 'modules', '**', '*.entity.{ts,js}');
export const MIGRATION_GLOB = path.join(__dirname, 'migrations', '*.{ts,js}');

/** The one definition of how Meridian talks to PostgreSQL, shared by the app, the CLI and tests. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ENTITY_GLOB],
    migrations: [MIGRATION_GLOB],
    subscribers: [QueryMetricsSubscriber],
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsTransactionMode: 'each',
    poolSize,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      // Keeps one runaway query from holding a connection forever.
      statement_timeout: 30_000,
      application_name: 'meridian',
    },
  };
}
