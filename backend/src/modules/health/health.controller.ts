import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ProblemException } from '../../common/errors/problem';
import { Public } from '../auth/decorators';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { LivenessDto, ReadinessDto } from './dto/health.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(private readonly readiness: ReadinessService) {}

  @Get()
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process is up and serving (never checks dependencies)',
    description:
      'For liveness probes: answers 200 while the process serves requests. It never checks dependencies, so a database outage does not restart the API.',
  })
  @ApiOkResponse({ type: LivenessDto })
  liveness(): LivenessDto {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: database, Redis, queues and disk can serve traffic',
    description:
      'For readiness probes and load balancers: 200 when the database, Redis, the queues and the disk can serve traffic; otherwise 503 problem+json naming what is failing.',
  })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiProblemResponses(503)
  async ready(): Promise<ReadinessDto> {
    try {
      const result = await this.readiness.check();
      return { status: 'ok', checks: result.details };
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'not_ready',
        `Not ready: ${failing.map((k) => `${k} (${String((result.error?.[k] as { message?: string })?.message ?? 'down')})`).join(', ')}`,
        { failing, checks: result.details },
        'Service not ready',
      );
    }
  }
}
