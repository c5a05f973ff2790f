import { Module } from '@nestjs/common';
import { TrackingTokensModule } from '../../tracking/tracking-tokens.module';
import { CampaignTemplatesService } from './campaign-templates.service';

/** The template engine of campaigns (no routes, no database): imported by the API and the worker. */
@Module({
  imports: [TrackingTokensModule],
  providers: [CampaignTemplatesService],
  exports: [CampaignTemplatesService, TrackingTokensModule],
})
export class CampaignTemplatesModule {}
