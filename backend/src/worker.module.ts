import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { coreImports } from './app.module';
import { AppConfig } from './config/app-config';
import { JOB_MODULES } from './jobs';

/** The worker process: processors only, no HTTP routes. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [...coreImports(config, { runMigrations: false }), DiscoveryModule, ...JOB_MODULES],
    };
  }
}
