import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  CreateLeadDto,
  LeadDto,
  SavedViewDto,
  UpdateLeadDto,
  countLeads,
  createLead,
  createLeadView,
  deleteLead,
  deleteLeadView,
  getLead,
  listLeadViews,
  listLeads,
  listUsers,
  restoreLead,
  updateLead,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { KeysetList } from '../../shared/list/keyset-list';
import { BulkChange, BulkOutcome, BulkSelection, LeadBulkActions } from './lead-bulk-actions';
import {
  DEFAULT_ORDER,
  LeadFilters,
  LeadOrder,
  NO_FILTERS,
  filtersFromView,
  isFiltered,
  leadFilter,
  leadListParams,
  sameFilter,
  viewFilter,
} from './leads.query';

export const LEADS_PAGE_SIZE = 50;
/** Users offered as owners: the first pages of the organization's users. */
const OWNER_PAGES = 5;

export interface OwnerOption {
  id: string;
  name: string;
  email: string;
  /** Deactivated users keep their leads (and their name in the list) but get no new ones. */
  active: boolean;
}

type Body<T> = { body: T };

/**
 * The Leads page: the list under the current filter and order, its count, the saved views,
 * the users who can own leads, and the selection. Provided by the page; the lead drawer
 * (a child route) uses the same instance, so an edit there shows in the list at once.
 */
