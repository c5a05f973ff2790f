import { Global, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import { ChannelEventsService } from './channel-events.service';
import { CHANNELS_CLEANUP_JOB, ChannelsProcessor } from './channels.processor';
import { CloudApiWhatsAppSender } from './drivers/cloud-api-whatsapp.sender';
import { OutboxEmailSender } from './drivers/outbox-email.sender';
import { OutboxWhatsAppSender } from './drivers/outbox-whatsapp.sender';
import { SmtpEmailSender } from './drivers/smtp-email.sender';
import { EmailSender } from './email-sender';
import { OutboxMessage } from './outbox-message.entity';
import { ChannelsStatusController, OutboxController } from './outbox.controller';
import { OutboxService } from './outbox.service';
import { WhatsAppSender } from './whatsapp-sender';
import { WhatsAppWebhookEvent } from './whatsapp-webhook-event.entity';
import { WhatsAppWebhookLog } from './whatsapp-webhook-log.service';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';

export * from './channel.types';
export * from './channel-events.service';
export { EmailSender } from './email-sender';
export { WhatsAppSender } from './whatsapp-sender';
export { OutboxService } from './outbox.service';

const ENTITIES = TypeOrmModule.forFeature([OutboxMessage, WhatsAppWebhookEvent]);

export function createEmailSender(config: AppConfig, outbox: OutboxService): EmailSender {
  return config.email.smtpUrl
    ? new SmtpEmailSender({ url: config.email.smtpUrl, poolSize: config.email.poolSize })
    : new OutboxEmailSender(outbox);
}

export function createWhatsAppSender(config: AppConfig, outbox: OutboxService): WhatsAppSender {
  const { accessToken, phoneNumberId, apiUrl, apiVersion } = config.whatsapp;
  return accessToken && phoneNumberId
    ? new CloudApiWhatsAppSender({ apiUrl, apiVersion, phoneNumberId, accessToken })
    : new OutboxWhatsAppSender(outbox, phoneNumberId ?? 'whatsapp');
}

/**
 * The channels' senders and events, for every process (the API, the worker):
 * global, imported once in coreImports. Inject EmailSender, WhatsAppSender,
 * ChannelEventsService, OutboxService anywhere.
 */
@Global()
@Module({
  imports: [ENTITIES],
  providers: [
    OutboxService,
    WhatsAppWebhookLog,
    ChannelEventsService,
    { provide: EmailSender, useFactory: createEmailSender, inject: [AppConfig, OutboxService] },
    { provide: WhatsAppSender, useFactory: createWhatsAppSender, inject: [AppConfig, OutboxService] },
  ],
  exports: [EmailSender, WhatsAppSender, ChannelEventsService, OutboxService, WhatsAppWebhookLog],
})
export class ChannelsModule {}

/** The channels queue's processor and its hourly cleanup schedule: where jobs run (worker, or the embedded API). */
@Module({
  providers: [ChannelsProcessor],
})
export class ChannelsJobsModule implements OnApplicationBootstrap {
  constructor(private readonly queues: JobQueues) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.schedule(QueueName.Channels, 'channels-cleanup', 3600_000, CHANNELS_CLEANUP_JOB, {});
  }
}

/** The channels' HTTP routes (API process only): outbox, channel status, the WhatsApp webhook. */
@Module({
  controllers: [OutboxController, ChannelsStatusController, WhatsAppWebhookController],
})
export class ChannelsApiModule {}
