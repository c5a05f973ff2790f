import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CampaignsCoreModule } from '../campaigns/campaigns.module';
import { ConsentModule } from '../consent/consent.module';
import { LeadsModule } from '../leads/leads.module';
import { CampaignEventsService } from './campaign-events.service';
import { EmailEventsController, TrackingController } from './tracking.controller';
import { TrackingTokensModule } from './tracking-tokens.module';

/** Public tracking routes (open, click, unsubscribe) and the email-events intake. */
@Module({
  imports: [TrackingTokensModule, ConsentModule, LeadsModule, AuditModule, CampaignsCoreModule],
  controllers: [TrackingController, EmailEventsController],
  providers: [CampaignEventsService],
})
export class TrackingModule {}
