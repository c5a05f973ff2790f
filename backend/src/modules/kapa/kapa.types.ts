/** Kapa.ai wire types (see shared/reference/kapa-api.md). Unknown fields are tolerated. */

export interface KapaChatRequest {
  query: string;
  integration_id?: string;
  metadata?: { origin_url?: string };
  source_group_ids_include?: string[];
  user?: { email?: string; unique_client_id?: string; metadata?: Record<string, string> };
}

export interface KapaSource {
  source_url: string;
  title?: string;
  contains_internal_data?: boolean;
}

export interface KapaChatResponse {
  answer: string;
  thread_id: string;
  question_answer_id: string;
  is_uncertain?: boolean;
  relevant_sources?: KapaSource[];
}

export type KapaStreamChunk =
  | { type: 'partial_answer'; text: string }
  | { type: 'relevant_sources'; sources: KapaSource[] }
  | { type: 'metadata'; isUncertain: boolean }
  | { type: 'identifiers'; threadId?: string; questionAnswerId?: string }
  | { type: 'error'; reason: string };

export interface KapaFeedbackRequest {
  question_answer: string;
  reaction: 'upvote' | 'downvote';
  user_identifier: string;
  comment?: { issue?: string; incorrect?: boolean; irrelevant?: boolean; unaddressed?: boolean };
}

export interface KapaRetrievalResult {
  source_url: string;
  content: string;
}

/** A failed call, classified so callers know whether to retry or fall back. */
export class KapaError extends Error {
  constructor(
    message: string,
    readonly kind:
      | 'not_configured'
      | 'bad_request'
      | 'unauthorized'
      | 'not_found'
      | 'rate_limited'
      | 'server'
      | 'timeout'
      | 'network'
      | 'circuit_open'
      | 'stream',
    readonly httpStatus: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'KapaError';
  }
}
