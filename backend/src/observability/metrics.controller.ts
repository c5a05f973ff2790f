import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { withTimeout } from '../common/timeout';
import { Public } from '../modules/auth/decorators';
import { JOB_STATES } from '../queue/job';
import { JobQueues } from '../queue/job-queues';
import { ALL_QUEUES } from '../queue/queue-names';
import { queueJobs } from './metrics';
import { MetricsTokenGuard } from './metrics-token.guard';

/** GET /metrics: refreshes the queue gauges, then renders the registry. */
@ApiExcludeController()
@Public() // guarded by METRICS_TOKEN instead
@UseGuards(MetricsTokenGuard)
@Controller()
export class MetricsController extends PrometheusController {
  constructor(private readonly queues: JobQueues) {
    super();
  }

  @Get()
  override async index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    await this.refreshQueueGauges();
    return super.index(response);
  }

  private async refreshQueueGauges(): Promise<void> {
    await Promise.all(
      ALL_QUEUES.map(async (queue) => {
        try {
          const counts = await withTimeout(this.queues.counts(queue), 1_000, 'queue counts timed out');
          for (const [state, value] of Object.entries(counts)) queueJobs.set({ queue, state }, value);
        } catch {
          // Redis away: drop the series rather than report stale depths.
          for (const state of JOB_STATES) queueJobs.remove({ queue, state });
        }
      }),
    );
  }
}
