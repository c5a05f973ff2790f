import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../../common/openapi/api-problem-responses';
import { Actor, CurrentActor } from '../auth/actor';
import { RequirePermissions } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { AssistantService } from './assistant.service';
import { AnswerDto, AskDto, AssistantStatusDto, FeedbackDto } from './dto/assistant.dto';

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

  @Post('feedback')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'sendAssistantFeedback',
    summary: 'Thumbs up or down on an answer (one record per answer, updated on repeat)',
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
  })
  @ApiOkResponse({ type: AssistantStatusDto })
  status(@CurrentActor() actor: Actor): Promise<AssistantStatusDto> {
    return this.assistant.status(actor);
  }
}
