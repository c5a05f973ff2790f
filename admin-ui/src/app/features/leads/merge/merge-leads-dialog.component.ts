import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  ApiConfiguration,
  LeadDto,
  MergeFieldDto,
  MergePreviewDto,
  MergeResultDto,
  mergeLeads,
  previewLeadMerge,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { LeadFieldDefinitions } from '../fields/lead-field-definitions';
import { leadName } from '../leads.query';
import {
  CHOICE_LABELS,
  MergeChoice,
  MergeOverrides,
  formatMergeValue,
  mergeBody,
  mergeFieldLabel,
  swapOverrides,
  withChoice,
} from './lead-merge';

export interface MergeLeadsDialogData {
  /** Proposed survivor (the lead that stays). */
  survivorId: string;
  mergedId: string;
  ownerName: (id: string | null) => string;
}

/** Opens the merge dialog; resolves with the merge's answer, or undefined when cancelled. */
export async function openMergeDialog(
  dialog: MatDialog,
  data: MergeLeadsDialogData,
): Promise<MergeResultDto | undefined> {
  const ref = dialog.open<MergeLeadsDialogComponent, MergeLeadsDialogData, MergeResultDto>(MergeLeadsDialogComponent, {
    data,
    width: '920px',
    maxWidth: '96vw',
    autoFocus: 'dialog',
  });
  return firstValueFrom(ref.afterClosed());
}

/**
 * Merging two leads: which one stays (swap), a field-by-field preview from the API with a
 * choice where the API allows one, the number of timeline entries that move, then the merge.
 */
