import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { JobQueues } from '../../../queue/job-queues';
import { QueueName } from '../../../queue/queue-names';

export const MATERIALIZE_JOB = 'campaign.materialize';
export const SEND_JOB = 'campaign.send';

export interface MaterializeJob {
  campaignId: string;
}
export interface SendJob {
  campaignId: string;
  slot: number;
}

/**
 * Deterministic ids: adding the same job twice while it is known is a no-op.
 * Dashes, not colons: BullMQ refuses custom ids with a colon (but for its own
 * legacy three-part form).
 */
export const materializeJobId = (campaignId: string) => `materialize-${campaignId}`;
export const sendJobId = (campaignId: string, slot: number) => `send-${campaignId}-${slot}`;

/**
 * Puts a campaign's jobs on the queue. Jobs carry ids only (the database is
 * the truth); `replaceFinished` lets a job that already ran run again, which
 * is what the reconciler needs after Redis lost its state.
 */
@Injectable()
export class CampaignJobs {
  private readonly logger = new Logger(CampaignJobs.name);

  constructor(
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
  ) {}

  get slots(): number {
    return this.config.campaigns.sendSlots;
  }

  async materialize(campaignId: string): Promise<void> {
    await this.queues.add<MaterializeJob>(
      QueueName.Campaigns,
      MATERIALIZE_JOB,
      { campaignId },
      { jobId: materializeJobId(campaignId), replaceFinished: true },
    );
  }

  async send(campaignId: string): Promise<void> {
    for (let slot = 0; slot < this.slots; slot++) await this.sendSlot(campaignId, slot);
  }

  async sendSlot(campaignId: string, slot: number, delayMs = 0): Promise<void> {
    await this.queues.add<SendJob>(
      QueueName.Campaigns,
      SEND_JOB,
      { campaignId, slot },
      { jobId: sendJobId(campaignId, slot), replaceFinished: true, ...(delayMs > 0 ? { delay: delayMs } : {}) },
    );
  }

  /** The API's kick-off: if the queue is away, the reconciler starts the work a few seconds later. */
  async kick(campaignId: string, materialized: boolean): Promise<void> {
    try {
      if (materialized) await this.send(campaignId);
      else await this.materialize(campaignId);
    } catch (err) {
      this.logger.warn(`Could not queue campaign ${campaignId} (the reconciler will): ${(err as Error).message}`);
    }
  }
}
