import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  OnInit,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { LeadDto, LeadFieldDto, LeadStatus, SavedViewDto } from '@meridian/api-client';
import { debounceTime, distinctUntilChanged, filter, firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { toApiProblem } from '../../core/http/api-problem';
import { confirmAction } from '../../shared/dialogs/confirm-dialog.component';
import { InZonePipe, RelativeTimePipe } from '../../shared/format/format.pipes';
import { initials } from '../../shared/format/initials';
import { LoadMoreComponent } from '../../shared/list/load-more.component';
import { TaskProgressComponent } from '../../shared/tasks/task-progress.component';
import { TaskWatcher } from '../../shared/tasks/task-watcher';
import { LeadFilterPanelComponent } from './components/lead-filter-panel.component';
import { LeadScoreComponent } from './components/lead-score.component';
import { LeadSelectionToolbarComponent } from './components/lead-selection-toolbar.component';
import { LeadStatusChipComponent } from './components/lead-status-chip.component';
import { LeadsTransferActionsComponent } from './components/leads-transfer-actions.component';
import { CreateLeadDialogComponent, CreateLeadDialogData } from './dialogs/create-lead-dialog.component';
import { SaveViewDialogComponent, SaveViewDialogData } from './dialogs/save-view-dialog.component';
import { LeadFieldDefinitions } from './fields/lead-field-definitions';
import { BulkTagsDialogComponent, BulkTagsDialogData } from './dialogs/bulk-tags-dialog.component';
import { BulkChange, LeadBulkActions, MAX_BULK_IDS } from './lead-bulk-actions';
import { openMergeDialog } from './merge/merge-leads-dialog.component';
import {
  LEAD_COLUMNS,
  LeadColumn,
  customColumn,
  isCustomColumn,
  loadColumns,
  orderColumns,
  saveColumns,
} from './leads.columns';
import { formatCustomValue } from './fields/custom-fields';
import {
  DEFAULT_ORDER,
  FilterChip,
  LEAD_SORTS,
  LeadFilters,
  LeadSort,
  NO_FILTERS,
  SOURCE_LABELS,
  STATUS_LABELS,
  filterChips,
  filtersFromLink,
  isFiltered,
  leadFilter,
  leadName,
  sameLeadFilter,
  withoutChip,
} from './leads.query';
import { LeadsStore } from './leads.store';

/** Waits this long after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 300;

/** Height of the shell's top bar: the lead sheet opens below it. */
const TOOLBAR_HEIGHT_PX = 64;

@Component({
  selector: 'app-leads-page',
  imports: [
    InZonePipe,
    LeadFilterPanelComponent,
    LeadScoreComponent,
    LeadSelectionToolbarComponent,
    LeadStatusChipComponent,
    LeadsTransferActionsComponent,
    LoadMoreComponent,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSidenavModule,
    MatSortModule,
    MatTableModule,
    MatTooltipModule,
    ReactiveFormsModule,
    RelativeTimePipe,
    RouterLink,
    RouterOutlet,
    TaskProgressComponent,
  ],
  providers: [LeadsStore, LeadBulkActions, TaskWatcher],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './leads-page.component.html',
  styleUrl: './leads-page.component.scss',
})
export class LeadsPageComponent implements OnInit {
  protected readonly store = inject(LeadsStore);
  protected readonly definitions = inject(LeadFieldDefinitions);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);
  private readonly storage = storageOf(this.document.defaultView);
  private readonly sheet = viewChild<string, ElementRef<HTMLElement>>('sheet', { read: ElementRef });

  protected readonly list = this.store.list;
  protected readonly filters = this.store.filters;
  protected readonly order = this.store.order;
  protected readonly me = this.auth.user;
  protected readonly canWrite = computed(() => this.auth.permissions().has('leads:write'));
  protected readonly canDelete = computed(() => this.auth.permissions().has('leads:delete'));
  protected readonly canImport = computed(() => this.auth.permissions().has('leads:import'));
  protected readonly canExport = computed(() => this.auth.permissions().has('leads:export'));
  protected readonly canListUsers = computed(() => this.auth.permissions().has('users:read'));
  protected readonly canSelect = computed(() =>
    this.filters().deleted ? this.canDelete() : this.canWrite() || this.canDelete(),
  );

  protected readonly toolbarHeight = TOOLBAR_HEIGHT_PX;

  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly filtersOpen = signal(false);
  protected readonly drawerOpen = signal(false);
  protected readonly openLeadId = signal<string | null>(null);
  protected readonly working = signal(false);
  /** The last bulk change that runs as a background task; the list reloads when it ends. */
  protected readonly bulkTask = inject(TaskWatcher);
  protected readonly bulkTaskDismissed = signal<string | null>(null);
  protected readonly shownBulkTask = computed(() => {
    const task = this.bulkTask.task();
    return task && task.id !== this.bulkTaskDismissed() ? task : null;
  });
  protected readonly canMerge = computed(() => this.canWrite() && this.canDelete());

  /** The standard columns, then one per custom field. */
  protected readonly allColumns = computed<{ id: LeadColumn; label: string }[]>(() => [
    ...LEAD_COLUMNS,
    ...this.definitions.fields().map((field) => ({ id: customColumn(field.key), label: field.label })),
  ]);
  protected readonly customFieldColumns = computed(() =>
    this.definitions.fields().map((field) => ({ id: customColumn(field.key), field })),
  );
  protected readonly columns = signal<LeadColumn[]>(loadColumns(this.storage));
  protected readonly displayedColumns = computed(() => [
    ...(this.canSelect() ? ['select'] : []),
    'name',
    // A custom column shows once its field is known (and not after the field is deleted).
    ...this.columns().filter((column) => !isCustomColumn(column) || this.definitions.byKey().has(column.slice(7))),
    ...(this.filters().deleted ? ['deletedAt'] : []),
  ]);

  protected readonly statusLabels = STATUS_LABELS;
  protected readonly chips = computed(() => filterChips(this.filters(), (id) => this.store.ownerName(id)));
  protected readonly filtered = computed(() => isFiltered(this.filters()));
  /** Filters set in the panel (search has its own box). */
  protected readonly panelFilterCount = computed(() => this.chips().filter((chip) => chip.key !== 'q').length);
  protected readonly exportFilter = computed(() => leadFilter(this.filters(), this.store.timeZone()));
  protected readonly countLabel = computed(() => {
    const count = this.store.count();
    if (count === null) {
      return '';
    }
    const noun = this.filters().deleted
      ? count === 1
        ? 'deleted lead'
        : 'deleted leads'
      : count === 1
        ? 'lead'
        : 'leads';
    return `${count.toLocaleString()} ${noun}`;
  });

  constructor() {
    this.search.valueChanges
      .pipe(
        map((value) => value.trim()),
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        takeUntilDestroyed(),
      )
      .subscribe((q) => {
        if (q !== this.filters().q.trim()) {
          void this.store.patchFilters({ q });
        }
      });
    // The open lead is highlighted in the list; /leads/a -> /leads/b keeps the same drawer component.
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.openLeadId.set(this.childLeadId()));
    // A bulk task that ends: the list shows its result.
    effect(() => {
      if (this.bulkTask.finished()) {
        untracked(() => void this.store.refresh());
      }
    });
    // A view applied or a chip removed: the search box shows the search in effect.
    effect(() => {
      const q = this.filters().q;
      untracked(() => {
        if (this.search.value.trim() !== q.trim()) {
          this.search.setValue(q, { emitEvent: false });
        }
      });
    });
  }

  ngOnInit(): void {
    // /leads?tag=a&source=import (e.g. "View imported leads" of the import wizard) opens filtered.
    void this.store.load(filtersFromLink(this.route.snapshot.queryParamMap) ?? undefined);
    void this.definitions.load();
  }

  // Drawer ------------------------------------------------------------------------------

  protected onDrawerActivate(): void {
    this.drawerOpen.set(true);
    this.openLeadId.set(this.childLeadId());
    // Into the sheet at once, not at the end of its animation: Escape must close it from the start.
    afterNextRender(() => this.focusSheet(), { injector: this.injector });
  }

  private childLeadId(): string | null {
    return this.route.firstChild?.snapshot.paramMap.get('id') ?? null;
  }

  protected onDrawerDeactivate(): void {
    this.drawerOpen.set(false);
    this.openLeadId.set(null);
  }

  /**
   * Keyboard focus belongs in the open sheet (Escape closes it from there). The sheet takes it
   * when it opens, but a dialog that just closed (New lead) may hand it back to its button.
   */
  protected onDrawerOpened(opened: boolean): void {
    if (opened) {
      this.focusSheet();
    }
  }

  private focusSheet(): void {
    const sheet = this.sheet()?.nativeElement;
    if (sheet && !sheet.contains(this.document.activeElement)) {
      sheet.querySelector<HTMLElement>('h2[tabindex]')?.focus({ preventScroll: true });
    }
  }

  /** Escape or a click beside the sheet: back to the list's address. */
  protected onDrawerClosing(): void {
    if (this.route.firstChild) {
      void this.router.navigate(['.'], { relativeTo: this.route });
    }
  }

  // Filters, search, order ---------------------------------------------------------------

  protected setFilters(filters: LeadFilters): void {
    if (!sameLeadFilter(filters, this.filters())) {
      void this.store.setFilters(filters);
    }
  }

  protected removeChip(chip: FilterChip): void {
    void this.store.setFilters(withoutChip(this.filters(), chip));
  }

  protected clearFilters(): void {
    void this.store.setFilters({ ...NO_FILTERS, deleted: this.filters().deleted });
  }

  protected clearSearch(): void {
    this.search.setValue('', { emitEvent: false });
    void this.store.patchFilters({ q: '' });
  }

  protected showDeleted(deleted: boolean): void {
    if (deleted !== this.filters().deleted) {
      void this.store.patchFilters({ deleted });
    }
  }

  protected sortChange(sort: Sort): void {
    const active = sort.active as LeadSort;
    if (!LEAD_SORTS.includes(active)) {
      return;
    }
    void this.store.setOrder(sort.direction ? { sort: active, order: sort.direction } : DEFAULT_ORDER);
  }

  // Columns -----------------------------------------------------------------------------

  protected hasColumn(column: LeadColumn): boolean {
    return this.columns().includes(column);
  }

  protected toggleColumn(column: LeadColumn): void {
    const next = this.hasColumn(column)
      ? this.columns().filter((existing) => existing !== column)
      : orderColumns(
          [...this.columns(), column],
          this.definitions.fields().map((field) => field.key),
        );
    this.columns.set(next);
    saveColumns(this.storage, next);
  }

  // Views -------------------------------------------------------------------------------

  protected applyView(view: SavedViewDto): void {
    void this.store.applyView(view);
  }

  protected async saveView(): Promise<void> {
    const ref = this.dialog.open<SaveViewDialogComponent, SaveViewDialogData, SavedViewDto>(SaveViewDialogComponent, {
      data: {
        summary: this.chips().map((chip) => chip.label),
        save: (name, shared) => this.store.saveView(name, shared),
      },
    });
    const view = await firstValueFrom(ref.afterClosed());
    if (view) {
      this.notify(`View “${view.name}” saved${view.shared ? ' and shared' : ''}`);
    }
  }

  protected async deleteView(view: SavedViewDto): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete the view “${view.name}”?`,
      message: view.shared
        ? 'It disappears for everyone in the organization. The leads stay as they are.'
        : 'The leads stay as they are.',
      confirmLabel: 'Delete view',
      destructive: true,
    });
    if (!confirmed) {
      return;
    }
    try {
      await this.store.deleteView(view.id);
      this.notify(`View “${view.name}” deleted`);
    } catch (error: unknown) {
      this.notify(`Could not delete the view: ${toApiProblem(error).detail}`);
    }
  }

  // Leads -------------------------------------------------------------------------------

  protected customValue(lead: LeadDto, field: LeadFieldDto): string {
    return formatCustomValue(field, lead.customFields?.[field.key]) || '—';
  }

  protected sourceLabel(lead: LeadDto): string {
    return SOURCE_LABELS[lead.source] ?? lead.source;
  }

  protected name(lead: LeadDto): string {
    return leadName(lead);
  }

  protected initials(lead: LeadDto): string {
    return initials([lead.firstName, lead.lastName].filter(Boolean).join(' '), lead.email ?? lead.company);
  }

  protected async createLead(): Promise<void> {
    // Focus goes back to the button on Cancel only: a created lead opens in the sheet, which takes it.
    const opener = this.document.activeElement instanceof HTMLElement ? this.document.activeElement : null;
    const ref = this.dialog.open<CreateLeadDialogComponent, CreateLeadDialogData, LeadDto>(CreateLeadDialogComponent, {
      data: {
        owners: this.store.owners(),
        customFields: this.definitions.fields(),
        canListUsers: this.canListUsers(),
        save: (body) => this.store.create(body),
      },
      width: '640px',
      maxWidth: '95vw',
      autoFocus: 'first-tabbable',
      restoreFocus: false,
    });
    const lead = await firstValueFrom(ref.afterClosed());
    if (!lead) {
      opener?.focus();
    } else {
      this.notify(`${leadName(lead)} was added`);
      void this.router.navigate([lead.id], { relativeTo: this.route });
    }
  }

  // Selection ---------------------------------------------------------------------------

  /** "3 leads", "All 1,204 leads matching": whom an action is about, in words. */
  private selectionLabel(): string {
    const label = plural(this.store.selectionCount(), 'lead');
    return this.store.allMatching() ? `all ${label} matching` : label;
  }

  protected setStatusOfSelected(status: LeadStatus): Promise<void> {
    return this.runBulk({ action: 'set_status', status }, `moved to ${STATUS_LABELS[status]}`);
  }

  protected assignSelected(ownerId: string | null): Promise<void> {
    return this.runBulk(
      { action: 'assign', ownerId },
      ownerId ? `assigned to ${this.store.ownerName(ownerId)}` : 'unassigned',
    );
  }

  protected async tagSelected(mode: 'add' | 'remove'): Promise<void> {
    const selected = new Set(this.store.selectedIds());
    const pool = mode === 'add' ? this.list.items() : this.list.items().filter((lead) => selected.has(lead.id));
    const suggestions = [...new Set(pool.flatMap((lead) => lead.tags))].sort((a, b) => a.localeCompare(b));
    const ref = this.dialog.open<BulkTagsDialogComponent, BulkTagsDialogData, string[]>(BulkTagsDialogComponent, {
      data: { mode, target: this.selectionLabel(), suggestions },
      autoFocus: 'first-tabbable',
    });
    const tags = await firstValueFrom(ref.afterClosed());
    if (!tags || tags.length === 0) {
      return;
    }
    const list = tags.join(', ');
    await this.runBulk(
      { action: mode === 'add' ? 'add_tags' : 'remove_tags', tags },
      mode === 'add' ? `tagged ${list}` : `untagged ${list}`,
    );
  }

  protected async deleteSelected(): Promise<void> {
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete ${this.selectionLabel()}?`,
      message: 'They move to the recycle bin, where they can be restored.',
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (confirmed) {
      await this.runBulk({ action: 'delete' }, 'moved to the recycle bin');
    }
  }

  protected restoreSelected(): Promise<void> {
    return this.runBulk({ action: 'restore' }, 'restored');
  }

  /**
   * One bulk request. A small selection changes at once ("3 changed"); a large one or "all
   * matching" becomes a background task, followed in the panel at the bottom of the page.
   */
  private async runBulk(change: BulkChange, done: string): Promise<void> {
    if ('ids' in this.store.selection() && this.store.selectedIds().length > MAX_BULK_IDS) {
      this.notify(
        `Select at most ${MAX_BULK_IDS.toLocaleString()} leads by hand, or all the leads matching the filter`,
      );
      return;
    }
    this.working.set(true);
    try {
      const outcome = await this.store.runBulk(change);
      if (outcome.kind === 'task') {
        this.bulkTask.watch(outcome.task.id, outcome.task);
      } else {
        const unchanged = outcome.unchanged > 0 ? ` (${outcome.unchanged.toLocaleString()} unchanged)` : '';
        this.notify(`${plural(outcome.changed, 'lead')} ${done}${unchanged}`);
      }
    } catch (error: unknown) {
      this.notify(`Could not change the leads: ${toApiProblem(error).detail}`);
    } finally {
      this.working.set(false);
    }
  }

  protected readonly cancelBulkTask = (): Promise<void> => this.bulkTask.cancel();

  protected dismissBulkTask(): void {
    this.bulkTask.stop();
    this.bulkTaskDismissed.set(this.bulkTask.task()?.id ?? null);
  }

  // Merge -------------------------------------------------------------------------------

  protected async mergeSelected(): Promise<void> {
    const [first, second] = this.store.selectedIds();
    if (!first || !second) {
      return;
    }
    const result = await openMergeDialog(this.dialog, {
      survivorId: first,
      mergedId: second,
      ownerName: (id) => this.store.ownerName(id),
    });
    if (result) {
      this.store.clearSelection();
      void this.store.refresh();
      this.notify(`${leadName(result.merged)} was merged into ${leadName(result.survivor)}`);
      void this.router.navigate([result.survivor.id], { relativeTo: this.route });
    }
  }

  private notify(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 6000 });
  }
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;
}

function storageOf(window: Window | null): Storage | null {
  try {
    return window?.localStorage ?? null;
  } catch {
    return null;
  }
}
