import { ChangeDetectionStrategy, Component, effect, inject, input, output, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ChipListFieldComponent } from '../../../shared/chips/chip-list-field.component';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSliderModule } from '@angular/material/slider';
import { LeadSource, LeadStatus } from '@meridian/api-client';
import { debounceTime } from 'rxjs';

import { pickerDate, pickerDay } from '../../../shared/format/time-zone';
import { LEAD_SOURCES, LEAD_STATUSES, LeadFilters, SOURCE_LABELS, STATUS_LABELS } from '../leads.query';
import { OwnerOption } from '../leads.store';

type Either = 'any' | 'yes' | 'no';

function toEither(value: boolean | null): Either {
  return value === null ? 'any' : value ? 'yes' : 'no';
}

function fromEither(value: Either): boolean | null {
  return value === 'any' ? null : value === 'yes';
}

/** The filters of the leads list besides search: each change applies (the chips above show what is on). */
@Component({
  selector: 'app-lead-filter-panel',
  imports: [
    MatButtonModule,
    ChipListFieldComponent,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatSliderModule,
    ReactiveFormsModule,
  ],
  providers: [provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="panel" [formGroup]="form" aria-label="Filter the leads" data-testid="lead-filters">
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Status</mat-label>
        <mat-select formControlName="status" multiple data-testid="filter-status">
          @for (status of statuses; track status) {
            <mat-option [value]="status">{{ statusLabels[status] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Source</mat-label>
        <mat-select formControlName="source" multiple data-testid="filter-source">
          @for (source of sources; track source) {
            <mat-option [value]="source">{{ sourceLabels[source] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Owner</mat-label>
        <mat-select formControlName="ownerId" data-testid="filter-owner">
          <mat-option [value]="null">Anyone</mat-option>
          @for (owner of owners(); track owner.id) {
            <mat-option [value]="owner.id">{{ owner.id === meId() ? owner.name + ' (you)' : owner.name }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <app-chip-list-field
        class="tags"
        formControlName="tags"
        label="Tags"
        placeholder="Any tag"
        subscriptSizing="dynamic"
        inputTestId="filter-tag"
      />
      <div class="score" role="group" aria-labelledby="score-label">
        <span id="score-label" class="score-label">
          Score
          <span class="score-range">{{ scoreLabel() }}</span>
        </span>
        <mat-slider min="0" max="100" step="5" discrete>
          <input
            matSliderStartThumb
            formControlName="scoreMin"
            aria-label="Lowest score"
            data-testid="filter-score-min"
          />
          <input
            matSliderEndThumb
            formControlName="scoreMax"
            aria-label="Highest score"
            data-testid="filter-score-max"
          />
        </mat-slider>
      </div>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Email</mat-label>
        <mat-select formControlName="hasEmail" data-testid="filter-has-email">
          <mat-option value="any">With or without</mat-option>
          <mat-option value="yes">Has an email</mat-option>
          <mat-option value="no">No email</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Phone</mat-label>
        <mat-select formControlName="hasPhone" data-testid="filter-has-phone">
          <mat-option value="any">With or without</mat-option>
          <mat-option value="yes">Has a phone</mat-option>
          <mat-option value="no">No phone</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>Email consent</mat-label>
        <mat-select formControlName="emailConsent" data-testid="filter-consent">
          <mat-option value="any">Either</mat-option>
          <mat-option value="yes">Consented, subscribed</mat-option>
          <mat-option value="no">No consent or unsubscribed</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field class="created" appearance="outline" subscriptSizing="dynamic">
        <mat-label>Created</mat-label>
        <mat-date-range-input [rangePicker]="range">
          <input matStartDate formControlName="createdFrom" placeholder="From" data-testid="filter-created-from" />
          <input matEndDate formControlName="createdTo" placeholder="To" data-testid="filter-created-to" />
        </mat-date-range-input>
        <mat-datepicker-toggle matIconSuffix [for]="range" />
        <mat-date-range-picker #range />
        <mat-hint data-testid="filter-created-zone">Days in {{ timeZone() }}</mat-hint>
      </mat-form-field>
    </form>
  `,
  styles: `
    :host {
      display: block;
    }
    .panel {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 12px;
      padding: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-large);
      background: var(--mat-sys-surface-container-low);
    }
    /* Two dates side by side need more than one column to be read in full. */
    .tags,
    .created {
      grid-column: span 2;
    }
    .score {
      display: flex;
      flex-direction: column;
      justify-content: center;
      min-height: 56px;
      padding: 0 12px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: var(--mat-sys-corner-extra-small);
      box-sizing: border-box;
    }
    .score-label {
      display: flex;
      justify-content: space-between;
      padding-top: 6px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .score-range {
      color: var(--mat-sys-on-surface);
      font-variant-numeric: tabular-nums;
    }
    mat-slider {
      margin: -6px 0 -4px;
    }
    @media (max-width: 599.98px) {
      .panel {
        grid-template-columns: 1fr;
        padding: 12px;
      }
      .tags,
      .created {
        grid-column: auto;
      }
    }
  `,
})
export class LeadFilterPanelComponent {
  readonly filters = input.required<LeadFilters>();
  readonly owners = input<readonly OwnerOption[]>([]);
  readonly meId = input<string | null>(null);
  /** The organization's time zone, whose days the created filter picks. */
  readonly timeZone = input('UTC');
  readonly filtersChange = output<LeadFilters>();

  protected readonly statuses = LEAD_STATUSES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly sources = LEAD_SOURCES;
  protected readonly sourceLabels = SOURCE_LABELS;

  private readonly fb = inject(FormBuilder);
  protected readonly form = this.fb.group({
    status: this.fb.nonNullable.control<LeadStatus[]>([]),
    source: this.fb.nonNullable.control<LeadSource[]>([]),
    ownerId: this.fb.control<string | null>(null),
    tags: this.fb.nonNullable.control<string[]>([]),
    scoreMin: this.fb.nonNullable.control(0),
    scoreMax: this.fb.nonNullable.control(100),
    hasEmail: this.fb.nonNullable.control<Either>('any'),
    hasPhone: this.fb.nonNullable.control<Either>('any'),
    emailConsent: this.fb.nonNullable.control<Either>('any'),
    createdFrom: this.fb.control<Date | null>(null),
    createdTo: this.fb.control<Date | null>(null),
  });

  protected scoreLabel(): string {
    const { scoreMin, scoreMax } = this.form.getRawValue();
    return scoreMin <= 0 && scoreMax >= 100 ? 'Any' : `${scoreMin}–${scoreMax}`;
  }

  constructor() {
    // The page's filters (a removed chip, an applied view) show here without echoing back.
    effect(() => {
      const filters = this.filters();
      untracked(() => this.show(filters));
    });
    this.form.valueChanges.pipe(debounceTime(250), takeUntilDestroyed()).subscribe(() => this.emit());
  }

  private show(filters: LeadFilters): void {
    this.form.setValue(
      {
        status: [...filters.status],
        source: [...filters.source],
        ownerId: filters.ownerId,
        tags: [...filters.tags],
        scoreMin: filters.scoreMin ?? 0,
        scoreMax: filters.scoreMax ?? 100,
        hasEmail: toEither(filters.hasEmail),
        hasPhone: toEither(filters.hasPhone),
        emailConsent: toEither(filters.emailConsent),
        // The picker shows a day as a local midnight; the filter keeps the day itself.
        createdFrom: pickerDate(filters.createdFrom),
        createdTo: pickerDate(filters.createdTo),
      },
      { emitEvent: false },
    );
  }

  private emit(): void {
    const value = this.form.getRawValue();
    // A date still being typed (not a date yet) waits.
    if (this.form.controls.createdFrom.invalid || this.form.controls.createdTo.invalid) {
      return;
    }
    this.filtersChange.emit({
      ...this.filters(),
      status: value.status,
      source: value.source,
      ownerId: value.ownerId,
      tags: value.tags,
      scoreMin: value.scoreMin > 0 ? value.scoreMin : null,
      scoreMax: value.scoreMax < 100 ? value.scoreMax : null,
      hasEmail: fromEither(value.hasEmail),
      hasPhone: fromEither(value.hasPhone),
      emailConsent: fromEither(value.emailConsent),
      createdFrom: pickerDay(value.createdFrom),
      createdTo: pickerDay(value.createdTo),
    });
  }
}
