import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';

import { CampaignChannel, SegmentDto, TestSendResultDto } from '@meridian/api-client';

import { applyServerErrors, fieldErrorMessage } from '../../../core/forms/server-errors';
import { email, required } from '../../../core/forms/validators';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';

export interface SaveSegmentDialogData {
  summary: string[];
  save: (name: string) => Promise<SegmentDto>;
}

/** Names the editor's filter and saves it as a segment. */
@Component({
  selector: 'app-save-segment-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatIconModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Save as a segment</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        }
        <p class="summary">
          A segment is a saved filter, evaluated again each time a campaign to it starts:
          {{ data.summary.length > 0 ? data.summary.join(' · ') : 'all leads' }}.
        </p>
        <mat-form-field appearance="outline" class="full">
          <mat-label>Segment name</mat-label>
          <input matInput formControlName="name" autocomplete="off" data-testid="segment-name" />
          @if (form.controls.name.invalid) {
            <mat-error>{{ fieldErrorMessage(form.controls.name, 'Name') }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="segment-save">
          {{ busy() ? 'Saving…' : 'Save segment' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    :host {
      display: block;
      width: min(460px, 100%);
    }
    .summary {
      margin: 0 0 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .full {
      width: 100%;
    }
  `,
})
export class SaveSegmentDialogComponent {
  protected readonly data = inject<SaveSegmentDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SaveSegmentDialogComponent, SegmentDto>>(MatDialogRef);
  protected readonly fieldErrorMessage = fieldErrorMessage;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [required, Validators.maxLength(100)]],
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      this.ref.close(await this.data.save(this.form.getRawValue().name));
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      if (applyServerErrors(this.form, problem).length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }
}

export interface TestSendDialogData {
  channel: CampaignChannel;
  defaultTo: string;
  leadName: string | null;
  send: (to: string) => Promise<TestSendResultDto>;
}

/** Sends the campaign once to one address or number, outside the ledger. */
@Component({
  selector: 'app-test-send-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Send a test</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        @if (problem(); as problem) {
          <div class="app-form-error" role="alert">
            <mat-icon svgIcon="error" aria-hidden="true" />
            <span>{{ problem.detail || problem.title }}</span>
          </div>
        }
        @if (result(); as r) {
          <p class="sent" role="status" data-testid="test-send-result">
            <mat-icon svgIcon="check_circle" aria-hidden="true" />
            <span>
              Test sent to {{ r.to }}.
              @if (r.driver === 'outbox') {
                No provider is configured, so it is kept in the <a routerLink="/outbox" mat-dialog-close>Outbox</a>.
              }
            </span>
          </p>
        }
        <p class="summary">
          One message with “[Test]” before the subject, rendered
          {{ data.leadName ? 'with the data of ' + data.leadName : 'with sample data' }}. It is not counted in the
          campaign.
        </p>
        <mat-form-field appearance="outline" class="full">
          <mat-label>{{
            data.channel === 'email' ? 'Email address' : 'Phone number (E.164, e.g. +4915112345678)'
          }}</mat-label>
          <input
            matInput
            formControlName="to"
            [type]="data.channel === 'email' ? 'email' : 'tel'"
            autocomplete="off"
            data-testid="test-send-to"
          />
          @if (form.controls.to.invalid) {
            <mat-error>{{
              fieldErrorMessage(form.controls.to, data.channel === 'email' ? 'Address' : 'Number')
            }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ result() ? 'Close' : 'Cancel' }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="test-send-submit">
          <mat-icon svgIcon="send" aria-hidden="true" />
          {{ busy() ? 'Sending…' : result() ? 'Send again' : 'Send test' }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    :host {
      display: block;
      width: min(480px, 100%);
    }
    .summary {
      margin: 0 0 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .full {
      width: 100%;
    }
    .sent {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      margin: 0 0 12px;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-medium);
      color: var(--app-status-healthy);
      background: var(--app-status-healthy-container);
    }
  `,
})
export class TestSendDialogComponent {
  protected readonly data = inject<TestSendDialogData>(MAT_DIALOG_DATA);
  protected readonly fieldErrorMessage = fieldErrorMessage;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly result = signal<TestSendResultDto | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    to: [
      this.data.defaultTo,
      this.data.channel === 'email' ? [required, email] : [required, Validators.pattern(/^\+?[0-9 ()-]{6,20}$/)],
    ],
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    this.result.set(null);
    try {
      this.result.set(await this.data.send(this.form.getRawValue().to));
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      if (applyServerErrors(this.form, problem).length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
    } finally {
      this.busy.set(false);
    }
  }
}
