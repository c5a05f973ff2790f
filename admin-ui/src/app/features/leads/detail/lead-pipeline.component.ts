import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { LeadStatus } from '@meridian/api-client';

import { STATUS_LABELS } from '../leads.query';

const STEPS: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'converted'];

/** The pipeline new → contacted → qualified → converted, or lost: one click moves the lead to a step. */
@Component({
  selector: 'app-lead-pipeline',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ol class="steps" aria-label="Pipeline">
      @for (step of steps; track step; let i = $index) {
        <li>
          <button
            type="button"
            class="step"
            [class.done]="i < position()"
            [class.current]="step === status()"
            [attr.aria-current]="step === status() ? 'step' : null"
            [attr.aria-label]="label(step)"
            [disabled]="disabled() || step === status()"
            (click)="statusChange.emit(step)"
            [attr.data-step]="step"
          >
            @if (i < position() || (step === 'converted' && step === status())) {
              <mat-icon svgIcon="check" aria-hidden="true" />
            }
            <span>{{ labels[step] }}</span>
          </button>
        </li>
      }
    </ol>
    <button
      type="button"
      class="step lost"
      [class.current]="status() === 'lost'"
      [attr.aria-current]="status() === 'lost' ? 'step' : null"
      [attr.aria-label]="label('lost')"
      [disabled]="disabled() || status() === 'lost'"
      (click)="statusChange.emit('lost')"
      data-step="lost"
    >
      <mat-icon svgIcon="block" aria-hidden="true" />
      <span>Lost</span>
    </button>
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      container-type: inline-size;
    }
    .steps {
      display: flex;
      flex: 1 1 auto;
      min-width: 0;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      flex: 1 1 0;
      min-width: 0;
    }
    .step {
      display: inline-flex;
      flex: 1 1 auto;
      align-items: center;
      justify-content: center;
      gap: 4px;
      min-width: 0;
      height: 36px;
      padding: 0 10px 0 18px;
      border: 0;
      color: var(--mat-sys-on-surface-variant);
      background: var(--mat-sys-surface-container-highest);
      font: var(--mat-sys-label-large);
      white-space: nowrap;
      cursor: pointer;
      clip-path: polygon(0 0, calc(100% - 10px) 0, 100% 50%, calc(100% - 10px) 100%, 0 100%, 10px 50%);
      transition: background-color 120ms ease;

      span {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      mat-icon {
        flex: none;
        width: 16px;
        height: 16px;
      }
      &:hover:not(:disabled) {
        background: var(--mat-sys-surface-container-high);
        color: var(--mat-sys-on-surface);
      }
      &:focus-visible {
        outline: 2px solid var(--mat-sys-primary);
        outline-offset: -4px;
      }
      &:disabled {
        cursor: default;
      }
    }
    li:first-child .step {
      padding-left: 12px;
      border-radius: 18px 0 0 18px;
      clip-path: polygon(0 0, calc(100% - 10px) 0, 100% 50%, calc(100% - 10px) 100%, 0 100%);
    }
    li:last-child .step {
      padding-right: 14px;
      border-radius: 0 18px 18px 0;
      clip-path: polygon(0 0, 100% 0, 100% 100%, 0 100%, 10px 50%);
    }
    .step.done {
      color: var(--mat-sys-on-primary-container);
      background: var(--mat-sys-primary-container);
    }
    .step.current {
      color: var(--mat-sys-on-primary);
      background: var(--mat-sys-primary);
    }
    :host(.is-lost) .steps .step {
      opacity: 0.6;
    }
    .step.lost {
      flex: none;
      padding: 0 14px 0 10px;
      border-radius: 18px;
      clip-path: none;
    }
    .step.lost.current {
      color: var(--mat-sys-on-error-container);
      background: var(--mat-sys-error-container);
    }
    /* A phone: the steps take the whole row (Lost goes below), smaller, without check marks. */
    @container (max-width: 440px) {
      .steps {
        flex-basis: 100%;
      }
      .step {
        padding: 0 4px 0 13px;
        font: var(--mat-sys-label-medium);
      }
      .steps .step mat-icon {
        display: none;
      }
      li:first-child .step {
        padding-left: 8px;
      }
      li:last-child .step {
        padding-right: 8px;
      }
    }
  `,
  host: { '[class.is-lost]': 'status() === "lost"' },
})
export class LeadPipelineComponent {
  readonly status = input.required<LeadStatus>();
  readonly disabled = input(false);
  readonly statusChange = output<LeadStatus>();

  protected readonly steps = STEPS;
  protected readonly labels = STATUS_LABELS;
  /** Steps before this index are done; a lost lead has none done. */
  protected readonly position = computed(() => STEPS.indexOf(this.status()));

  protected label(step: LeadStatus): string {
    return step === this.status() ? `${STATUS_LABELS[step]} (current status)` : `Move to ${STATUS_LABELS[step]}`;
  }
}
