import { OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, WaitingError } from 'bullmq';
import { JobLike, JobProcessor } from '../../queue/job';
import { QueueName } from '../../queue/queue-names';
import { QueueProcessor } from '../../queue/queue-processor';
import { CampaignJobs, MATERIALIZE_JOB, MaterializeJob, SEND_JOB, SendJob } from './engine/campaign-jobs';
import { CampaignMaterializer } from './engine/campaign-materializer.service';
import { CampaignSender } from './engine/campaign-sender.service';

/** A send job's slice is over: it goes back to the queue (not a failure, so not counted as one). */
class Requeue {
  constructor(
    readonly campaignId: string,
    readonly slot: number,
    readonly delayMs: number,
  ) {}
}

/**
 * The campaigns queue. A killed worker's job is handed on quickly (short
 * lock, frequent stall checks) and may stall many times: every job resumes
 * from the database. A send job re-queues itself at the end of its time
 * slice (BullMQ: back to the end of the wait list under the same id).
 */
@JobProcessor(QueueName.Campaigns, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1_000 })
export class CampaignsProcessor extends QueueProcessor implements OnApplicationShutdown {
  private readonly stopping = new AbortController();

  constructor(
    private readonly materializer: CampaignMaterializer,
    private readonly sender: CampaignSender,
    private readonly jobs: CampaignJobs,
  ) {
    super();
  }

  onApplicationShutdown(): void {
    this.stopping.abort();
  }

  override async process(job: JobLike): Promise<unknown> {
    const result = await super.process(job);
    if (result instanceof Requeue) return this.requeue(job, result);
    return result;
  }

  protected async handle(job: JobLike): Promise<unknown> {
    switch (job.name) {
      case MATERIALIZE_JOB: {
        const { campaignId } = job.data as MaterializeJob;
        const result = await this.materializer.run(campaignId, this.stopping.signal);
        if (!result.done) throw new Error('interrupted by shutdown; resumes from its cursor');
        return result;
      }
      case SEND_JOB: {
        const { campaignId, slot } = job.data as SendJob;
        const result = await this.sender.runSlot(campaignId, this.stopping.signal);
        if (result.kind === 'again') return new Requeue(campaignId, slot, result.delayMs);
        return { done: true };
      }
      default:
        throw new Error(`Unknown job "${job.name}" on the campaigns queue`);
    }
  }

  /** Same job id, back in the queue: behind other campaigns' jobs, or after a delay (retries due later). */
  private async requeue(job: JobLike, { campaignId, slot, delayMs }: Requeue): Promise<unknown> {
    const bull = job as unknown as Job;
    if (typeof bull.moveToDelayed === 'function' && bull.token) {
      if (delayMs > 0) {
        await bull.moveToDelayed(Date.now() + delayMs, bull.token);
        throw new DelayedError();
      }
      await bull.moveToWait(bull.token);
      throw new WaitingError();
    }
    // Inline runner: add it again once this run has finished (the id is free then).
    const timer = setTimeout(() => void this.jobs.sendSlot(campaignId, slot, delayMs).catch(() => undefined), 0);
    timer.unref();
    return { requeued: true };
  }
}
