import { COMMA, ENTER } from '@angular/cdk/keycodes';
import { ChangeDetectionStrategy, Component, forwardRef, input, model, signal } from '@angular/core';
import { ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';

/** A list of short texts (tags, options): trimmed, cut at `maxLength`, each once whatever its case, in the order given. */
export function addChip(values: readonly string[], input: string, maxLength: number): string[] {
  const value = input.trim().slice(0, maxLength);
  if (!value || values.some((existing) => existing.toLowerCase() === value.toLowerCase())) {
    return [...values];
  }
  return [...values, value];
}

/**
 * A form field of chips typed one by one (Enter or comma after each): tags,
 * choice options. Use it with a form control (`formControlName`) or a signal
 * (`[(values)]`). `error` puts the field in its error state with that message.
 */
@Component({
  selector: 'app-chip-list-field',
  imports: [MatChipsModule, MatFormFieldModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => ChipListFieldComponent), multi: true }],
  template: `
    <mat-form-field appearance="outline" [subscriptSizing]="subscriptSizing()">
      <mat-label>{{ label() }}</mat-label>
      <mat-chip-grid #grid [attr.aria-label]="label()" [disabled]="disabled()" [errorStateMatcher]="errorState">
        @for (value of values(); track value) {
          <mat-chip-row (removed)="remove(value)" [editable]="false">
            {{ value }}
            <button matChipRemove type="button" [attr.aria-label]="'Remove ' + value">
              <mat-icon svgIcon="close" aria-hidden="true" />
            </button>
          </mat-chip-row>
        }
        <input
          [placeholder]="placeholder()"
          [matChipInputFor]="grid"
          [matChipInputSeparatorKeyCodes]="separators"
          [matChipInputAddOnBlur]="true"
          (matChipInputTokenEnd)="add($event)"
          (blur)="touched()"
          [attr.maxlength]="maxLength()"
          [attr.data-testid]="inputTestId()"
        />
      </mat-chip-grid>
      @if (hint()) {
        <mat-hint>{{ hint() }}</mat-hint>
      }
      @if (error()) {
        <mat-error>{{ error() }}</mat-error>
      }
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      width: 100%;
    }
  `,
})
export class ChipListFieldComponent implements ControlValueAccessor {
  readonly label = input.required<string>();
  readonly placeholder = input('');
  readonly hint = input<string | null>(null);
  readonly error = input<string | null>(null);
  readonly maxLength = input(50);
  readonly subscriptSizing = input<'fixed' | 'dynamic'>('fixed');
  readonly inputTestId = input<string | null>(null);
  readonly values = model<string[]>([]);

  protected readonly separators = [ENTER, COMMA] as const;
  protected readonly disabled = signal(false);
  protected readonly errorState: ErrorStateMatcher = { isErrorState: () => !!this.error() };
  private onChange: (values: string[]) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  protected add(event: MatChipInputEvent): void {
    const next = addChip(this.values(), event.value, this.maxLength());
    if (next.length !== this.values().length) {
      this.set(next);
    }
    event.chipInput.clear();
  }

  protected remove(value: string): void {
    this.set(this.values().filter((existing) => existing !== value));
  }

  protected touched(): void {
    this.onTouched();
  }

  writeValue(values: string[] | null): void {
    this.values.set(values ?? []);
  }

  registerOnChange(fn: (values: string[]) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }

  private set(values: string[]): void {
    this.values.set(values);
    this.onChange(values);
  }
}
