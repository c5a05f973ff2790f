import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { CacheService } from '../../cache/cache.service';
import { ProblemException } from '../../common/errors/problem';
import { AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/actor';
import { AssistantQuestion } from './assistant-question.entity';
import { AnswerDto, AssistantStatusDto } from './dto/assistant.dto';
import { KapaClient } from './kapa-client';
import { dedupeSources } from './kapa-stream';
import { KapaError } from './kapa.types';
import { LocalDocsService } from './local-docs.service';

/** Below Kapa's reported ~20 chat requests/min per key, shared by everyone. */
export const LIMITS = { perUserPerMinute: 6, perOrganizationPerMinute: 15 };
const ANSWER_CACHE_SECONDS = 600;
/** ts_rank_cd below this is a weak match: the local answer is marked uncertain. */
const WEAK_RANK = 0.1;

@Injectable()
export class AssistantService {
  constructor(
    private readonly config: AppConfig,
    private readonly kapa: KapaClient,
    private readonly docs: LocalDocsService,
    private readonly cache: CacheService,
    @InjectRepository(AssistantQuestion) private readonly questions: Repository<AssistantQuestion>,
  ) {}

  /**
   * Answers from Kapa.ai when it is configured and working, else from the local
   * docs; the answer says which. Identical first questions in an organization
   * are served from the cache for 10 minutes; follow-ups never are.
   */
  async ask(actor: Actor, question: string, threadId?: string, originUrl?: string): Promise<AnswerDto> {
    await this.rateLimit(actor);
    const started = performance.now();
    const cacheKey = `assistant:${actor.principal.organizationId}:${createHash('sha256').update(question.trim().toLowerCase()).digest('hex')}`;
    if (!threadId) {
      const cached = await this.cache.get(cacheKey).catch(() => null);
      if (cached) return this.remember(actor, question, JSON.parse(cached) as AnswerDto, started);
    }
    let answer: AnswerDto | undefined;
    if (this.kapa.configured) {
      try {
        const res = await this.kapa.chat(
          {
            query: question,
            ...(this.config.kapa.integrationId ? { integration_id: this.config.kapa.integrationId } : {}),
            ...(originUrl ? { metadata: { origin_url: originUrl } } : {}),
            user: { unique_client_id: actor.principal.id },
          },
          threadId,
        );
        answer = {
          answer: res.answer,
          threadId: res.thread_id,
          questionAnswerId: res.question_answer_id,
          sources: dedupeSources(res.relevant_sources ?? []),
          isUncertain: res.is_uncertain === true,
          provider: 'kapa',
        };
      } catch (err) {
        if (!(err instanceof KapaError)) throw err;
        // Falls through to the local docs: the switch shows in `provider` and in the status.
      }
    }
    answer ??= await this.answerLocally(question);
    if (!threadId) await this.cache.set(cacheKey, JSON.stringify(answer), ANSWER_CACHE_SECONDS).catch(() => undefined);
    return this.remember(actor, question, answer, started);
  }

  async feedback(
    actor: Actor,
    questionAnswerId: string,
    reaction: 'upvote' | 'downvote',
    comment?: string,
  ): Promise<void> {
    const row = await this.questions.findOne({
      where: { organizationId: actor.principal.organizationId, questionAnswerId },
      order: { createdAt: 'DESC' },
    });
    if (!row) throw new NotFoundException(`No answer ${questionAnswerId} in your organization`);
    await this.questions.update(row.id, {
      reaction,
      feedbackComment: reaction === 'downvote' ? (comment ?? null) : null,
    });
    if (row.provider === 'kapa') {
      await this.kapa
        .feedback({
          question_answer: questionAnswerId,
          reaction,
          user_identifier: actor.principal.id,
          ...(reaction === 'downvote' && comment ? { comment: { issue: comment } } : {}),
        })
        .catch(() => undefined); // our record is kept; Kapa's copy is best effort
    }
  }

  async status(actor: Actor): Promise<AssistantStatusDto> {
    const check = this.kapa.configured ? await this.kapa.verifyProject(3_000) : null;
    const used = Number(await this.cache.get(`assistant-rate:user:${actor.principal.id}`).catch(() => 0)) || 0;
    return {
      configured: this.kapa.configured,
      reachable: check ? check.ok : null,
      latencyMs: check ? Math.round(check.latencyMs) : null,
      widgetEnabled: this.config.kapa.widgetEnabled,
      provider: this.kapa.configured && check?.ok && this.kapa.breaker.state !== 'open' ? 'kapa' : 'local',
      circuit: this.kapa.breaker.state,
      lastError: this.kapa.lastError?.message ?? null,
      lastErrorAt: this.kapa.lastError?.at ?? null,
      localSections: await this.docs.count(),
      remainingThisMinute: Math.max(0, LIMITS.perUserPerMinute - used),
    };
  }

  private async answerLocally(question: string): Promise<AnswerDto> {
    const hits = await this.docs.search(question, 3);
    if (hits.length === 0) {
      return {
        answer: "I could not find this in Meridian's documentation. Try other words, or browse the help pages.",
        threadId: null,
        questionAnswerId: `local-${randomUUID()}`,
        sources: [],
        isUncertain: true,
        provider: 'local',
      };
    }
    const answer = hits.map((h) => `**${h.pageTitle} › ${h.heading}**\n\n${h.excerpt.trim()}`).join('\n\n---\n\n');
    return {
      answer,
      threadId: null,
      questionAnswerId: `local-${randomUUID()}`,
      sources: hits.map((h) => ({ title: `${h.pageTitle} › ${h.heading}`, url: `/help/${h.page}#${h.anchor}` })),
      isUncertain: hits[0].rank < WEAK_RANK,
      provider: 'local',
    };
  }

  private async remember(actor: Actor, question: string, answer: AnswerDto, started: number): Promise<AnswerDto> {
    await this.questions.insert({
      organizationId: actor.principal.organizationId,
      userId: actor.principal.kind === 'user' ? actor.principal.id : null,
      question,
      threadId: answer.threadId,
      questionAnswerId: answer.questionAnswerId,
      provider: answer.provider,
      latencyMs: Math.round(performance.now() - started),
      isUncertain: answer.isUncertain,
    });
    return answer;
  }

  private async rateLimit(actor: Actor): Promise<void> {
    const minute = 60;
    const [user, org] = await Promise.all([
      this.cache.increment(`assistant-rate:user:${actor.principal.id}`, minute),
      this.cache.increment(`assistant-rate:org:${actor.principal.organizationId}`, minute),
    ]);
    if (user > LIMITS.perUserPerMinute || org > LIMITS.perOrganizationPerMinute) {
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        'too_many_requests',
        user > LIMITS.perUserPerMinute
          ? `You can ask ${LIMITS.perUserPerMinute} questions a minute. Try again shortly.`
          : 'Your organization is asking many questions right now. Try again shortly.',
        { retryAfterSeconds: minute },
      );
    }
  }
}
