import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { ConnectivityDto, ConnectivityEchoDto, ConnectivityQueryDto } from './dto/connectivity.dto';
import { SystemHealthDto } from './dto/system-health.dto';
import { SystemInfoDto } from './dto/system-info.dto';
import { SystemService } from './system.service';

@ApiTags('System')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('health')
  @RequirePermissions(Permission.SystemRead)
  @ApiOperation({
    operationId: 'getSystemHealth',
    summary: 'Every service with its status and measured latency, system resources, and the overall status',
    description:
      "Each service (database, cache, queues, assistant, docs) with its status and a latency measured now, the machine's resources, and an overall status (ok, degraded or down).",
  })
  @ApiOkResponse({ type: SystemHealthDto })
  health(): Promise<SystemHealthDto> {
    return this.system.health();
  }

  @Get('connectivity')
  @ApiOperation({
    operationId: 'getConnectivity',
    summary: 'Round-trip test from the client to the API',
    description:
      "Answers at once with the server's timestamps, so a client can measure the round trip and see its request id.",
  })
  @ApiOkResponse({ type: ConnectivityDto })
  connectivity(@Query() query: ConnectivityQueryDto, @Req() req: FastifyRequest): ConnectivityDto {
    return connectivity(req, query.clientSentAt);
  }

  @Post('connectivity')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postConnectivity',
    summary: 'Round-trip test with a JSON body, for proxies that treat writes differently from reads',
    description:
      'The same as getConnectivity with a JSON body echoed back, to check proxies that handle writes differently from reads.',
  })
  @ApiOkResponse({ type: ConnectivityDto })
  @ApiProblemResponses(413, 415)
  connectivityEcho(@Body() body: ConnectivityEchoDto, @Req() req: FastifyRequest): ConnectivityDto {
    return connectivity(req, body.clientSentAt);
  }

  @Get('info')
  @RequirePermissions(Permission.SystemRead)
  @ApiOperation({
    operationId: 'getSystemInfo',
    summary: 'Version, commit, uptime, profile, enabled features and capabilities',
    description:
      'What is running: version, commit, uptime, profile (embedded or production), enabled features and capabilities.',
  })
  @ApiOkResponse({ type: SystemInfoDto })
  info(): SystemInfoDto {
    return this.system.info();
  }
}

function connectivity(req: FastifyRequest, clientSentAt: number | undefined): ConnectivityDto {
  const receivedAt = (req as FastifyRequest & { receivedAt?: number }).receivedAt ?? performance.now();
  return {
    ok: true,
    serverTime: new Date().toISOString(),
    requestId: String(req.id),
    clientSentAt: clientSentAt ?? null,
    serverProcessingMs: Math.round((performance.now() - receivedAt) * 100) / 100,
    clientIp: req.ip ?? null,
    protocol: `HTTP/${req.raw.httpVersion}`,
  };
}
