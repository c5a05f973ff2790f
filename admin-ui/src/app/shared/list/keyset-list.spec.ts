import { KeysetList, Page } from './keyset-list';

interface Row {
  id: string;
  name: string;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('KeysetList', () => {
  let calls: { cursor: string | undefined; answer: ReturnType<typeof deferred<Page<Row>>> }[];
  let list: KeysetList<Row>;

  beforeEach(() => {
    calls = [];
    list = new KeysetList<Row>((cursor) => {
      const answer = deferred<Page<Row>>();
      calls.push({ cursor, answer });
      return answer.promise;
    });
  });

  it('loads the first page, then appends the next one by its cursor', async () => {
    const first = list.reload();
    expect(list.loading()).toBe(true);
    calls[0].answer.resolve({ items: [{ id: 'a', name: 'A' }], nextCursor: 'c1' });
    await first;

    expect(list.items().map((row) => row.id)).toEqual(['a']);
    expect(list.hasMore()).toBe(true);

    const more = list.loadMore();
    expect(calls[1].cursor).toBe('c1');
    expect(list.loadingMore()).toBe(true);
    calls[1].answer.resolve({ items: [{ id: 'b', name: 'B' }], nextCursor: null });
    await more;

    expect(list.items().map((row) => row.id)).toEqual(['a', 'b']);
    expect(list.hasMore()).toBe(false);
    expect(list.loadingMore()).toBe(false);
  });

  it('keeps one copy of a row added meanwhile that comes again in a later page', async () => {
    const first = list.reload();
    calls[0].answer.resolve({ items: [{ id: 'a', name: 'A' }], nextCursor: 'c1' });
    await first;
    list.add({ id: 'new', name: 'New' }, 'end');

    const more = list.loadMore();
    calls[1].answer.resolve({ items: [{ id: 'new', name: 'New' }], nextCursor: null });
    await more;

    expect(list.items().map((row) => row.id)).toEqual(['a', 'new']);
  });

  it('drops the answer of a query that a reload replaced', async () => {
    const stale = list.reload();
    const fresh = list.reload();
    calls[1].answer.resolve({ items: [{ id: 'fresh', name: 'Fresh' }], nextCursor: null });
    await fresh;
    calls[0].answer.resolve({ items: [{ id: 'stale', name: 'Stale' }], nextCursor: 'x' });
    await stale;

    expect(list.items().map((row) => row.id)).toEqual(['fresh']);
    expect(list.hasMore()).toBe(false);
  });

  it('reports a failed first page, and an empty list as empty', async () => {
    const failed = list.reload();
    calls[0].answer.reject(new Error('boom'));
    await failed;
    expect(list.error()?.detail).toBe('boom');
    expect(list.empty()).toBe(false);

    const empty = list.reload();
    calls[1].answer.resolve({ items: [], nextCursor: null });
    await empty;
    expect(list.error()).toBeNull();
    expect(list.empty()).toBe(true);
  });

  it('replaces a changed row in place', async () => {
    const first = list.reload();
    calls[0].answer.resolve({
      items: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
      nextCursor: null,
    });
    await first;
    list.replace({ id: 'a', name: 'A2' });
    expect(list.items()).toEqual([
      { id: 'a', name: 'A2' },
      { id: 'b', name: 'B' },
    ]);
  });

  it('takes a row out, and reports the list empty when it was the last', async () => {
    const first = list.reload();
    calls[0].answer.resolve({ items: [{ id: 'a', name: 'A' }], nextCursor: null });
    await first;
    list.remove('a');
    expect(list.items()).toEqual([]);
    expect(list.empty()).toBe(true);
  });
});
