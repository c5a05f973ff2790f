import { JobLike, JobProcessor } from '../../queue/job';
import { QueueName } from '../../queue/queue-names';
import { QueueProcessor } from '../../queue/queue-processor';
import { OutboxService } from './outbox.service';
import { WhatsAppWebhookLog } from './whatsapp-webhook-log.service';

export const CHANNELS_CLEANUP_JOB = 'channels.cleanup';

/** Upkeep of the channels' tables: outbox retention and old webhook replay keys. Idempotent deletes. */
@JobProcessor(QueueName.Channels)
export class ChannelsProcessor extends QueueProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly webhookLog: WhatsAppWebhookLog,
  ) {
    super();
  }

  protected async handle(job: JobLike): Promise<unknown> {
    switch (job.name) {
      case CHANNELS_CLEANUP_JOB:
        return { outbox: await this.outbox.removeExpired(), webhookEvents: await this.webhookLog.removeExpired() };
      default:
        throw new Error(`Unknown job "${job.name}" on the channels queue`);
    }
  }
}
