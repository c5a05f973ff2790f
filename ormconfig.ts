/**
 * Data source for the TypeORM CLI (`npm run migration:run`, `migration:revert`).
 * Uses DATABASE_URL, or starts the embedded PGlite database under DATA_DIR
 * when it is not set (stop the app first: PGlite is single-process).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './backend/src/config/app-config';
import { dataSourceOptions } from './backend/src/database/data-source-options';
import { startEmbeddedPostgres } from './backend/src/database/embedded-postgres';

async function createDataSource(): Promise<DataSource> {
  const config = AppConfig.load();
  let url = config.databaseUrl;
  if (!url) {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    url = embedded.url;
    const dataSource = new DataSource(dataSourceOptions(url, 1));
    const destroy = dataSource.destroy.bind(dataSource);
    // Stop the embedded server with the data source, so the CLI can exit.
    dataSource.destroy = async () => {
      await destroy();
      await embedded.stop();
    };
    return dataSource;
  }
  return new DataSource(dataSourceOptions(url, 1));
}

export const dataSource = createDataSource();
