import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { resolveJwtSecret } from '../auth/jwt-secret';
import { TrackingTokens, TrackingUrls } from './tracking-tokens';

/** The public base URL of tracking links: PUBLIC_URL, or this process on localhost. */
export function trackingBaseUrl(config: AppConfig): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

/** Token signing and link building only (no routes): what the renderer in the worker needs. */
@Module({
  providers: [
    {
      provide: TrackingTokens,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new TrackingTokens(resolveJwtSecret(config)),
    },
    {
      provide: TrackingUrls,
      inject: [TrackingTokens, AppConfig],
      useFactory: (tokens: TrackingTokens, config: AppConfig) => new TrackingUrls(tokens, trackingBaseUrl(config)),
    },
  ],
  exports: [TrackingTokens, TrackingUrls],
})
export class TrackingTokensModule {}
