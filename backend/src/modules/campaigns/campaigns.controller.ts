import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
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
import { Campaign } from './campaign.entity';
import { toCampaignDto, toRecipientDto } from './campaign.mapper';
import { CampaignPreviewsService } from './campaign-previews.service';
import { CampaignRecipientsService } from './campaign-recipients.service';
import { CampaignsService } from './campaigns.service';
import {
  CampaignDto,
  CampaignListQueryDto,
  CampaignPageDto,
  CreateCampaignDto,
  ScheduleCampaignDto,
  UpdateCampaignDto,
} from './dto/campaign.dto';
import { TestSendDto, TestSendResultDto } from './dto/preview.dto';
import { RecipientListQueryDto, RecipientPageDto } from './dto/recipient.dto';

const STATE_409 =
  'Answers 409 `campaign_state` (with the current status) when the campaign is not in a status that allows it.';

@ApiTags('Campaigns')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly recipients: CampaignRecipientsService,
    private readonly previews: CampaignPreviewsService,
  ) {}

  private async dto(c: Campaign): Promise<CampaignDto> {
    const names = await this.campaigns.segmentNames(c.organizationId, [c]);
    return toCampaignDto(c, c.audience.segmentId ? (names.get(c.audience.segmentId) ?? null) : null);
  }

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'listCampaigns',
    summary: 'Campaigns, newest first',
    description: 'Keyset-paginated; filter by status, channel, or part of the name.',
  })
  @ApiOkResponse({ type: CampaignPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: CampaignListQueryDto): Promise<CampaignPageDto> {
    const page = await this.campaigns.list(actor.principal.organizationId, query);
    const names = await this.campaigns.segmentNames(actor.principal.organizationId, page.items);
    return {
      items: page.items.map((c) =>
        toCampaignDto(c, c.audience.segmentId ? (names.get(c.audience.segmentId) ?? null) : null),
      ),
      nextCursor: page.nextCursor,
    };
  }

  @Post()
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    operationId: 'createCampaign',
    summary: 'Create a draft campaign',
    description:
      'Content and audience may be completed later; they are checked in full when the campaign is scheduled.',
  })
  @ApiCreatedResponse({ type: CampaignDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateCampaignDto): Promise<CampaignDto> {
    return this.dto(await this.campaigns.create(actor, body));
  }

  @Get(':id')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'getCampaign',
    summary: 'One campaign with its live counters',
    description: 'Counters move as the ledger does.',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.get(actor.principal.organizationId, id));
  }

  @Patch(':id')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({ operationId: 'updateCampaign', summary: 'Change a draft', description: `Only drafts. ${STATE_409}` })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateCampaignDto,
  ): Promise<CampaignDto> {
    return this.dto(await this.campaigns.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({ operationId: 'deleteCampaign', summary: 'Delete a draft', description: `Only drafts. ${STATE_409}` })
  @ApiNoContentResponse()
  @ApiProblemResponses(404, 409)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.campaigns.remove(actor, id);
  }

  @Post(':id/duplicate')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    operationId: 'duplicateCampaign',
    summary: 'Copy a campaign as a new draft',
    description: 'Any status; the copy is a draft named "Copy of …" with the same audience and content.',
  })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiProblemResponses(404)
  async duplicate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.duplicate(actor, id));
  }

  @Post(':id/schedule')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'scheduleCampaign',
    summary: 'Schedule a draft, or send it now',
    description:
      'Checks the audience (at least one eligible lead), the template (valid, known variables only), the send time ' +
      '(in the future), the time zone (IANA) and the channel (configured); each problem is a field error. Without ' +
      `sendAt the campaign starts sending at once. ${STATE_409}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async schedule(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ScheduleCampaignDto,
  ): Promise<CampaignDto> {
    return this.dto(await this.campaigns.schedule(actor, id, body));
  }

  @Post(':id/unschedule')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'unscheduleCampaign',
    summary: 'Back to draft',
    description: `scheduled → draft. ${STATE_409}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async unschedule(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.unschedule(actor, id));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'pauseCampaign',
    summary: 'Pause sending',
    description: `sending → paused; workers stop within their current small group of messages. ${STATE_409}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async pause(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.pause(actor, id));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'resumeCampaign',
    summary: 'Resume sending',
    description: `paused → sending. ${STATE_409}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async resume(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.resume(actor, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'cancelCampaign',
    summary: 'Cancel for good',
    description: `scheduled, sending or paused → cancelled; recipients still queued become cancelled. ${STATE_409}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.cancel(actor, id));
  }

  @Post(':id/retry-failed')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'retryFailedCampaign',
    summary: 'Send again to the failed recipients only',
    description: `completed → sending; failed recipients go back to the queue, every other recipient is left alone. ${STATE_409}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblemResponses(404, 409)
  async retryFailed(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return this.dto(await this.campaigns.retryFailed(actor, id));
  }

  @Post(':id/test-send')
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'testSendCampaign',
    summary: 'Send one test message',
    description:
      'Renders the campaign with a lead (or sample data) and sends it to one address or phone number, "[Test]" in the ' +
      'subject, outside the ledger. At most 10 per minute per user (429 beyond).',
  })
  @ApiOkResponse({ type: TestSendResultDto })
  @ApiProblemResponses(404, 429, 502)
  async testSend(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: TestSendDto,
  ): Promise<TestSendResultDto> {
    const campaign = await this.campaigns.get(actor.principal.organizationId, id);
    return this.previews.testSend(actor, campaign, body.to, body.leadId);
  }

  @Get(':id/recipients')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'listCampaignRecipients',
    summary: 'The ledger of a campaign',
    description:
      'One row per recipient with its delivery status; keyset-paginated, filter by status or address prefix.',
  })
  @ApiOkResponse({ type: RecipientPageDto })
  @ApiProblemResponses(404)
  async recipientsOf(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: RecipientListQueryDto,
  ): Promise<RecipientPageDto> {
    const campaign = await this.campaigns.get(actor.principal.organizationId, id);
    const page = await this.recipients.list(campaign.organizationId, campaign.id, query);
    return { items: page.items.map(toRecipientDto), nextCursor: page.nextCursor };
  }
}
