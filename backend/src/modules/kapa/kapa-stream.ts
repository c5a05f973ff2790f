import type { KapaSource, KapaStreamChunk } from './kapa.types';

/** Kapa separates stream chunks with U+241E (bytes e2 90 9e), not the control character 0x1E. */
export const KAPA_CHUNK_SEPARATOR = '\u241E';

interface RawChunk {
  chunk?: { type?: string; content?: Record<string, unknown>; stream_end?: boolean };
}

/** Maps one raw chunk to ours; unknown types give null (ignored, as the reference asks). */
export function parseKapaChunk(json: string): KapaStreamChunk | null {
  const raw = JSON.parse(json) as RawChunk;
  const type = raw.chunk?.type;
  const content = raw.chunk?.content ?? {};
  switch (type) {
    case 'partial_answer':
      return { type, text: typeof content.text === 'string' ? content.text : '' };
    case 'relevant_sources':
      return {
        type,
        sources: Array.isArray(content.relevant_sources) ? (content.relevant_sources as KapaSource[]) : [],
      };
    case 'metadata':
      return { type, isUncertain: content.is_uncertain === true };
    case 'identifiers':
      // Field names here are uncertain in the reference: accept both spellings.
      return {
        type,
        threadId: str(content.thread_id) ?? str(content.thread),
        questionAnswerId: str(content.question_answer_id) ?? str(content.question_answer),
      };
    case 'error':
      return { type, reason: str(content.reason) ?? 'Kapa reported an error' };
    default:
      return null;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Splits a byte stream into chunks as they arrive: decodes UTF-8 across
 * network boundaries (the separator is 3 bytes and may be cut), and yields the
 * last chunk even without a trailing separator.
 */
export async function* splitKapaStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<KapaStreamChunk> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let at: number;
    while ((at = buffer.indexOf(KAPA_CHUNK_SEPARATOR)) >= 0) {
      const piece = buffer.slice(0, at).trim();
      buffer = buffer.slice(at + KAPA_CHUNK_SEPARATOR.length);
      const chunk = piece ? parseKapaChunk(piece) : null;
      if (chunk) yield chunk;
    }
  }
  buffer += decoder.decode();
  const last = buffer.trim();
  if (last) {
    const chunk = parseKapaChunk(last);
    if (chunk) yield chunk;
  }
}

/** Sources repeat once per matched chunk: keep the first of each URL. */
export function dedupeSources(sources: KapaSource[]): { title: string; url: string }[] {
  const seen = new Set<string>();
  const out: { title: string; url: string }[] = [];
  for (const s of sources) {
    if (!s?.source_url || seen.has(s.source_url)) continue;
    seen.add(s.source_url);
    out.push({ title: s.title?.trim() || s.source_url, url: s.source_url });
  }
  return out;
}
