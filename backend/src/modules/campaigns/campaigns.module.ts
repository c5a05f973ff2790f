import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ConsentModule } from '../consent/consent.module';
import { LeadsModule } from '../leads/leads.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AudienceService } from './audience.service';
import { AudiencesController } from './audiences.controller';
import { Campaign } from './campaign.entity';
import { CampaignLedgerService } from './campaign-ledger.service';
import { CampaignPreviewsService } from './campaign-previews.service';
import { CampaignRecipient } from './campaign-recipient.entity';
import { CampaignRecipientsService } from './campaign-recipients.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { CampaignJobs } from './engine/campaign-jobs';
import { CampaignMaterializer } from './engine/campaign-materializer.service';
import { CampaignReconciler } from './engine/campaign-reconciler.service';
import { CampaignSender } from './engine/campaign-sender.service';
import { CampaignThrottle } from './engine/campaign-throttle';
import { CampaignsProcessor } from './campaigns.processor';
import { Segment } from './segment.entity';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';
import { CampaignTemplatesModule } from './templates/campaign-templates.module';

const ENTITIES = TypeOrmModule.forFeature([Campaign, Segment, CampaignRecipient]);

/**
 * What both processes need of campaigns: the ledger (tracking, bounces and
 * the WhatsApp status webhook write to it), audiences, templates.
 */
@Module({
  imports: [ENTITIES, AuditModule, ConsentModule, LeadsModule, OrganizationsModule, CampaignTemplatesModule],
  providers: [AudienceService, CampaignLedgerService, CampaignJobs],
  exports: [
    AudienceService,
    CampaignLedgerService,
    CampaignJobs,
    CampaignTemplatesModule,
    ConsentModule,
    LeadsModule,
    OrganizationsModule,
    ENTITIES,
  ],
})
export class CampaignsCoreModule {}

/** Campaigns, segments, audiences, previews, the ledger's API (API process). */
@Module({
  imports: [CampaignsCoreModule, AuditModule],
  controllers: [CampaignsController, SegmentsController, AudiencesController],
  providers: [CampaignsService, SegmentsService, CampaignRecipientsService, CampaignPreviewsService],
  exports: [CampaignsCoreModule],
})
export class CampaignsModule {}

/**
 * Where campaigns are sent (the worker, or the embedded API): the queue's
 * processor, the engine, and the reconciler timer.
 */
@Module({
  imports: [CampaignsCoreModule],
  providers: [CampaignsProcessor, CampaignMaterializer, CampaignSender, CampaignThrottle, CampaignReconciler],
})
export class CampaignsJobsModule {}
