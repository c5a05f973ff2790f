import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatChipsModule } from '@angular/material/chips';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';

import { ChipListFieldComponent, addChip } from '../../../shared/chips/chip-list-field.component';

export interface BulkTagsDialogData {
  mode: 'add' | 'remove';
  /** "3 leads", "All 1,204 leads matching". */
  target: string;
  /** Tags offered with one click (the tags of the selected leads on screen). */
  suggestions: readonly string[];
}

/** Which tags to add to (or remove from) the selected leads. Closes with the tags, or nothing. */
@Component({
  selector: 'app-bulk-tags-dialog',
  imports: [MatButtonModule, ChipListFieldComponent, MatChipsModule, MatDialogModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.mode === 'add' ? 'Add tags' : 'Remove tags' }}</h2>
    <mat-dialog-content>
      <p class="target">{{ data.mode === 'add' ? 'To' : 'From' }} {{ data.target }}.</p>
      <app-chip-list-field
        class="field"
        label="Tags"
        placeholder="Type a tag, then Enter"
        [(values)]="tags"
        inputTestId="bulk-tag-input"
      />
      @if (offered().length > 0) {
        <div class="suggestions">
          <span class="label">{{ data.mode === 'add' ? 'In use here:' : 'On the selected leads:' }}</span>
          <mat-chip-set aria-label="Suggested tags">
            @for (tag of offered(); track tag) {
              <mat-chip (click)="pick(tag)" class="suggestion">{{ tag }}</mat-chip>
            }
          </mat-chip-set>
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button
        mat-flat-button
        type="button"
        [disabled]="tags().length === 0"
        (click)="ref.close(tags())"
        data-testid="bulk-tags-submit"
      >
        {{ data.mode === 'add' ? 'Add' : 'Remove' }} {{ tags().length === 1 ? 'tag' : 'tags' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .target {
      margin: 0 0 12px;
    }
    .field {
      width: min(440px, 80vw);
    }
    .suggestions {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .label {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-medium);
    }
    .suggestion {
      cursor: pointer;
    }
  `,
})
export class BulkTagsDialogComponent {
  protected readonly data = inject<BulkTagsDialogData>(MAT_DIALOG_DATA);
  protected readonly ref = inject<MatDialogRef<BulkTagsDialogComponent, string[]>>(MatDialogRef);
  protected readonly tags = signal<string[]>([]);
  protected readonly offered = computed(() => {
    const chosen = new Set(this.tags().map((tag) => tag.toLowerCase()));
    return this.data.suggestions.filter((tag) => !chosen.has(tag.toLowerCase())).slice(0, 20);
  });

  protected pick(tag: string): void {
    this.tags.update((tags) => addChip(tags, tag, 50));
  }
}