@Injectable()
export class LeadsStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly auth = inject(AuthStore);
  private readonly bulk = inject(LeadBulkActions);

  private readonly _filters = signal<LeadFilters>(NO_FILTERS);
  private readonly _order = signal<LeadOrder>(DEFAULT_ORDER);
  private readonly _count = signal<number | null>(null);
  private readonly _views = signal<SavedViewDto[]>([]);
  private readonly _owners = signal<OwnerOption[]>([]);
  private readonly _selected = signal<ReadonlySet<string>>(new Set());
  private readonly _allMatching = signal(false);
  private countGeneration = 0;

  readonly filters = this._filters.asReadonly();
  readonly order = this._order.asReadonly();
  /** How many leads match the filter (all pages); null while unknown. */
  readonly count = this._count.asReadonly();
  readonly views = this._views.asReadonly();
  readonly owners = this._owners.asReadonly();
  /** Who can be given a lead. */
  readonly assignableOwners = computed(() => this._owners().filter((owner) => owner.active));
  /** The organization's time zone: the created days of the filters are its days. */
  readonly timeZone = computed(() => this.auth.user()?.organization.timeZone || 'UTC');

  readonly list = new KeysetList<LeadDto>((cursor) =>
    this.call(
      listLeads(
        this.http,
        this.apiConfig.rootUrl,
        leadListParams(this._filters(), this.timeZone(), this._order(), LEADS_PAGE_SIZE, cursor),
      ),
    ),
  );

  /** The selected leads that are on screen. */
  readonly selectedIds = computed(() => {
    const selected = this._selected();
    return this.list
      .items()
      .map((lead) => lead.id)
      .filter((id) => selected.has(id));
  });
  readonly allSelected = computed(() => {
    const count = this.selectedIds().length;
    return count > 0 && count === this.list.items().length;
  });
  /** Every lead matching the filter is selected, loaded or not ("Select all N matching"). */
  readonly allMatching = computed(() => this._allMatching() && this.allSelected());
  /** The whole page is ticked and more leads match: offer to select them all. */
  readonly canSelectAllMatching = computed(() => {
    const count = this._count();
    return this.allSelected() && !this.allMatching() && count !== null && count > this.list.items().length;
  });
  /** How many leads the toolbar acts on. */
  readonly selectionCount = computed(() =>
    this.allMatching() ? (this._count() ?? this.selectedIds().length) : this.selectedIds().length,
  );
  /** What a bulk change is sent for: the ticked ids, or the filter when all matching are selected. */
  readonly selection = computed<BulkSelection>(() =>
    this.allMatching() ? { filter: leadFilter(this._filters(), this.timeZone()) } : { ids: this.selectedIds() },
  );

  /** The saved view the page shows right now, if any. */
  readonly activeView = computed(() => {
    const timeZone = this.timeZone();
    const filter = viewFilter(this._filters(), timeZone);
    const order = this._order();
    return (
      this._views().find(
        (view) =>
          sameFilter(viewFilter(filtersFromView(view.filter, timeZone), timeZone), filter) &&
          view.sort === order.sort &&
          view.order === order.order,
      ) ?? null
    );
  });

  private readonly ownerNames = computed(() => new Map(this._owners().map((owner) => [owner.id, owner.name])));

  /** First load: the list, its count, the views and the owners; `filters` start it filtered (a link). */
  async load(filters?: LeadFilters): Promise<void> {
    if (filters) {
      this._filters.set(filters);
    }
    await Promise.all([this.list.reload(), this.refreshCount(), this.loadViews(), this.loadOwners()]);
  }

  /** New filters: the list starts again, the selection is dropped. */
  setFilters(filters: LeadFilters): Promise<void> {
    this._filters.set(filters);
    this.clearSelection();
    return Promise.all([this.list.reload(), this.refreshCount()]).then(() => undefined);
  }

  patchFilters(changes: Partial<LeadFilters>): Promise<void> {
    return this.setFilters({ ...this._filters(), ...changes });
  }

  setOrder(order: LeadOrder): Promise<void> {
    this._order.set(order);
    return this.list.reload();
  }

  /** Shows a saved view's leads, in its order. */
  applyView(view: SavedViewDto): Promise<void> {
    this._order.set({ sort: view.sort, order: view.order });
    return this.setFilters({ ...filtersFromView(view.filter, this.timeZone()), deleted: false });
  }

  async saveView(name: string, shared: boolean): Promise<SavedViewDto> {
    const { sort, order } = this._order();
    const view = await this.call(
      createLeadView(this.http, this.apiConfig.rootUrl, {
        body: { name, shared, filter: viewFilter(this._filters(), this.timeZone()), sort, order },
      }),
    );
    this._views.update((views) => [...views, view].sort((a, b) => a.name.localeCompare(b.name)));
    return view;
  }

  async deleteView(id: string): Promise<void> {
    await firstValueFrom(deleteLeadView(this.http, this.apiConfig.rootUrl, { id }));
    this._views.update((views) => views.filter((view) => view.id !== id));
  }

  /** The owner's name, "You" for oneself. */
  ownerName(id: string | null): string {
    if (!id) {
      return 'Nobody';
    }
    if (id === this.auth.user()?.id) {
      return 'You';
    }
    return this.ownerNames().get(id) ?? 'Another user';
  }

  // Selection --------------------------------------------------------------------------

  isSelected(id: string): boolean {
    return this._selected().has(id);
  }

  toggle(id: string): void {
    this._allMatching.set(false);
    this._selected.update((selected) => {
      const next = new Set(selected);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  }

  toggleAll(): void {
    this._allMatching.set(false);
    this._selected.set(this.allSelected() ? new Set() : new Set(this.list.items().map((lead) => lead.id)));
  }

  clearSelection(): void {
    this._allMatching.set(false);
    this._selected.set(new Set());
  }

  /** From "the whole page" to "every lead matching the filter". */
  selectAllMatching(): void {
    if (this.allSelected()) {
      this._allMatching.set(true);
    }
  }

  // Single leads ----------------------------------------------------------------------

  get(id: string): Promise<LeadDto> {
    return this.call(getLead(this.http, this.apiConfig.rootUrl, { id }));
  }

  async create(body: CreateLeadDto): Promise<LeadDto> {
    const lead = await this.call(createLead(this.http, this.apiConfig.rootUrl, { body }));
    const { sort, order } = this._order();
    const filters = this._filters();
    if (filters.deleted || isFiltered(filters)) {
      // Whether it matches the filter is for the API to say.
      void Promise.all([this.list.reload(), this.refreshCount()]);
    } else {
      // All leads, so it counts; on top of a newest-first list, elsewhere at the next reload.
      if (sort === 'createdAt' && order === 'desc') {
        this.list.add(lead, 'start');
      }
      this._count.update((count) => (count === null ? null : count + 1));
    }
    return lead;
  }

  async update(id: string, body: UpdateLeadDto): Promise<LeadDto> {
    const lead = await this.call(updateLead(this.http, this.apiConfig.rootUrl, { id, body }));
    this.list.replace(lead);
    return lead;
  }

  async delete(id: string): Promise<void> {
    await firstValueFrom(deleteLead(this.http, this.apiConfig.rootUrl, { id }));
    this.dropFromList([id]);
  }

  async restore(id: string): Promise<LeadDto> {
    const lead = await this.call(restoreLead(this.http, this.apiConfig.rootUrl, { id }));
    this.dropFromList([id]);
    return lead;
  }

  // The selection toolbar -------------------------------------------------------------

  /**
   * Runs a change on the selection through `POST /api/leads/bulk`. Either way the selection
   * is dropped; an immediate change reloads the list at once, a task (large selection or
   * "all matching") is for the caller to follow, then to `refresh()`.
   */
  async runBulk(change: BulkChange): Promise<BulkOutcome> {
    const outcome = await this.bulk.run(this.selection(), change);
    this.clearSelection();
    if (outcome.kind === 'done') {
      await this.refresh();
    }
    return outcome;
  }

  /** The list and its count again (after a bulk change or a merge). */
  refresh(): Promise<void> {
    return Promise.all([this.list.reload(), this.refreshCount()]).then(() => undefined);
  }

  // ----------------------------------------------------------------------------------

  /** Deleted leads leave the live list, restored ones the recycle bin. */
  private dropFromList(ids: readonly string[]): void {
    for (const id of ids) {
      this.list.remove(id);
    }
    this.unselect(ids);
    this._count.update((count) => (count === null ? null : Math.max(0, count - ids.length)));
  }

  private unselect(ids: readonly string[]): void {
    if (ids.length === 0) {
      return;
    }
    this._selected.update((selected) => {
      const next = new Set(selected);
      ids.forEach((id) => next.delete(id));
      return next;
    });
  }

  private async refreshCount(): Promise<void> {
    const generation = ++this.countGeneration;
    this._count.set(null);
    try {
      const { count } = await this.call(
        countLeads(this.http, this.apiConfig.rootUrl, leadFilter(this._filters(), this.timeZone())),
      );
      if (generation === this.countGeneration) {
        this._count.set(count);
      }
    } catch {
      // The count is a nicety; the list shows its own error.
    }
  }

  private async loadViews(): Promise<void> {
    try {
      const views = await this.call(listLeadViews(this.http, this.apiConfig.rootUrl));
      this._views.set([...views].sort((a, b) => a.name.localeCompare(b.name)));
    } catch {
      this._views.set([]);
    }
  }

  /** Everyone in the organization when one may see users; otherwise oneself (users:read is for managers up). */
  private async loadOwners(): Promise<void> {
    const me = this.auth.user();
    const self: OwnerOption[] = me ? [{ id: me.id, name: me.name, email: me.email, active: true }] : [];
    if (!this.auth.permissions().has('users:read')) {
      this._owners.set(self);
      return;
    }
    const owners: OwnerOption[] = [];
    let cursor: string | undefined;
    try {
      for (let page = 0; page < OWNER_PAGES; page++) {
        const answer = await this.call(listUsers(this.http, this.apiConfig.rootUrl, { limit: 200, cursor }));
        owners.push(
          ...answer.items.map((user) => ({
            id: user.id,
            name: user.name,
            email: user.email,
            active: user.status === 'active',
          })),
        );
        if (!answer.nextCursor) {
          break;
        }
        cursor = answer.nextCursor;
      }
      this._owners.set(owners.sort((a, b) => a.name.localeCompare(b.name)));
    } catch {
      this._owners.set(self);
    }
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
