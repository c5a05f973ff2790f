import { JobLike, JobProcessor } from '../../queue/job';
import { QueueName } from '../../queue/queue-names';
import { QueueProcessor } from '../../queue/queue-processor';
import {
  LeadScoringService,
  RESCORE_ALL_LEADS_JOB,
  RESCORE_LEAD_JOB,
  RescoreAllLeadsJob,
  RescoreLeadJob,
} from './lead-scoring.service';

/** Jobs of the leads queue; the same class runs in the BullMQ worker and inline in the embedded profile. */
@JobProcessor(QueueName.Leads)
export class LeadsProcessor extends QueueProcessor {
  constructor(private readonly scoring: LeadScoringService) {
    super();
  }

  protected async handle(job: JobLike): Promise<unknown> {
    switch (job.name) {
      case RESCORE_LEAD_JOB: {
        const { organizationId, leadId } = job.data as RescoreLeadJob;
        return { changed: await this.scoring.rescore(organizationId, [leadId]) };
      }
      case RESCORE_ALL_LEADS_JOB: {
        const { organizationId } = job.data as RescoreAllLeadsJob;
        return this.scoring.rescoreAll(organizationId, (done) => job.updateProgress({ leads: done }));
      }
      default:
        throw new Error(`Unknown job "${job.name}" on the leads queue`);
    }
  }
}
