import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { CurrentPrincipal, RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import {
  ChannelsStatusDto,
  OutboxListQueryDto,
  OutboxMessageDetailDto,
  OutboxMessageDto,
  OutboxMessagePageDto,
} from './dto/channels.dto';
import { EmailSender } from './email-sender';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';
import { WhatsAppSender } from './whatsapp-sender';

export function toOutboxMessageDto(m: OutboxMessage): OutboxMessageDto {
  return {
    id: m.id,
    channel: m.channel,
    to: m.toAddress,
    from: m.fromAddress,
    subject: m.subject,
    text: m.text,
    campaignId: m.campaignId,
    test: m.test,
    createdAt: m.createdAt.toISOString(),
  };
}

/** What the outbox drivers kept instead of sending: for review while no real channel is configured. */
@ApiTags('Channels')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'listOutboxMessages',
    summary: 'Messages kept by the outbox drivers, newest first',
    description:
      'Emails and WhatsApp messages that the outbox drivers stored instead of sending (no SMTP_URL, no WhatsApp credentials). Kept 7 days. Keyset pages; filter by channel or campaign.',
  })
  @ApiOkResponse({ type: OutboxMessagePageDto })
  async listOutboxMessages(
    @CurrentPrincipal() principal: Principal,
    @Query() query: OutboxListQueryDto,
  ): Promise<OutboxMessagePageDto> {
    const page = await this.outbox.list(
      principal.organizationId,
      { channel: query.channel, campaignId: query.campaignId },
      query.limit,
      query.cursor,
    );
    return { items: page.items.map(toOutboxMessageDto), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'getOutboxMessage',
    summary: 'One outbox message with its HTML and headers',
    description:
      'The whole message as it would have been sent: HTML body and every header (Message-ID, List-Unsubscribe...).',
  })
  @ApiOkResponse({ type: OutboxMessageDetailDto })
  @ApiProblemResponses(404)
  async getOutboxMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OutboxMessageDetailDto> {
    const message = await this.outbox.get(principal.organizationId, id);
    return { ...toOutboxMessageDto(message), html: message.html, headers: message.headers };
  }
}

@ApiTags('Channels')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/channels')
export class ChannelsStatusController {
  constructor(
    private readonly email: EmailSender,
    private readonly whatsapp: WhatsAppSender,
    private readonly config: AppConfig,
  ) {}

  @Get('status')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    operationId: 'getChannelsStatus',
    summary: 'Which driver each channel uses',
    description:
      'smtp / cloud-api send for real; outbox keeps messages for review (GET /api/outbox). Never returns credentials.',
  })
  @ApiOkResponse({ type: ChannelsStatusDto })
  getChannelsStatus(): ChannelsStatusDto {
    return {
      email: { driver: this.email.driver, from: this.config.email.from },
      whatsapp: { driver: this.whatsapp.driver, phoneNumberId: this.config.whatsapp.phoneNumberId ?? null },
    };
  }
}
