import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { PageQueryDto } from '../../common/pagination';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission, READ_PERMISSIONS } from '../auth/permissions';
import { ApiKey } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-keys.dto';

function toDto(key: ApiKey): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    permissions: key.permissions,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

@ApiTags('API keys')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@RequirePermissions(Permission.ApiKeysManage)
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({
    operationId: 'listApiKeys',
    summary: 'API keys of your organization, newest first',
    description:
      'Each key with its name, prefix, permissions, expiry and when it was last used (to the minute). The secret itself is never shown again.',
  })
  @ApiOkResponse({ type: ApiKeyPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<ApiKeyPageDto> {
    const page = await this.keys.list(actor.principal.organizationId, query.limit, query.cursor);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  @Post()
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create an API key; the key is in the answer, once',
    description:
      'The answer holds the whole key (`mk_...`) this once; Meridian keeps only its hash. A key never gets more permissions than its creator has, and it stops working when its creator is deactivated.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const permissions = body.scope === 'read-only' ? [...READ_PERMISSIONS] : (body.permissions ?? []);
    const { key, secret } = await this.keys.create(actor, { name: body.name, permissions, expiresAt: body.expiresAt });
    return { key: toDto(key), secret };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key: it stops working at once',
    description:
      'The key is refused (401) from the next request on, on every replica. Revoking a revoked key changes nothing. Recorded in the audit log.',
  })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiProblemResponses(404)
  async revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyDto> {
    return toDto(await this.keys.revoke(actor, id));
  }
}
