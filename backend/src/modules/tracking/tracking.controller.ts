import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { Public, RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { EmailEventDto, EmailEventResultDto } from '../consent/dto/suppression.dto';
import { CampaignEventsService } from './campaign-events.service';
import { invalidLinkPage, unsubscribedPage, unsubscribeFormPage } from './unsubscribe-page';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const NO_STORE = 'no-store, no-cache, must-revalidate, private, max-age=0';

const TOKEN_PARAM = { name: 'token', description: 'The signed recipient token from the email.' };

function htmlReply(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', NO_STORE)
    .header('x-robots-tag', 'noindex, nofollow')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** The links inside campaign emails: public (the token is the credential), outside /api. */
@ApiTags('Tracking')
@Public()
@Controller()
export class TrackingController {
  constructor(private readonly events: CampaignEventsService) {}

  @Get('t/o/:token')
  @ApiOperation({
    operationId: 'trackOpen',
    summary: 'Open pixel of a campaign email',
    description:
      'Records an open on the recipient (first open on the lead timeline) and answers a 1×1 GIF, never cached. Always the GIF, even for an unknown token.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiProduces('image/gif')
  @ApiOkResponse({
    description: 'A transparent 1×1 GIF.',
    content: { 'image/gif': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblemResponses()
  async open(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.events.recordOpen(token);
    await reply.header('cache-control', NO_STORE).header('pragma', 'no-cache').type('image/gif').send(PIXEL);
  }

  @Get('t/c/:token')
  @ApiOperation({
    operationId: 'trackClick',
    summary: 'Tracked link of a campaign email',
    description:
      'Records a click and redirects (302) to `u`, only when `s` is the signature of this token and this exact URL and `u` is http(s): never an open redirect.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiQuery({ name: 'u', description: 'The original link (http or https).', required: true })
  @ApiQuery({ name: 's', description: 'Signature of the token and the link.', required: true })
  @ApiResponse({ status: 302, description: 'Redirect to the original link.' })
  @ApiProblemResponses()
  async click(
    @Param('token') token: string,
    @Query('u') url: unknown,
    @Query('s') signature: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.events.recordClick(token, url, signature);
    await reply.header('cache-control', NO_STORE).redirect(target, 302);
  }

  @Get('u/:token')
  @ApiOperation({
    operationId: 'unsubscribePage',
    summary: 'Unsubscribe page',
    description:
      'A small HTML page with the Unsubscribe button and an "also stop WhatsApp messages" box. Viewing it changes nothing (link scanners open links).',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({
    status: 404,
    description: 'Not a valid link (HTML page).',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses()
  async unsubscribePage(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const state = await this.events.unsubscribeState(token);
    if (!state) {
      await htmlReply(reply, 404, invalidLinkPage());
      return;
    }
    await htmlReply(
      reply,
      200,
      unsubscribeFormPage({
        action: `/u/${token}`,
        address: state.maskedAddress,
        organizationName: state.organizationName,
      }),
    );
  }

  @Post('u/:token')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'unsubscribe',
    summary: 'Unsubscribe (one-click, RFC 8058)',
    description:
      'Mail providers POST `List-Unsubscribe=One-Click` here (application/x-www-form-urlencoded); the page posts its form. Stops campaign emails to the address; WhatsApp too with `whatsapp=1`. Idempotent; answers a confirmation page.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Confirmation page.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({
    status: 404,
    description: 'Not a valid link (HTML page).',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(415)
  async unsubscribe(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const whatsapp = ['1', 'on', 'true', 'yes'].includes(
      (typeof form.whatsapp === 'string' ? form.whatsapp : '').toLowerCase(),
    );
    const state = await this.events.unsubscribe(token, {
      whatsapp,
      requestId: String(request.id),
      ip: request.ip ?? null,
    });
    if (!state) {
      await htmlReply(reply, 404, invalidLinkPage());
      return;
    }
    await htmlReply(
      reply,
      200,
      unsubscribedPage({ address: state.maskedAddress, whatsapp, organizationName: state.organizationName }),
    );
  }
}

@ApiTags('Suppressions')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403, 404)
@Controller('api/email-events')
export class EmailEventsController {
  constructor(private readonly events: CampaignEventsService) {}

  @Post()
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsSend)
  @ApiOperation({
    operationId: 'recordEmailEvent',
    summary: 'Report a bounce, complaint or delivery of a campaign email',
    description:
      'For an ESP webhook or a bounce processor. Finds the recipient by the Message-ID (`<recipientId@host>`) or recipientId. A hard bounce or a complaint suppresses the address (a complaint also unsubscribes the lead); a soft bounce is only recorded. Replays change nothing.',
  })
  @ApiOkResponse({ type: EmailEventResultDto })
  record(@CurrentActor() actor: Actor, @Body() body: EmailEventDto): Promise<EmailEventResultDto> {
    return this.events.recordEmailEvent(actor, body);
  }
}
