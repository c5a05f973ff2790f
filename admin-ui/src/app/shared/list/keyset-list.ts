import { computed, signal } from '@angular/core';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetches one page; `cursor` is undefined for the first one. */
export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

/**
 * State of one keyset-paginated list (`{ items, nextCursor }` from the API): the first
 * page, "Load more", edits of single rows, loading and error state. A reload (filters
 * changed) makes the answers of older requests irrelevant: they are dropped.
 */
export class KeysetList<T extends { id: string }> {
  private readonly _items = signal<T[]>([]);
  private readonly _nextCursor = signal<string | null>(null);
  private readonly _loading = signal(false);
  private readonly _loadingMore = signal(false);
  private readonly _loaded = signal(false);
  private readonly _error = signal<ApiProblem | null>(null);
  private readonly _loadMoreError = signal<ApiProblem | null>(null);
  private generation = 0;

  readonly items = this._items.asReadonly();
  readonly loading = this._loading.asReadonly();
  readonly loadingMore = this._loadingMore.asReadonly();
  /** The first page has arrived at least once. */
  readonly loaded = this._loaded.asReadonly();
  /** Why the first page failed. */
  readonly error = this._error.asReadonly();
  /** Why the last "Load more" failed (the rows already shown stay). */
  readonly loadMoreError = this._loadMoreError.asReadonly();
  readonly hasMore = computed(() => this._nextCursor() !== null);
  readonly empty = computed(() => this._loaded() && this._items().length === 0 && this._error() === null);

  constructor(private readonly fetchPage: PageFetcher<T>) {}

  /** Loads the first page again. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    this._loading.set(true);
    this._error.set(null);
    this._loadMoreError.set(null);
    try {
      const page = await this.fetchPage(undefined);
      if (generation === this.generation) {
        this._items.set(page.items);
        this._nextCursor.set(page.nextCursor);
        this._loaded.set(true);
      }
    } catch (error: unknown) {
      if (generation === this.generation) {
        this._error.set(toApiProblem(error));
      }
    } finally {
      if (generation === this.generation) {
        this._loading.set(false);
      }
    }
  }

  /** Appends the next page. */
  async loadMore(): Promise<void> {
    const cursor = this._nextCursor();
    if (!cursor || this._loadingMore() || this._loading()) {
      return;
    }
    const generation = this.generation;
    this._loadingMore.set(true);
    this._loadMoreError.set(null);
    try {
      const page = await this.fetchPage(cursor);
      if (generation === this.generation) {
        // A row added here meanwhile (a new user) may come again in a later page: keep one.
        const known = new Set(this._items().map((item) => item.id));
        this._items.update((items) => [...items, ...page.items.filter((item) => !known.has(item.id))]);
        this._nextCursor.set(page.nextCursor);
      }
    } catch (error: unknown) {
      if (generation === this.generation) {
        this._loadMoreError.set(toApiProblem(error));
      }
    } finally {
      if (generation === this.generation) {
        this._loadingMore.set(false);
      }
    }
  }

  /** Puts a changed row in place. */
  replace(item: T): void {
    this._items.update((items) => items.map((existing) => (existing.id === item.id ? item : existing)));
  }

  /** Takes a row out (deleted, or no longer matching the filter). */
  remove(id: string): void {
    this._items.update((items) => items.filter((existing) => existing.id !== id));
  }

  /** Shows a new row: at the start of a newest-first list, or at the end of an oldest-first one. */
  add(item: T, where: 'start' | 'end'): void {
    this._items.update((items) => {
      const others = items.filter((existing) => existing.id !== item.id);
      return where === 'start' ? [item, ...others] : [...others, item];
    });
    this._loaded.set(true);
  }
}
