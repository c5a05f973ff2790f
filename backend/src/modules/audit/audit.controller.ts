import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('Audit')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermissions(Permission.AuditRead)
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'Changes made in your organization, newest first',
    description:
      'Who changed what, when, from which address and in which request: one entry per change, with the changed fields before and after.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list(actor.principal.organizationId, query);
    return {
      items: page.items.map((e) => ({
        id: e.id,
        createdAt: e.createdAt.toISOString(),
        actorType: e.actorType,
        actorId: e.actorId,
        actorLabel: e.actorLabel,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        changes: e.changes,
        ip: e.ip,
        requestId: e.requestId,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
