import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Options,
  Param,
  Post,
  Patch,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExcludeEndpoint,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationProblem } from '../../common/errors/problem';
import { encodeCursor } from '../../common/pagination';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { AppConfig } from '../../config/app-config';
import { CurrentActor, type Actor } from '../auth/actor';
import { CurrentPrincipal, Public, RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import { ConversationMessage } from './conversation-message.entity';
import {
  UpdateWidgetSettingsDto,
  WidgetCaptureDto,
  WidgetCaptureResultDto,
  WidgetConfigDto,
  WidgetMessagePageDto,
  WidgetMessagesQueryDto,
  WidgetPostDto,
  WidgetSettingsDto,
} from './dto/widget.dto';
import { widgetScript } from './widget-script';
import { WidgetSettings } from './widget-settings.entity';
import { isMessageCursor, WidgetStreamService } from './widget-stream.service';
import { toWidgetMessage, WidgetService } from './widget.service';

const cursorAfter = (items: ConversationMessage[], given?: string) => {
  const last = items[items.length - 1];
  return last ? encodeCursor([last.createdAt.toISOString(), last.id]) : (given ?? null);
};

/** Where the script and the public routes are reached: PUBLIC_URL, else the address the console was opened at. */
function baseUrlOf(config: AppConfig, request: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

function toSettingsDto(settings: WidgetSettings, base: string): WidgetSettingsDto {
  const scriptUrl = `${base}/widget/v1/${settings.publicKey}.js`;
  return {
    publicKey: settings.publicKey,
    enabled: settings.enabled,
    allowedOrigins: settings.allowedOrigins,
    greeting: settings.greeting,
    accentColor: settings.accentColor,
    scriptUrl,
    snippet: `<script src="${scriptUrl}" async></script>`,
  };
}

@ApiTags('Widget')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@Controller('api/widget')
export class WidgetSettingsController {
  constructor(
    private readonly widget: WidgetService,
    private readonly config: AppConfig,
  ) {}

  @Get('settings')
  @RequirePermissions(Permission.ConversationsRead)
  @ApiOperation({
    operationId: 'getWidgetSettings',
    summary: 'The website widget: public key, allowed sites, the snippet to paste',
    description: 'Made on first read, with no allowed site: the widget answers no page until one is added.',
  })
  @ApiOkResponse({ type: WidgetSettingsDto })
  async getWidgetSettings(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<WidgetSettingsDto> {
    return toSettingsDto(await this.widget.getSettings(principal.organizationId), baseUrlOf(this.config, request));
  }

  @Patch('settings')
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'updateWidgetSettings',
    summary: 'Change the allowed sites, greeting, colour, or switch the widget off',
    description: 'Allowed origins are exact (https://www.example.com and https://example.com are two). Audited.',
  })
  @ApiOkResponse({ type: WidgetSettingsDto })
  async updateWidgetSettings(
    @CurrentActor() actor: Actor,
    @Body() body: UpdateWidgetSettingsDto,
    @Req() request: FastifyRequest,
  ): Promise<WidgetSettingsDto> {
    return toSettingsDto(await this.widget.updateSettings(actor, body), baseUrlOf(this.config, request));
  }

  @Post('settings/rotate-key')
  @HttpCode(200)
  @RequirePermissions(Permission.OrganizationManage)
  @ApiOperation({
    operationId: 'rotateWidgetKey',
    summary: 'Replace the public key',
    description: 'Pages with the old snippet stop showing the widget at once: paste the new snippet. Audited.',
  })
  @ApiOkResponse({ type: WidgetSettingsDto })
  async rotateWidgetKey(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<WidgetSettingsDto> {
    return toSettingsDto(await this.widget.rotateKey(actor), baseUrlOf(this.config, request));
  }
}

const KEY_PARAM = { name: 'key', description: 'The public key (wk_...).', example: 'wk_Jm2kQ0c8wq3bT1x9pLk7sV4d' };
const VISITOR_HEADER = { name: 'X-Widget-Visitor', required: true, description: 'The visitorToken of the capture.' };

/**
 * What the widget script calls with the public key, from the pages of the
 * allowed origins only (checked on every call, CORS headers for those only),
 * rate-limited per address and per key. Nothing here reads tenant data but
 * the visitor's own conversation.
 */
@ApiTags('Widget')
@ApiProblemResponses(403, 404, 429)
@Controller('api/public/widget/:key')
export class WidgetPublicController {
  constructor(
    private readonly widget: WidgetService,
    private readonly streams: WidgetStreamService,
  ) {}

  /** Origin check, CORS headers, rate limit: before anything else of a public route. */
  private async admit(key: string, request: FastifyRequest, reply: FastifyReply): Promise<WidgetSettings> {
    const settings = await this.widget.byPublicKey(key);
    const origin = this.widget.checkOrigin(settings, request.headers.origin);
    void reply.header('access-control-allow-origin', origin);
    void reply.header('vary', 'Origin');
    void reply.header('access-control-expose-headers', 'retry-after, x-request-id');
    void reply.header('cache-control', 'no-store');
    try {
      await this.widget.rateLimit(settings, request.ip);
    } catch (err) {
      void reply.header('retry-after', '60');
      throw err;
    }
    return settings;
  }

  @Options(['config', 'conversations', 'messages', 'stream'])
  @Public()
  @HttpCode(204)
  @ApiExcludeEndpoint()
  async preflight(@Param('key') key: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const settings = await this.widget.byPublicKey(key);
    this.widget.checkOrigin(settings, request.headers.origin);
    void reply
      .header('access-control-allow-origin', request.headers.origin as string)
      .header('vary', 'Origin')
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'content-type, x-widget-visitor, last-event-id')
      .header('access-control-max-age', '600')
      .code(HttpStatus.NO_CONTENT)
      .send();
  }

  @Get('config')
  @Public()
  @ApiOperation({
    operationId: 'getWidgetConfig',
    summary: 'What the widget shows, and a fresh form token',
    description:
      'The greeting, the colour and a signed form token: the form must be sent at least minFillSeconds after it (WIDGET_MIN_FILL_SECONDS, default 3; bots fill forms at once) and within 2 hours.',
  })
  @ApiParam(KEY_PARAM)
  @ApiOkResponse({ type: WidgetConfigDto })
  async getWidgetConfig(
    @Param('key') key: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WidgetConfigDto> {
    const settings = await this.admit(key, request, reply);
    return {
      greeting: settings.greeting,
      accentColor: settings.accentColor,
      formToken: this.widget.formToken(settings),
      minFillSeconds: this.widget.minFillSeconds,
    };
  }

  @Post('conversations')
  @Public()
  @ApiOperation({
    operationId: 'startWidgetConversation',
    summary: "A visitor's details and first message: a lead, and a conversation in the inbox",
    description:
      'Needs the consent checkbox, an email or a phone, and a form token at least 3 s old; the honeypot field `website` must stay empty (else 422 submission_rejected). An existing lead with the same email or phone gets the conversation. The help assistant answers the message from its sources. Answers the visitor token that reads and continues this conversation.',
  })
  @ApiParam(KEY_PARAM)
  @ApiCreatedResponse({ type: WidgetCaptureResultDto })
  @ApiProblemResponses(422)
  async startWidgetConversation(
    @Param('key') key: string,
    @Body() body: WidgetCaptureDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WidgetCaptureResultDto> {
    const settings = await this.admit(key, request, reply);
    const result = await this.widget.capture(settings, body);
    return {
      visitorToken: result.visitorToken,
      messages: result.messages.map(toWidgetMessage),
      nextCursor: cursorAfter(result.messages),
    };
  }

  @Get('messages')
  @Public()
  @ApiOperation({
    operationId: 'listWidgetMessages',
    summary: "The visitor's conversation, oldest first",
    description:
      'What the widget polls (every 20 s) while its live stream (GET .../stream) is refused or down: pass the last nextCursor as `after` to get only new messages (replies from the team). The cursors are the ids of the stream events.',
  })
  @ApiParam(KEY_PARAM)
  @ApiHeader(VISITOR_HEADER)
  @ApiOkResponse({ type: WidgetMessagePageDto })
  async listWidgetMessages(
    @Param('key') key: string,
    @Query() query: WidgetMessagesQueryDto,
    @Headers('x-widget-visitor') visitor: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WidgetMessagePageDto> {
    const settings = await this.admit(key, request, reply);
    const conversation = await this.widget.conversationOf(settings, visitor);
    const page = await this.widget.messages(settings, conversation, 100, query.after);
    return { items: page.items.map(toWidgetMessage), nextCursor: cursorAfter(page.items, query.after) };
  }

  @Get('stream')
  @Public()
  @ApiOperation({
    operationId: 'streamWidgetEvents',
    summary: "The visitor's conversation, live (server-sent events)",
    description: [
      'Stays open. Same checks as the other widget routes (allowed Origin, key enabled, rate limit, X-Widget-Visitor), then:',
      '`message` events (a WidgetMessage as `data`, oldest first: every message after `Last-Event-ID` or `after`, or the whole conversation without either, then each new one as it is stored, replies from the team and the assistant included),',
      'each with an `id:` to send back as `Last-Event-ID` (or `after`) on reconnect, which resumes without missing or repeating a message;',
      '`status` (`{ status: open | closed }`) at the start and when the team closes or reopens the conversation;',
      '`ready` once the backlog is sent; `end` (`{ reason: widget_changed }`) just before the server closes the stream because the key was replaced, the widget switched off or the site removed.',
      'A comment line every 25 s keeps proxies from closing it (send the answer unbuffered: it carries `X-Accel-Buffering: no`).',
      'At most WIDGET_STREAMS_PER_VISITOR (2) streams per visitor, WIDGET_STREAMS_PER_IP (20) per address and WIDGET_STREAMS_PER_KEY (2000) per key are open at once: over it, 429 `too_many_streams` with Retry-After (poll GET messages meanwhile).',
    ].join(' '),
  })
  @ApiParam(KEY_PARAM)
  @ApiHeader(VISITOR_HEADER)
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received: only later messages are sent. Wins over `after`.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An event stream: `id: <cursor>`, `event: message`, `data: <WidgetMessage as JSON>`.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(401)
  async streamWidgetEvents(
    @Param('key') key: string,
    @Query() query: WidgetMessagesQueryDto,
    @Headers('x-widget-visitor') visitor: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const settings = await this.admit(key, request, reply);
    const conversation = await this.widget.conversationOf(settings, visitor);
    const [field, after] = lastEventId ? ['Last-Event-ID', lastEventId] : ['after', query.after];
    if (after !== undefined && (after.length > 500 || !isMessageCursor(after)))
      throw new ValidationProblem([{ field, reason: 'is not an event id of this stream' }]);
    const origin = this.widget.checkOrigin(settings, request.headers.origin);
    await this.streams.open({ settings, conversation, origin, ip: request.ip, after }, reply);
  }

  @Post('messages')
  @Public()
  @ApiOperation({
    operationId: 'postWidgetMessage',
    summary: 'The visitor writes again; the assistant answers',
    description: 'Answers the visitor message and the assistant answer, as stored.',
  })
  @ApiParam(KEY_PARAM)
  @ApiHeader(VISITOR_HEADER)
  @ApiCreatedResponse({ type: WidgetMessagePageDto })
  async postWidgetMessage(
    @Param('key') key: string,
    @Body() body: WidgetPostDto,
    @Headers('x-widget-visitor') visitor: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WidgetMessagePageDto> {
    const settings = await this.admit(key, request, reply);
    const conversation = await this.widget.conversationOf(settings, visitor);
    const items = await this.widget.post(settings, conversation, body.text);
    return { items: items.map(toWidgetMessage), nextCursor: cursorAfter(items) };
  }
}

/** The embeddable script: one per organization, its key and the API address written in. */
@ApiTags('Widget')
@Controller('widget/v1')
export class WidgetScriptController {
  constructor(
    private readonly widget: WidgetService,
    private readonly config: AppConfig,
  ) {}

  @Get(':file')
  @Public()
  @ApiOperation({
    operationId: 'getWidgetScript',
    summary: 'The widget script for a public key (`<key>.js`)',
    description:
      'Plain JavaScript, no dependencies, drawn in a shadow root so the page CSS does not reach it. Cached 5 minutes. Unknown or disabled key: 404.',
  })
  @ApiParam({ name: 'file', example: 'wk_Jm2kQ0c8wq3bT1x9pLk7sV4d.js' })
  @ApiProduces('application/javascript')
  @ApiOkResponse({ description: 'The script.', schema: { type: 'string' } })
  @ApiProblemResponses(404)
  async getWidgetScript(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const key = file.replace(/\.js$/, '');
    const settings = await this.widget.byPublicKey(key);
    void reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('cross-origin-resource-policy', 'cross-origin');
    return widgetScript({ key: settings.publicKey, apiBase: baseUrlOf(this.config, request) });
  }
}
