import { Controller, Get, Header, HttpCode, HttpStatus, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { ProblemException, ValidationProblem } from '../../common/errors/problem';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Public } from '../auth/decorators';
import { ChannelEventsService } from './channel-events.service';
import { WhatsAppWebhookAckDto } from './dto/channels.dto';
import {
  dedupeMessages,
  parseWhatsAppWebhook,
  safeEqual,
  statusEventKey,
  verifyWebhookSignature,
} from './whatsapp-webhook';
import { WhatsAppWebhookLog } from './whatsapp-webhook-log.service';

const notConfigured = (what: string) =>
  new ProblemException(
    HttpStatus.SERVICE_UNAVAILABLE,
    'whatsapp_not_configured',
    `The WhatsApp webhook is not configured: set ${what}.`,
    {},
    'WhatsApp not configured',
  );

/**
 * Meta's WhatsApp Cloud API webhook: the subscription handshake (GET) and
 * status notifications (POST), signed with the app secret. Public: Meta
 * holds no Meridian credentials; the signature is the authentication.
 */
@ApiTags('Webhooks')
@Controller('api/webhooks/whatsapp')
export class WhatsAppWebhookController {
  private readonly logger = new Logger(WhatsAppWebhookController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly events: ChannelEventsService,
    private readonly log: WhatsAppWebhookLog,
  ) {}

  @Get()
  @Public()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'verifyWhatsAppWebhook',
    summary: 'Webhook subscription handshake (Meta calls it)',
    description:
      'Meta sends hub.mode=subscribe, hub.verify_token and hub.challenge when the webhook URL is saved in the app dashboard. A matching WHATSAPP_VERIFY_TOKEN answers the challenge as text/plain; anything else answers 403.',
  })
  @ApiQuery({ name: 'hub.mode', required: false, schema: { type: 'string', example: 'subscribe' } })
  @ApiQuery({ name: 'hub.verify_token', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'hub.challenge', required: false, schema: { type: 'string', example: '1158201444' } })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The hub.challenge, echoed.', schema: { type: 'string', example: '1158201444' } })
  @ApiProblemResponses(403, 503)
  verifyWhatsAppWebhook(
    @Query('hub.mode') mode: string | undefined,
    @Query('hub.verify_token') token: string | undefined,
    @Query('hub.challenge') challenge: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    const expected = this.config.whatsapp.verifyToken;
    if (!expected) throw notConfigured('WHATSAPP_VERIFY_TOKEN');
    const valid =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      safeEqual(token, expected) &&
      typeof challenge === 'string' &&
      /^[\w-]{1,256}$/.test(challenge);
    if (!valid)
      throw new ProblemException(
        HttpStatus.FORBIDDEN,
        'verify_token_mismatch',
        'hub.mode must be "subscribe", hub.verify_token must match WHATSAPP_VERIFY_TOKEN, and hub.challenge must be given.',
        {},
        'Webhook verification failed',
      );
    void reply.type('text/plain; charset=utf-8');
    return challenge;
  }

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveWhatsAppWebhook',
    summary: 'Messages and status notifications from the WhatsApp Cloud API (Meta calls it)',
    description:
      'Verifies X-Hub-Signature-256 (HMAC-SHA256 of the raw body with WHATSAPP_APP_SECRET), ignores events already handled (by message id, and by message id + status), hands new incoming messages to the conversations inbox and new status events (sent, delivered, read, failed) to the campaigns ledger and the inbox, and answers 200. Unsigned or badly signed payloads answer 401; without WHATSAPP_APP_SECRET every POST answers 503.',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body>' })
  @ApiBody({
    description: "Meta's webhook payload (object: whatsapp_business_account).",
    schema: {
      type: 'object',
      required: ['object', 'entry'],
      properties: {
        object: { type: 'string', example: 'whatsapp_business_account' },
        entry: { type: 'array', items: { type: 'object', additionalProperties: true } },
      },
    },
  })
  @ApiOkResponse({ type: WhatsAppWebhookAckDto })
  @ApiProblemResponses(401, 413, 415, 503)
  async receiveWhatsAppWebhook(@Req() request: FastifyRequest): Promise<WhatsAppWebhookAckDto> {
    const secret = this.config.whatsapp.appSecret;
    if (!secret) throw notConfigured('WHATSAPP_APP_SECRET');
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers['x-hub-signature-256'];
    if (!verifyWebhookSignature(raw, typeof header === 'string' ? header : undefined, secret))
      throw new ProblemException(
        HttpStatus.UNAUTHORIZED,
        'invalid_signature',
        header
          ? 'X-Hub-Signature-256 does not match the body signed with the app secret.'
          : 'X-Hub-Signature-256 is missing.',
        {},
        'Invalid webhook signature',
      );

    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'malformed_json',
        'The request body is not valid JSON.',
        {},
        'Malformed JSON',
      );
    }
    const parsed = parseWhatsAppWebhook(payload);
    if (!parsed.ok) throw new ValidationProblem(parsed.errors);
    const { statuses, messages } = parsed.value;

    // Handlers first, keys after: a process lost in between leaves the keys unrecorded, so Meta's
    // retry is handled again; the handlers are idempotent (ledger statuses only move forward).
    // Messages need no key: the inbox stores each once by wamid, in the same insert.
    const fresh = await this.log.unseen(statuses.map(statusEventKey));
    const seen = new Set<string>();
    const accepted = statuses.filter((event) => {
      const key = statusEventKey(event);
      if (!fresh.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    let newMessages = 0;
    try {
      // Messages before statuses: a reply's status can only land on a thread that exists.
      newMessages = await this.events.emitWhatsAppMessages(dedupeMessages(messages));
      await this.events.emitWhatsAppStatuses(accepted);
    } catch (err) {
      this.logger.error(
        `WhatsApp webhook handler failed for ${messages.length} messages and ${accepted.length} status events: ${(err as Error).message}`,
      );
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'webhook_handler_failed',
        'The events could not be recorded; they will be accepted on the next delivery.',
        {},
        'Webhook not processed',
      );
    }
    await this.log.record([...seen]);
    if (accepted.length > 0 || newMessages > 0)
      this.logger.log(`Recorded ${newMessages} WhatsApp messages and ${accepted.length} status events`);
    const received = statuses.length + messages.length;
    const total = accepted.length + newMessages;
    return { received, accepted: total, duplicates: received - total };
  }
}
