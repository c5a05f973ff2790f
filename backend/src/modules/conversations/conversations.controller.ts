import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageQueryDto } from '../../common/pagination';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { CurrentActor, type Actor } from '../auth/actor';
import { CurrentPrincipal, RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import { ConversationLiveService, ConversationLiveEvent } from './conversation-live.service';
import { ConversationMessage } from './conversation-message.entity';
import { Conversation } from './conversation.entity';
import { ConversationsService, windowOf } from './conversations.service';
import {
  ConversationDto,
  ConversationListQueryDto,
  ConversationMessageDto,
  ConversationMessagePageDto,
  ConversationPageDto,
  ReplyDto,
  UpdateConversationDto,
} from './dto/conversations.dto';

const HEARTBEAT_MS = 25_000;

export function toConversationDto(c: Conversation): ConversationDto {
  const window = windowOf(c);
  return {
    id: c.id,
    channel: c.channel,
    status: c.status,
    leadId: c.leadId,
    contactAddress: c.contactAddress,
    contactName: c.contactName,
    assigneeId: c.assigneeId,
    unreadCount: c.unreadCount,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastInboundAt: c.lastInboundAt?.toISOString() ?? null,
    lastMessagePreview: c.lastMessagePreview,
    window: { open: window.open, closesAt: window.closesAt?.toISOString() ?? null },
    createdAt: c.createdAt.toISOString(),
  };
}

export function toMessageDto(m: ConversationMessage): ConversationMessageDto {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    kind: m.kind,
    body: m.body,
    templateName: m.templateName,
    status: m.status,
    error: m.error,
    authorLabel: m.authorLabel,
    createdAt: m.createdAt.toISOString(),
  };
}

@ApiTags('Conversations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly live: ConversationLiveService,
  ) {}

  @Get()
  @RequirePermissions(Permission.ConversationsRead)
  @ApiOperation({
    operationId: 'listConversations',
    summary: 'The inbox: conversations, last message first',
    description:
      'WhatsApp and website widget conversations of the organization. Filter by status (open/closed), unread, assignee (`me`, `unassigned`, a user id), channel or lead. Keyset pages.',
  })
  @ApiOkResponse({ type: ConversationPageDto })
  async listConversations(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ConversationListQueryDto,
  ): Promise<ConversationPageDto> {
    const page = await this.conversations.list(principal, query);
    return { items: page.items.map(toConversationDto), nextCursor: page.nextCursor };
  }

  @Get('stream')
  @RequirePermissions(Permission.ConversationsRead)
  @ApiOperation({
    operationId: 'streamConversationEvents',
    summary: 'Live inbox events (server-sent events)',
    description:
      'Stays open. Events: `ready` once subscribed, then `conversation.updated`, `message.created`, `message.updated` with `{ conversationId, messageId? }`: fetch the conversation or message to show it. A comment line every 25 s keeps proxies from closing the stream. Events cross API processes through Redis.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  async streamConversationEvents(@CurrentPrincipal() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const write = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const subscription = this.live.subscribe(
      principal.organizationId,
      (e: ConversationLiveEvent) => {
        if (e.type !== 'widget.updated') write(e.type, e);
      },
      () => raw.end(),
    );
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    raw.on('close', () => {
      clearInterval(heartbeat);
      subscription.stop();
    });
    await subscription.ready;
    if (!raw.destroyed) write('ready', {});
  }

  @Get(':id')
  @RequirePermissions(Permission.ConversationsRead)
  @ApiOperation({
    operationId: 'getConversation',
    summary: 'One conversation',
    description: 'With its 24-hour window.',
  })
  @ApiOkResponse({ type: ConversationDto })
  @ApiProblemResponses(404)
  async getConversation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ConversationDto> {
    return toConversationDto(await this.conversations.get(principal.organizationId, id));
  }

  @Patch(':id')
  @RequirePermissions(Permission.ConversationsWrite)
  @ApiOperation({
    operationId: 'updateConversation',
    summary: 'Assign, close or reopen',
    description:
      'assigneeId: a user of the organization, or null to unassign. status: closed / open (a closed WhatsApp conversation reopens by itself when the contact writes). Audited; the lead timeline shows close and reopen.',
  })
  @ApiOkResponse({ type: ConversationDto })
  @ApiProblemResponses(404)
  async updateConversation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationDto> {
    return toConversationDto(await this.conversations.update(actor, id, body));
  }

  @Post(':id/read')
  @HttpCode(200)
  @RequirePermissions(Permission.ConversationsWrite)
  @ApiOperation({
    operationId: 'markConversationRead',
    summary: 'Mark as read',
    description: 'Sets the unread count to 0 (the console does it when the thread is opened).',
  })
  @ApiOkResponse({ type: ConversationDto })
  @ApiProblemResponses(404)
  async markConversationRead(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ConversationDto> {
    return toConversationDto(await this.conversations.markRead(actor, id));
  }

  @Get(':id/messages')
  @RequirePermissions(Permission.ConversationsRead)
  @ApiOperation({
    operationId: 'listConversationMessages',
    summary: 'Messages of a conversation, newest first',
    description: 'Inbound messages and replies with their status ticks (sent, delivered, read, failed). Keyset pages.',
  })
  @ApiOkResponse({ type: ConversationMessagePageDto })
  @ApiProblemResponses(404)
  async listConversationMessages(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<ConversationMessagePageDto> {
    const page = await this.conversations.listMessages(principal.organizationId, id, query.limit, query.cursor);
    return { items: page.items.map(toMessageDto), nextCursor: page.nextCursor };
  }

  @Get(':id/messages/:messageId')
  @RequirePermissions(Permission.ConversationsRead)
  @ApiOperation({ operationId: 'getConversationMessage', summary: 'One message', description: 'After a live event.' })
  @ApiOkResponse({ type: ConversationMessageDto })
  @ApiProblemResponses(404)
  async getConversationMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('messageId', ParseUUIDPipe) messageId: string,
  ): Promise<ConversationMessageDto> {
    return toMessageDto(await this.conversations.getMessage(principal.organizationId, id, messageId));
  }

  @Post(':id/messages')
  @RequirePermissions(Permission.ConversationsWrite)
  @ApiOperation({
    operationId: 'replyToConversation',
    summary: 'Reply: text, or a WhatsApp template',
    description:
      "WhatsApp allows free-form text only within 24 hours of the contact's last message; outside it a text reply answers 422 `whatsapp_window_closed` (with windowClosedAt) and only `kind: template` goes out. The answer holds the message with its status: sent, or failed with the provider's reason. Widget conversations take text; the visitor's widget shows it.",
  })
  @ApiCreatedResponse({ type: ConversationMessageDto })
  @ApiProblemResponses(404, 422)
  async replyToConversation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReplyDto,
  ): Promise<ConversationMessageDto> {
    const message = await this.conversations.reply(
      actor,
      id,
      body.kind === 'text'
        ? { kind: 'text', text: body.text ?? '' }
        : {
            kind: 'template',
            templateName: body.templateName ?? '',
            language: body.language ?? 'en_US',
            bodyParameters: body.bodyParameters ?? [],
          },
    );
    return toMessageDto(message);
  }
}