@Component({
  selector: 'app-merge-leads-dialog',
  imports: [MatButtonModule, MatDialogModule, MatIconModule, MatProgressBarModule, MatRadioModule, MatTooltipModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Merge two leads</h2>
    <mat-dialog-content>
      @let p = preview();
      <div class="sides">
        <div class="side keep" data-testid="merge-survivor">
          <span class="side-label">Stays</span>
          <span class="side-name">{{ p ? name(p.survivor) : '…' }}</span>
          <span class="side-sub">{{ p?.survivor?.email ?? '' }}</span>
        </div>
        <button
          mat-icon-button
          type="button"
          (click)="swap()"
          [disabled]="busy()"
          matTooltip="Keep the other lead instead"
          aria-label="Swap: keep the other lead instead"
          data-testid="merge-swap"
        >
          <mat-icon svgIcon="swap_horiz" aria-hidden="true" />
        </button>
        <div class="side gone" data-testid="merge-merged">
          <span class="side-label">Merged into it, then deleted</span>
          <span class="side-name">{{ p ? name(p.merged) : '…' }}</span>
          <span class="side-sub">{{ p?.merged?.email ?? '' }}</span>
        </div>
      </div>

      <div class="progress-slot">
        @if (loading()) {
          <mat-progress-bar mode="indeterminate" aria-label="Loading the preview" />
        }
      </div>

      @if (problem(); as problem) {
        <div class="app-form-error" role="alert" data-testid="merge-error">
          <mat-icon svgIcon="error" aria-hidden="true" />
          <span>{{ problemText(problem) }}</span>
        </div>
      }

      @if (p) {
        <table class="fields" data-testid="merge-fields">
          <caption class="sr-only">
            Values of the two leads, and what the kept lead will have
          </caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Kept lead</th>
              <th scope="col">Other lead</th>
              <th scope="col">Keep</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            @for (row of p.fields; track row.field) {
              <tr [class.changed]="row.changed" [attr.data-field]="row.field">
                <th scope="row">{{ label(row.field) }}</th>
                <td [class.picked]="row.from !== 'merged'">{{ value(row, row.survivorValue) }}</td>
                <td [class.picked]="row.from !== 'survivor'">{{ value(row, row.mergedValue) }}</td>
                <td>
                  @if (row.choices.length > 0) {
                    <mat-radio-group
                      [value]="row.from"
                      (change)="choose(row, $event.value)"
                      [disabled]="busy()"
                      [attr.aria-label]="'Which ' + label(row.field) + ' to keep'"
                      class="choices"
                    >
                      @for (choice of row.choices; track choice) {
                        <mat-radio-button [value]="choice" [attr.data-choice]="choice">{{
                          choiceLabels[choice]
                        }}</mat-radio-button>
                      }
                    </mat-radio-group>
                  } @else {
                    <span class="rule" [matTooltip]="ruleText(row)">{{ ruleShort(row) }}</span>
                  }
                </td>
                <td class="result">
                  {{ value(row, row.result) }}
                  @if (row.changed) {
                    <span class="sr-only">(changes)</span>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
        <p class="moves" data-testid="merge-moves">
          <mat-icon svgIcon="history" aria-hidden="true" />
          {{ movesText() }} The other lead goes to the recycle bin, marked as merged; it cannot be restored.
        </p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="merge()" [disabled]="!p || busy()" data-testid="merge-confirm">
        {{ merging() ? 'Merging…' : 'Merge leads' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .sides {
      display: grid;
      grid-template-columns: 1fr auto 1fr;
      align-items: center;
      gap: 12px;
    }
    .side {
      display: flex;
      flex-direction: column;
      min-width: 0;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-medium);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .keep {
      border-color: var(--mat-sys-primary);
      background: color-mix(in srgb, var(--mat-sys-primary) 8%, transparent);
    }
    .side-label {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-medium);
    }
    .side-name {
      font: var(--mat-sys-title-medium);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .side-sub {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .progress-slot {
      height: 4px;
      margin: 12px 0 8px;
    }
    .fields {
      width: 100%;
      border-collapse: collapse;
      font: var(--mat-sys-body-medium);
    }
    .fields th,
    .fields td {
      padding: 6px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      text-align: left;
      vertical-align: middle;
      overflow-wrap: anywhere;
    }
    .fields thead th {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-medium);
    }
    .fields tbody th {
      font: var(--mat-sys-title-small);
      white-space: nowrap;
    }
    .fields td:not(.picked):not(.result) {
      color: var(--mat-sys-on-surface-variant);
    }
    tr.changed {
      background: color-mix(in srgb, var(--mat-sys-tertiary) 12%, transparent);
    }
    tr.changed .result {
      font-weight: 600;
    }
    .choices {
      display: flex;
      flex-wrap: wrap;
    }
    .rule {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .moves {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 12px 0 0;
      font: var(--mat-sys-body-medium);
    }
    @media (max-width: 599.98px) {
      .sides {
        grid-template-columns: 1fr;
      }
    }
  `,
})
export class MergeLeadsDialogComponent implements OnInit {
  protected readonly data = inject<MergeLeadsDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<MergeLeadsDialogComponent, MergeResultDto>>(MatDialogRef);
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly definitions = inject(LeadFieldDefinitions);

  private readonly survivorId = signal(this.data.survivorId);
  private readonly mergedId = signal(this.data.mergedId);
  private readonly overrides = signal<MergeOverrides>({});
  private generation = 0;

  protected readonly preview = signal<MergePreviewDto | null>(null);
  protected readonly loading = signal(false);
  protected readonly merging = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = computed(() => this.loading() || this.merging());
  protected readonly choiceLabels = CHOICE_LABELS;
  protected readonly movesText = computed(() => {
    const count = this.preview()?.activitiesToMove ?? 0;
    return count === 0
      ? 'No timeline entry moves.'
      : count === 1
        ? '1 timeline entry will move to the kept lead.'
        : `${count.toLocaleString()} timeline entries will move to the kept lead.`;
  });

  ngOnInit(): void {
    if (!this.definitions.loaded()) {
      void this.definitions.load();
    }
    void this.refresh();
  }

  protected name(lead: LeadDto): string {
    return leadName(lead);
  }

  protected label(field: string): string {
    return mergeFieldLabel(field, this.definitions.byKey());
  }

  protected value(row: MergeFieldDto, value: MergeFieldDto['result']): string {
    return formatMergeValue(row.field, value, this.data.ownerName, this.definitions.byKey());
  }

  protected ruleShort(row: MergeFieldDto): string {
    if (row.from === 'both') {
      return 'Both';
    }
    return row.from === 'survivor' ? 'Kept lead' : 'Other lead';
  }

  protected ruleText(row: MergeFieldDto): string {
    switch (row.rule) {
      case 'follows_email':
        return 'Goes with the email that is kept';
      case 'follows_phone':
        return 'Goes with the phone number that is kept';
      case 'earliest':
        return 'The earlier of the two: an unsubscribe is never undone';
      case 'highest':
        return 'The higher of the two (recomputed anyway)';
      default:
        return 'Decided by a rule';
    }
  }

  protected problemText(problem: ApiProblem): string {
    switch (problem.code) {
      case 'lead_deleted':
        return 'One of the leads is in the recycle bin: restore it first.';
      case 'lead_merged':
        return 'One of the leads has already been merged into another lead.';
      default:
        return problem.detail || problem.title;
    }
  }

  protected swap(): void {
    const survivor = this.survivorId();
    this.survivorId.set(this.mergedId());
    this.mergedId.set(survivor);
    this.overrides.update(swapOverrides);
    void this.refresh();
  }

  protected choose(row: MergeFieldDto, choice: MergeChoice): void {
    this.overrides.update((overrides) => withChoice(overrides, row, choice));
    void this.refresh();
  }

  protected async merge(): Promise<void> {
    this.merging.set(true);
    this.problem.set(null);
    try {
      const result = await firstValueFrom(
        mergeLeads(this.http, this.apiConfig.rootUrl, { body: this.body() }).pipe(map((response) => response.body)),
      );
      this.ref.close(result);
    } catch (error: unknown) {
      this.problem.set(toApiProblem(error));
    } finally {
      this.merging.set(false);
    }
  }

  private body() {
    return mergeBody(this.survivorId(), this.mergedId(), this.overrides());
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.problem.set(null);
    try {
      const preview = await firstValueFrom(
        previewLeadMerge(this.http, this.apiConfig.rootUrl, { body: this.body() }).pipe(
          map((response) => response.body),
        ),
      );
      if (generation === this.generation) {
        this.preview.set(preview);
      }
    } catch (error: unknown) {
      if (generation === this.generation) {
        this.problem.set(toApiProblem(error));
      }
    } finally {
      if (generation === this.generation) {
        this.loading.set(false);
      }
    }
  }
}
