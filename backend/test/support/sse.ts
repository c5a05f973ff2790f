import { eventually } from './processes';

export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads an open text/event-stream answer (fetched with `abort`'s signal) into `events` as they
 * arrive: `event:`, JSON `data:` and, when sent, `id:`.
 */
export function readSse(res: Response, abort: AbortController) {
  const events: SseEvent[] = [];
  let ended = false;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          const id = /^id: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as SseEvent['data'], ...(id ? { id } : {}) });
        }
      }
    } catch {
      /* aborted */
    }
    ended = true;
  })();
  return {
    events,
    ended: () => ended,
    /** The first event that matches, waiting up to 10 s for it. */
    next: (match: (e: SseEvent) => boolean) => eventually(() => Promise.resolve(events.find(match)), 10_000, 20),
    close: async () => {
      abort.abort();
      await pump;
    },
  };
}
