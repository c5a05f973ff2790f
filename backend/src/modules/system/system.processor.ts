import { AppConfig } from '../../config/app-config';
import { JobLike, JobProcessor } from '../../queue/job';
import { QueueName } from '../../queue/queue-names';
import { QueueProcessor } from '../../queue/queue-processor';
import { HeartbeatService } from './heartbeat.service';

export const HEARTBEAT_JOB = 'heartbeat';

@JobProcessor(QueueName.System)
export class SystemProcessor extends QueueProcessor {
  constructor(
    private readonly heartbeats: HeartbeatService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(job: JobLike): Promise<unknown> {
    switch (job.name) {
      case HEARTBEAT_JOB: {
        // The slot comes from the job's creation time, so a retried job writes the same row.
        const slot = Math.floor(job.timestamp / this.config.heartbeatIntervalMs);
        await this.heartbeats.record(slot, this.config.redisUrl ? 'bullmq' : 'inline');
        return { slot };
      }
      default:
        throw new Error(`Unknown job "${job.name}" on the system queue`);
    }
  }
}
