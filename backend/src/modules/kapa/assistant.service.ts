import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { CacheService } from '../../cache/cache.service';
import { ProblemException } from '../../common/errors/problem';
import { AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/actor';
import { AssistantQuestion } from './assistant-question.entity';
import { AnswerDto, AssistantStatusDto, InsightsDto, SourceDto } from './dto/assistant.dto';
import { KapaClient } from './kapa-client';
import { dedupeSources } from './kapa-stream';
import { KapaChatRequest, KapaError } from './kapa.types';
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
        const res = await this.kapa.chat(this.kapaRequest(actor, question, originUrl), threadId);
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

  /**
   * The same as `ask`, as events while the answer is written: relays Kapa's
   * chunks as they arrive. Falls back to the local docs when Kapa is off or
   * fails before its first chunk.
   */
  async *askStream(
    actor: Actor,
    question: string,
    threadId?: string,
    originUrl?: string,
    signal?: AbortSignal,
  ): AsyncGenerator<AssistantEvent> {
    await this.rateLimit(actor);
    const started = performance.now();
    if (this.kapa.configured) {
      let text = '';
      let sources: SourceDto[] = [];
      let isUncertain = false;
      let ids: { threadId?: string; questionAnswerId?: string } = {};
      let relayed = false;
      try {
        for await (const chunk of this.kapa.chatStream(
          this.kapaRequest(actor, question, originUrl),
          threadId,
          signal,
        )) {
          relayed = true;
          if (chunk.type === 'partial_answer') {
            text += chunk.text;
            yield { event: 'delta', data: { text: chunk.text } };
          } else if (chunk.type === 'relevant_sources') {
            sources = dedupeSources(chunk.sources);
            yield { event: 'sources', data: { sources } };
          } else if (chunk.type === 'metadata') {
            isUncertain = chunk.isUncertain;
          } else if (chunk.type === 'identifiers') {
            ids = chunk;
          } else if (chunk.type === 'error') {
            yield { event: 'error', data: { reason: chunk.reason } };
          }
        }
        const answer: AnswerDto = {
          answer: text,
          threadId: ids.threadId ?? threadId ?? null,
          questionAnswerId: ids.questionAnswerId ?? `kapa-${randomUUID()}`,
          sources,
          isUncertain,
          provider: 'kapa',
        };
        await this.remember(actor, question, answer, started);
        yield {
          event: 'done',
          data: { threadId: answer.threadId, questionAnswerId: answer.questionAnswerId, isUncertain, provider: 'kapa' },
        };
        return;
      } catch (err) {
        if (!(err instanceof KapaError) || relayed) {
          yield { event: 'error', data: { reason: 'The assistant stopped answering. Try again.' } };
          return;
        }
      }
    }
    const local = await this.answerLocally(question);
    yield { event: 'delta', data: { text: local.answer } };
    yield { event: 'sources', data: { sources: local.sources } };
    await this.remember(actor, question, local, started);
    yield {
      event: 'done',
      data: {
        threadId: null,
        questionAnswerId: local.questionAnswerId,
        isUncertain: local.isUncertain,
        provider: 'local',
      },
    };
  }

  /** For admins: what people ask, how satisfied they are, and what the docs are missing. */
  async insights(organizationId: string, days: number): Promise<InsightsDto> {
    const since = new Date(Date.now() - days * 24 * 3600 * 1000);
    const [perDay, totals, gaps] = await Promise.all([
      this.questions.query<{ day: string; questions: string; uncertain: string }[]>(
        `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
                count(*)::text AS questions, count(*) FILTER (WHERE is_uncertain)::text AS uncertain
           FROM assistant_questions WHERE organization_id = $1 AND created_at >= $2
          GROUP BY 1 ORDER BY 1`,
        [organizationId, since],
      ),
      this.questions.query<{ questions: string; up: string; down: string; local: string }[]>(
        `SELECT count(*)::text AS questions,
                count(*) FILTER (WHERE reaction = 'upvote')::text AS up,
                count(*) FILTER (WHERE reaction = 'downvote')::text AS down,
                count(*) FILTER (WHERE provider = 'local')::text AS local
           FROM assistant_questions WHERE organization_id = $1 AND created_at >= $2`,
        [organizationId, since],
      ),
      this.questions
        .createQueryBuilder('q')
        .where('q.organization_id = :organizationId AND q.created_at >= :since', { organizationId, since })
        .andWhere("(q.is_uncertain OR q.reaction = 'downvote')")
        .orderBy('q.created_at', 'DESC')
        .limit(50)
        .getMany(),
    ]);
    const t = totals[0];
    const up = Number(t.up);
    const down = Number(t.down);
    return {
      days,
      totalQuestions: Number(t.questions),
      answeredLocally: Number(t.local),
      upvotes: up,
      downvotes: down,
      upvoteRatio: up + down > 0 ? Math.round((up / (up + down)) * 1000) / 1000 : null,
      perDay: fillDays(days, perDay),
      gaps: gaps.map((q) => ({
        question: q.question,
        askedAt: q.createdAt.toISOString(),
        provider: q.provider,
        isUncertain: q.isUncertain,
        reaction: q.reaction,
        comment: q.feedbackComment,
      })),
    };
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

  private kapaRequest(actor: Actor, question: string, originUrl?: string): KapaChatRequest {
    return {
      query: question,
      ...(this.config.kapa.integrationId ? { integration_id: this.config.kapa.integrationId } : {}),
      ...(originUrl ? { metadata: { origin_url: originUrl } } : {}),
      user: { unique_client_id: actor.principal.id },
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

export type AssistantEvent =
  | { event: 'delta'; data: { text: string } }
  | { event: 'sources'; data: { sources: SourceDto[] } }
  | { event: 'error'; data: { reason: string } }
  | {
      event: 'done';
      data: { threadId: string | null; questionAnswerId: string; isUncertain: boolean; provider: 'kapa' | 'local' };
    };

/** One entry per day of the window, zero where nothing was asked (charts want no gaps). */
function fillDays(days: number, rows: { day: string; questions: string; uncertain: string }[]) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: { day: string; questions: number; uncertain: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(Date.now() - i * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const r = byDay.get(day);
    out.push({ day, questions: Number(r?.questions ?? 0), uncertain: Number(r?.uncertain ?? 0) });
  }
  return out;
}
