import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { CreateSuppressionDto, SuppressionDto, SuppressionPageDto, SuppressionQueryDto } from './dto/suppression.dto';
import { Suppression } from './suppression.entity';
import { SuppressionsService } from './suppressions.service';

export const toSuppressionDto = (s: Suppression): SuppressionDto => ({
  id: s.id,
  channel: s.channel,
  address: s.address,
  reason: s.reason,
  campaignId: s.campaignId,
  leadId: s.leadId,
  detail: s.detail,
  createdAt: s.createdAt.toISOString(),
});

@ApiTags('Suppressions')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/suppressions')
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'listSuppressions',
    summary: 'Addresses that no campaign reaches',
    description:
      'Newest first, keyset-paginated. Unsubscribes, hard bounces, complaints and manual entries, per channel; `q` matches part of the address.',
  })
  @ApiOkResponse({ type: SuppressionPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: SuppressionQueryDto): Promise<SuppressionPageDto> {
    const page = await this.suppressions.list(actor.principal.organizationId, query);
    return { items: page.items.map(toSuppressionDto), nextCursor: page.nextCursor };
  }

  @Post()
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'addSuppression',
    summary: 'Suppress an address',
    description:
      'Stops every campaign of the channel to this address (normalized: email lower-cased, phone E.164). Adding an address that is already suppressed answers the existing entry.',
  })
  @ApiCreatedResponse({ type: SuppressionDto })
  async add(@CurrentActor() actor: Actor, @Body() body: CreateSuppressionDto): Promise<SuppressionDto> {
    return toSuppressionDto(await this.suppressions.add(actor, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'removeSuppression',
    summary: 'Remove a suppression',
    description:
      "The address may receive the channel again. The lead's own consent still applies: an unsubscribed lead stays unsubscribed until its consent is given again.",
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiProblemResponses(404)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.suppressions.unsuppress(actor, id);
  }
}
