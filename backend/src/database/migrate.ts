/**
 * Runs pending migrations and exits: the one-shot job before a rollout
 * (`node dist/backend/database/migrate.js`). Uses DATABASE_URL, or the
 * embedded database under DATA_DIR when it is not set.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigValidationError } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';

async function main(): Promise<void> {
  const config = AppConfig.load();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl ?? (embedded as { url: string }).url, 1));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(
      applied.length === 0
        ? 'Database schema is up to date.\n'
        : `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}\n`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    err instanceof ConfigValidationError
      ? `${err.message}\n`
      : `Migration failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
