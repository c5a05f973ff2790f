import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { ChipListFieldComponent } from '../../../shared/chips/chip-list-field.component';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { LeadFieldDto } from '@meridian/api-client';

import { fieldErrorMessage } from '../../../core/forms/server-errors';
import { InZonePipe } from '../../../shared/format/format.pipes';
import { LEAD_SOURCES, LEAD_STATUSES, SOURCE_LABELS, STATUS_LABELS } from '../leads.query';
import { OwnerOption } from '../leads.store';
import { LEAD_FIELD_LABELS, LeadForm, LeadFormControls, phoneCountries } from './lead-form';

/** The fields of a lead, for the create dialog and the edit form of the drawer. The parent owns the form and submits it. */
@Component({
  selector: 'app-lead-fields',
  imports: [
    InZonePipe,
    MatCheckboxModule,
    ChipListFieldComponent,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  providers: [provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="fields" [formGroup]="form()">
      <mat-form-field appearance="outline">
        <mat-label>First name</mat-label>
        <input matInput formControlName="firstName" autocomplete="off" data-testid="lead-first-name" />
        @if (form().controls.firstName.invalid) {
          <mat-error>{{ error('firstName') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Last name</mat-label>
        <input matInput formControlName="lastName" autocomplete="off" data-testid="lead-last-name" />
        @if (form().controls.lastName.invalid) {
          <mat-error>{{ error('lastName') }}</mat-error>
        }
      </mat-form-field>

      <mat-form-field appearance="outline" class="wide">
        <mat-label>Email</mat-label>
        <mat-icon matPrefix svgIcon="mail" aria-hidden="true" />
        <input
          matInput
          type="email"
          formControlName="email"
          autocomplete="off"
          spellcheck="false"
          data-testid="lead-email"
        />
        @if (form().controls.email.invalid) {
          <mat-error>{{ error('email') }}</mat-error>
        }
      </mat-form-field>

      <mat-form-field appearance="outline">
        <mat-label>Phone</mat-label>
        <mat-icon matPrefix svgIcon="phone" aria-hidden="true" />
        <input matInput type="tel" formControlName="phone" autocomplete="off" data-testid="lead-phone" />
        @if (form().controls.phone.invalid) {
          <mat-error>{{ error('phone') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Phone country</mat-label>
        <mat-select formControlName="defaultCountry" data-testid="lead-country">
          <mat-option value="">None (numbers start with +)</mat-option>
          @for (country of countries(); track country.code) {
            <mat-option [value]="country.code">{{ country.name }}</mat-option>
          }
        </mat-select>
        @if (form().controls.defaultCountry.invalid) {
          <mat-error>{{ error('defaultCountry') }}</mat-error>
        } @else {
          <mat-hint>For numbers written without +code</mat-hint>
        }
      </mat-form-field>

      <mat-form-field appearance="outline">
        <mat-label>Company</mat-label>
        <mat-icon matPrefix svgIcon="business" aria-hidden="true" />
        <input matInput formControlName="company" autocomplete="off" data-testid="lead-company" />
        @if (form().controls.company.invalid) {
          <mat-error>{{ error('company') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Job title</mat-label>
        <input matInput formControlName="title" autocomplete="off" data-testid="lead-title" />
        @if (form().controls.title.invalid) {
          <mat-error>{{ error('title') }}</mat-error>
        }
      </mat-form-field>

      <mat-form-field appearance="outline">
        <mat-label>Status</mat-label>
        <mat-select formControlName="status" data-testid="lead-status">
          @for (status of statuses; track status) {
            <mat-option [value]="status">{{ statusLabels[status] }}</mat-option>
          }
        </mat-select>
        @if (form().controls.status.invalid) {
          <mat-error>{{ error('status') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Source</mat-label>
        <mat-select formControlName="source" data-testid="lead-source">
          @for (source of sources; track source) {
            <mat-option [value]="source">{{ sourceLabels[source] }}</mat-option>
          }
        </mat-select>
        @if (form().controls.source.invalid) {
          <mat-error>{{ error('source') }}</mat-error>
        }
      </mat-form-field>

      <mat-form-field appearance="outline" class="wide">
        <mat-label>Owner</mat-label>
        <mat-select formControlName="ownerId" data-testid="lead-owner">
          <mat-option [value]="null">Nobody</mat-option>
          @for (owner of ownerOptions(); track owner.id) {
            <mat-option [value]="owner.id" [disabled]="!owner.active">
              {{ owner.name }}
              @if (owner.email) {
                <span class="option-hint">{{ owner.email }}</span>
              }
            </mat-option>
          }
        </mat-select>
        @if (form().controls.ownerId.invalid) {
          <mat-error>{{ error('ownerId') }}</mat-error>
        } @else if (!canListUsers()) {
          <mat-hint>You can give a lead to yourself; managers can give it to anyone.</mat-hint>
        }
      </mat-form-field>

      <app-chip-list-field
        class="wide"
        formControlName="tags"
        label="Tags"
        placeholder="Add a tag…"
        hint="Enter or comma after each tag"
        [error]="form().controls.tags.invalid ? error('tags') : null"
        inputTestId="lead-tag-input"
      />

      @if (customFields().length > 0) {
        <div class="custom wide" formGroupName="customFields" role="group" aria-labelledby="custom-title">
          <span id="custom-title" class="group-title">More about this lead</span>
          <div class="custom-grid">
            @for (field of customFields(); track field.key) {
              @if (form().controls.customFields.contains(field.key)) {
                @switch (field.type) {
                  @case ('boolean') {
                    <div class="custom-check">
                      <mat-checkbox [formControlName]="field.key" [attr.data-testid]="'custom-' + field.key">
                        {{ field.label }}
                      </mat-checkbox>
                      @if (customInvalid(field.key)) {
                        <mat-error>{{ customError(field) }}</mat-error>
                      }
                    </div>
                  }
                  @case ('select') {
                    <mat-form-field appearance="outline">
                      <mat-label>{{ field.label }}</mat-label>
                      <mat-select [formControlName]="field.key" [attr.data-testid]="'custom-' + field.key">
                        <mat-option value="">—</mat-option>
                        @for (option of field.options; track option) {
                          <mat-option [value]="option">{{ option }}</mat-option>
                        }
                      </mat-select>
                      @if (customInvalid(field.key)) {
                        <mat-error>{{ customError(field) }}</mat-error>
                      }
                    </mat-form-field>
                  }
                  @case ('date') {
                    <mat-form-field appearance="outline">
                      <mat-label>{{ field.label }}</mat-label>
                      <input
                        matInput
                        [matDatepicker]="picker"
                        [formControlName]="field.key"
                        [attr.data-testid]="'custom-' + field.key"
                      />
                      <mat-datepicker-toggle matIconSuffix [for]="picker" />
                      <mat-datepicker #picker />
                      @if (customInvalid(field.key)) {
                        <mat-error>{{ customError(field) }}</mat-error>
                      }
                    </mat-form-field>
                  }
                  @case ('number') {
                    <mat-form-field appearance="outline">
                      <mat-label>{{ field.label }}</mat-label>
                      <input
                        matInput
                        type="number"
                        [formControlName]="field.key"
                        [attr.data-testid]="'custom-' + field.key"
                      />
                      @if (customInvalid(field.key)) {
                        <mat-error>{{ customError(field) }}</mat-error>
                      }
                    </mat-form-field>
                  }
                  @default {
                    <mat-form-field appearance="outline">
                      <mat-label>{{ field.label }}</mat-label>
                      <input
                        matInput
                        [formControlName]="field.key"
                        autocomplete="off"
                        maxlength="1000"
                        [attr.data-testid]="'custom-' + field.key"
                      />
                      @if (customInvalid(field.key)) {
                        <mat-error>{{ customError(field) }}</mat-error>
                      }
                    </mat-form-field>
                  }
                }
              }
            }
          </div>
        </div>
      }

      <div class="consent wide" role="group" aria-labelledby="consent-title">
        <span id="consent-title" class="group-title">Consent</span>
        <mat-slide-toggle formControlName="consentEmail" data-testid="lead-consent-email">
          May receive email
        </mat-slide-toggle>
        <mat-slide-toggle formControlName="consentWhatsapp" data-testid="lead-consent-whatsapp">
          May receive WhatsApp messages
        </mat-slide-toggle>
        @if (unsubscribedAt(); as at) {
          <p class="unsubscribed">
            Unsubscribed on {{ at | inZone: timeZone() }}: no email is sent, whatever the consent.
          </p>
        }
      </div>
    </div>
  `,
  styles: `
    :host {
      display: block;
      container-type: inline-size;
    }
    .fields {
      display: grid;
      grid-template-columns: 1fr;
      column-gap: 12px;
      row-gap: 4px;
    }
    @container (min-width: 480px) {
      .fields {
        grid-template-columns: 1fr 1fr;
      }
      .wide {
        grid-column: 1 / -1;
      }
    }
    mat-form-field mat-icon[matPrefix] {
      width: 20px;
      height: 20px;
      margin: 0 4px 0 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .option-hint {
      margin-left: 8px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    mat-hint {
      line-height: 1.3;
    }
    .consent {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 8px;
      padding: 4px 0 8px;
    }
    .group-title {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-large);
    }
    .custom {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 4px 0 8px;
    }
    .custom-grid {
      display: grid;
      grid-template-columns: 1fr;
      column-gap: 12px;
      row-gap: 4px;
    }
    @container (min-width: 480px) {
      .custom-grid {
        grid-template-columns: 1fr 1fr;
      }
    }
    .custom-check {
      display: flex;
      flex-direction: column;
      justify-content: center;
      min-height: 56px;
      padding-bottom: 20px;
    }
    .unsubscribed {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class LeadFieldsComponent {
  readonly form = input.required<LeadForm>();
  /** Users a lead can belong to (see LeadsStore.owners). */
  readonly owners = input<readonly OwnerOption[]>([]);
  /** The user may see the whole team; otherwise only themselves is offered. */
  readonly canListUsers = input(false);
  /** When the lead unsubscribed from email (edit only). */
  readonly unsubscribedAt = input<string | null>(null);
  /** The organization's time zone, in which that moment is shown. */
  readonly timeZone = input('UTC');
  /** The organization's custom fields; the parent adds their controls (setCustomFieldControls). */
  readonly customFields = input<readonly LeadFieldDto[]>([]);

  protected readonly statuses = LEAD_STATUSES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly sources = LEAD_SOURCES;
  protected readonly sourceLabels = SOURCE_LABELS;
  protected readonly countries = computed(() => phoneCountries(this.form().controls.defaultCountry.value));

  /** Active users, plus the current owner whoever they are (an agent sees "Another user"). */
  protected ownerOptions(): OwnerOption[] {
    const current = this.form().controls.ownerId.value;
    const owners = this.owners().filter((owner) => owner.active || owner.id === current);
    if (current && !owners.some((owner) => owner.id === current)) {
      const known = this.owners().find((owner) => owner.id === current);
      owners.push(known ?? { id: current, name: 'Another user', email: '', active: true });
    }
    return owners;
  }

  protected error(field: keyof LeadFormControls): string {
    return fieldErrorMessage(this.form().controls[field], LEAD_FIELD_LABELS[field]);
  }

  protected customInvalid(key: string): boolean {
    const control = this.form().controls.customFields.get(key);
    return !!control && control.invalid && control.touched;
  }

  protected customError(field: LeadFieldDto): string {
    return fieldErrorMessage(this.form().controls.customFields.get(field.key), field.label);
  }
}
