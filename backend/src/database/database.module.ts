import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database.service';

@Global()
@Module({ providers: [EmbeddedDatabase], exports: [EmbeddedDatabase] })
class EmbeddedDatabaseModule {}

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, options: { runMigrations: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        EmbeddedDatabaseModule,
        TypeOrmModule.forRootAsync({
          inject: [EmbeddedDatabase],
          useFactory: async (embedded: EmbeddedDatabase) => ({
            ...dataSourceOptions(await embedded.url(), config.databaseUrl ? config.dbPoolSize : 1),
            migrationsRun: options.runMigrations,
            retryAttempts: config.databaseUrl ? 10 : 0,
            retryDelay: 2_000,
          }),
        }),
      ],
    };
  }
}
