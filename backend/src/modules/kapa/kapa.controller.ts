import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { AssistantEvent, AssistantService } from './assistant.service';
import { AnswerDto, AskDto, AssistantStatusDto, FeedbackDto, InsightsDto, InsightsQueryDto } from './dto/assistant.dto';

@ApiTags('Assistant')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiProblemResponses(401, 403)
@RequirePermissions(Permission.AssistantUse)
@Controller('api/kapa')
export class KapaController {
  constructor(private readonly assistant: AssistantService) {}

  @Post('query')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'askAssistant',
    summary: 'Ask the help assistant (Kapa.ai, or the local docs when Kapa is off or failing)',
    description:
      'Answers a question from the documentation, with the sources it used. Uses Kapa.ai when it is configured and reachable, the local docs otherwise; the answer says which.',
  })
  @ApiOkResponse({ type: AnswerDto })
  @ApiProblemResponses(429)
  async ask(
    @CurrentActor() actor: Actor,
    @Body() body: AskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AnswerDto> {
    try {
      return await this.assistant.ask(actor, body.question, body.threadId, body.originUrl);
    } catch (err) {
      const retry = (err as { extensions?: { retryAfterSeconds?: number } }).extensions?.retryAfterSeconds;
      if (retry) void reply.header('retry-after', String(retry));
      throw err;
    }
  }

  @Post('query/stream')
  @ApiOperation({
    operationId: 'askAssistantStream',
    summary: 'Ask, answered as server-sent events while it is written',
    description:
      'Events: `delta` {text} (append to the answer), `sources` {sources}, `error` {reason}, and a last `done` {threadId, questionAnswerId, isUncertain, provider}. Errors before the first event (validation, 429) are problem+json.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiProblemResponses(429)
  async askStream(@CurrentActor() actor: Actor, @Body() body: AskDto, @Res() reply: FastifyReply): Promise<void> {
    const abort = new AbortController();
    const events = this.assistant.askStream(actor, body.question, body.threadId, body.originUrl, abort.signal);
    let first: IteratorResult<AssistantEvent>;
    try {
      first = await events.next(); // a 429 or a failure before any event is still a problem+json answer
    } catch (err) {
      const retry = (err as { extensions?: { retryAfterSeconds?: number } }).extensions?.retryAfterSeconds;
      if (retry) void reply.header('retry-after', String(retry));
      throw err;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    raw.on('close', () => abort.abort());
    const write = (e: AssistantEvent) => raw.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    try {
      if (!first.done) write(first.value);
      for await (const e of { [Symbol.asyncIterator]: () => events }) {
        if (abort.signal.aborted) break;
        write(e);
      }
    } catch {
      write({ event: 'error', data: { reason: 'The assistant stopped answering. Try again.' } });
    } finally {
      raw.end();
    }
  }

  @Get('insights')
  @RequirePermissions(Permission.AssistantUse, Permission.AssistantInsights)
  @ApiOperation({
    operationId: 'getAssistantInsights',
    summary: 'Questions per day, upvote ratio, and the questions the docs do not answer well',
    description:
      'For people who maintain the docs: questions per day, the share of helpful answers, and the questions whose answers were rated down or found nothing.',
  })
  @ApiOkResponse({ type: InsightsDto })
  insights(@CurrentActor() actor: Actor, @Query() query: InsightsQueryDto): Promise<InsightsDto> {
    return this.assistant.insights(actor.principal.organizationId, query.days);
  }

  @Post('feedback')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'sendAssistantFeedback',
    summary: 'Thumbs up or down on an answer (one record per answer, updated on repeat)',
    description: 'Records whether an answer helped. Sending again for the same answer replaces the earlier feedback.',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(404)
  async feedback(@CurrentActor() actor: Actor, @Body() body: FeedbackDto): Promise<void> {
    await this.assistant.feedback(actor, body.questionAnswerId, body.reaction, body.comment);
  }

  @Get('status')
  @ApiOperation({
    operationId: 'getAssistantStatus',
    summary: 'Kapa configured and reachable, provider in use, last error, rate-limit state',
    description:
      'Whether Kapa.ai is configured and reachable, which provider answers now, the last error and the rate-limit state. No secret is returned.',
  })
  @ApiOkResponse({ type: AssistantStatusDto })
  status(@CurrentActor() actor: Actor): Promise<AssistantStatusDto> {
    return this.assistant.status(actor);
  }
}
