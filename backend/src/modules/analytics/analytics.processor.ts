import { JobLike, JobProcessor } from '../../queue/job';
import { QueueName } from '../../queue/queue-names';
import { QueueProcessor } from '../../queue/queue-processor';
import { AnalyticsRollupService } from './analytics-rollup.service';

export const FOLD_ROLLUPS_JOB = 'fold-rollups';
/** How often the rollups are folded: the figures are at most about this old (plus the fold's own time). */
export const FOLD_EVERY_MS = 15_000;

/** Folds new and changed rows into the rollups; the same class runs in the BullMQ worker and inline (embedded). */
@JobProcessor(QueueName.Analytics)
export class AnalyticsProcessor extends QueueProcessor {
  constructor(private readonly rollups: AnalyticsRollupService) {
    super();
  }

  protected async handle(job: JobLike): Promise<unknown> {
    switch (job.name) {
      case FOLD_ROLLUPS_JOB:
        return this.rollups.foldAll();
      default:
        throw new Error(`Unknown job "${job.name}" on the analytics queue`);
    }
  }
}
