import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { LeadsModule } from '../leads/leads.module';
import { CampaignEventsService } from './campaign-events.service';
import { CampaignLedgerService } from './campaign-ledger.stub';
import { EmailEventsController, TrackingController } from './tracking.controller';
import { TrackingTokensModule } from './tracking-tokens.module';

/** Public tracking routes (open, click, unsubscribe) and the email-events intake. */
@Module({
  imports: [TrackingTokensModule, ConsentModule, LeadsModule, AuditModule],
  controllers: [TrackingController, EmailEventsController],
  // The ledger stub goes when the campaigns module's CampaignLedgerService is merged.
  providers: [CampaignEventsService, CampaignLedgerService],
})
export class TrackingModule {}
