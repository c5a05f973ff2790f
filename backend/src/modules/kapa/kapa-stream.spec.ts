import { dedupeSources, KAPA_CHUNK_SEPARATOR, splitKapaStream } from './kapa-stream';

// eslint-disable-next-line @typescript-eslint/require-await -- an async source, as fetch gives
async function* bytes(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const chunk = (type: string, content: object) => JSON.stringify({ chunk: { type, content, stream_end: false } });

describe('splitKapaStream', () => {
  it('splits on U+241E, keeps order, and yields a last chunk without separator', async () => {
    const wire = [
      chunk('partial_answer', { text: 'Hel' }),
      chunk('partial_answer', { text: 'lo' }),
      chunk('identifiers', { thread_id: 't1', question_answer_id: 'qa1' }),
    ].join(KAPA_CHUNK_SEPARATOR);
    const chunks = await collect(splitKapaStream(bytes(wire)));
    expect(chunks).toEqual([
      { type: 'partial_answer', text: 'Hel' },
      { type: 'partial_answer', text: 'lo' },
      { type: 'identifiers', threadId: 't1', questionAnswerId: 'qa1' },
    ]);
  });

  it('reassembles a separator and a multi-byte character cut across network reads', async () => {
    const wire = new TextEncoder().encode(
      chunk('partial_answer', { text: 'café ✓' }) + KAPA_CHUNK_SEPARATOR + chunk('metadata', { is_uncertain: true }),
    );
    const sepAt = wire.indexOf(0xe2, wire.length / 2); // first byte of the separator
    const reads = [wire.slice(0, sepAt + 1), wire.slice(sepAt + 1, sepAt + 2), wire.slice(sepAt + 2)];
    const chunks = await collect(splitKapaStream(bytes(...reads)));
    expect(chunks).toEqual([
      { type: 'partial_answer', text: 'café ✓' },
      { type: 'metadata', isUncertain: true },
    ]);
  });

  it('does not split on the 0x1E control character, ignores unknown types, passes error chunks', async () => {
    const wire =
      [
        chunk('partial_answer', { text: 'a\u001eb' }),
        chunk('telemetry', { x: 1 }),
        chunk('error', { reason: 'quota' }),
      ].join(KAPA_CHUNK_SEPARATOR) + KAPA_CHUNK_SEPARATOR;
    expect(await collect(splitKapaStream(bytes(wire)))).toEqual([
      { type: 'partial_answer', text: 'a\u001eb' },
      { type: 'error', reason: 'quota' },
    ]);
  });
});

describe('dedupeSources', () => {
  it('keeps the first source of each URL and falls back to the URL as title', () => {
    expect(
      dedupeSources([
        { source_url: 'https://d/a', title: 'A' },
        { source_url: 'https://d/a', title: 'A again' },
        { source_url: 'https://d/b', title: '' },
      ]),
    ).toEqual([
      { title: 'A', url: 'https://d/a' },
      { title: 'https://d/b', url: 'https://d/b' },
    ]);
  });
});
