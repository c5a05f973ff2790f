import { DatePipe, KeyValuePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';

import {
  ACTOR_TYPES,
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  actionLabel,
  entityLabel,
  summarizeChanges,
} from './audit.presentation';
import { AuditStore, NO_FILTERS } from './audit.store';
import { LoadMoreComponent } from '../../shared/list/load-more.component';

const COLUMNS = ['time', 'actor', 'action', 'entity', 'changes', 'origin'];

/** Keeps the API's order (the records above are written in a sensible one). */
const keepOrder = (): number => 0;

@Component({
  selector: 'app-audit-page',
  imports: [
    LoadMoreComponent,
    DatePipe,
    KeyValuePipe,
    MatButtonModule,
    MatCardModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    ReactiveFormsModule,
  ],
  providers: [AuditStore, provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit-page.component.html',
  styleUrl: './audit-page.component.scss',
})
export class AuditPageComponent implements OnInit {
  private readonly store = inject(AuditStore);
  private readonly fb = inject(FormBuilder);

  protected readonly list = this.store.list;
  protected readonly columns = COLUMNS;
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly entityTypes = AUDIT_ENTITY_TYPES;
  protected readonly keepOrder = keepOrder;
  protected readonly filtered = computed(() => {
    const filters = this.store.filters();
    return !!(filters.action || filters.entityType || filters.from || filters.to);
  });

  protected readonly filters = this.fb.group({
    action: this.fb.control<string | null>(null),
    entityType: this.fb.control<string | null>(null),
    from: this.fb.control<Date | null>(null),
    to: this.fb.control<Date | null>(null),
  });

  protected readonly rows = computed(() =>
    this.list.items().map((event) => ({
      event,
      action: actionLabel(event.action),
      entity: entityLabel(event.entityType),
      actorType: ACTOR_TYPES[event.actorType] ?? event.actorType,
      changes: summarizeChanges(event.changes),
    })),
  );

  constructor() {
    this.filters.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => {
      // Each change reloads; the answer of a superseded query is dropped by the list.
      const { action, entityType, from, to } = this.filters.getRawValue();
      void this.store.setFilters({ action, entityType, from, to });
    });
  }

  ngOnInit(): void {
    void this.list.reload();
  }

  protected clearFilters(): void {
    this.filters.reset(NO_FILTERS, { emitEvent: false });
    void this.store.setFilters(NO_FILTERS);
  }

  protected shortId(id: string | null): string {
    return id ? id.slice(0, 8) : '—';
  }
}
