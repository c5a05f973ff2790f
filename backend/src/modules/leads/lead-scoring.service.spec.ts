import type { Repository } from 'typeorm';
import type { AddJobOptions } from '../../queue/job';
import type { JobQueues } from '../../queue/job-queues';
import { QueueName } from '../../queue/queue-names';
import type { Lead } from './lead.entity';
import { LeadScoringService, RESCORE_LEAD_JOB, RESCORE_WINDOW_MS } from './lead-scoring.service';

function setup() {
  const added: { queue: QueueName; name: string; data: unknown; options?: AddJobOptions }[] = [];
  const queues = {
    add: (queue: QueueName, name: string, data: unknown, options?: AddJobOptions) => {
      added.push({ queue, name, data, options });
      return Promise.resolve({ id: options?.jobId ?? 'random' });
    },
  } as unknown as JobQueues;
  return { added, scoring: new LeadScoringService({} as Repository<Lead>, queues) };
}

describe('LeadScoringService.enqueueRescore', () => {
  afterEach(() => jest.useRealTimers());

  it('gives triggers within one window the same job id, run when the window closes', async () => {
    const { added, scoring } = setup();
    jest.useFakeTimers({ now: 10 * RESCORE_WINDOW_MS + 300 });
    await scoring.enqueueRescore('org', 'lead-1');
    jest.setSystemTime(11 * RESCORE_WINDOW_MS - 1);
    await scoring.enqueueRescore('org', 'lead-1');
    expect(added).toEqual([
      {
        queue: QueueName.Leads,
        name: RESCORE_LEAD_JOB,
        data: { organizationId: 'org', leadId: 'lead-1' },
        options: { jobId: `rescore-lead-1-${11 * RESCORE_WINDOW_MS}`, delay: RESCORE_WINDOW_MS - 300 },
      },
      expect.objectContaining({ options: { jobId: `rescore-lead-1-${11 * RESCORE_WINDOW_MS}`, delay: 1 } }),
    ]);
  });

  it('starts a new job for a trigger in the next window, and per lead', async () => {
    const { added, scoring } = setup();
    jest.useFakeTimers({ now: 11 * RESCORE_WINDOW_MS });
    await scoring.enqueueRescore('org', 'lead-1');
    await scoring.enqueueRescore('org', 'lead-2');
    expect(added.map((a) => a.options?.jobId)).toEqual([
      `rescore-lead-1-${12 * RESCORE_WINDOW_MS}`,
      `rescore-lead-2-${12 * RESCORE_WINDOW_MS}`,
    ]);
    // BullMQ refuses custom ids with a colon.
    for (const a of added) expect(a.options?.jobId).not.toContain(':');
  });
});
