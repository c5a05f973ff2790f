import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import {
  ApiConfiguration,
  OrganizationDto,
  UpdateOrganizationDto,
  getOrganization,
  updateOrganization,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, fieldErrorMessage } from '../../core/forms/server-errors';
import { required } from '../../core/forms/validators';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { filterTimeZones, isTimeZone, supportedTimeZones, utcOffset } from './time-zones';

const timeZoneValidator = (control: AbstractControl<string>): ValidationErrors | null =>
  !control.value || isTimeZone(control.value) ? null : { timeZone: true };

/** /settings/organization: the organization's name and the time zone its days are cut in. */
@Component({
  selector: 'app-organization-settings-page',
  imports: [
    MatAutocompleteModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="app-page org-page">
      <header class="app-page-header">
        <div>
          <h1>Organization settings</h1>
          <p class="app-page-subtitle">
            Your organization's name, the time zone its days follow, and its sign-in rule.
          </p>
        </div>
      </header>
      <div class="progress-slot">
        @if (loading() || saving()) {
          <mat-progress-bar mode="indeterminate" aria-label="Loading the organization" />
        }
      </div>
      @if (loadError(); as problem) {
        <p class="app-form-error" role="alert" data-testid="org-load-error">{{ problem.detail || problem.title }}</p>
      }
      @if (organization(); as org) {
        <mat-card appearance="outlined" class="card">
          <form [formGroup]="form" (ngSubmit)="save()" novalidate>
            <mat-form-field appearance="outline" class="full">
              <mat-label>Organization name</mat-label>
              <input matInput formControlName="name" maxlength="200" data-testid="org-name" />
              <mat-error>{{ errorOf('name', 'Name') }}</mat-error>
            </mat-form-field>

            <mat-form-field appearance="outline" class="full">
              <mat-label>Time zone</mat-label>
              <input
                matInput
                formControlName="timeZone"
                [matAutocomplete]="zones"
                placeholder="Type a city or an offset, e.g. Paris or +05:30"
                data-testid="org-time-zone"
              />
              <mat-icon matIconSuffix svgIcon="schedule" aria-hidden="true" />
              <mat-autocomplete #zones="matAutocomplete" data-testid="org-time-zone-options">
                @for (zone of zoneOptions(); track zone.name) {
                  <mat-option [value]="zone.name">
                    <span class="zone">{{ zone.label }}</span>
                    <span class="app-muted offset">{{ zone.offset }}</span>
                  </mat-option>
                } @empty {
                  <mat-option disabled>No time zone matches</mat-option>
                }
              </mat-autocomplete>
              @if (selectedOffset(); as offset) {
                <mat-hint data-testid="org-time-zone-offset">Now {{ offset }}</mat-hint>
              }
              <mat-error>{{ errorOf('timeZone', 'Time zone') }}</mat-error>
            </mat-form-field>

            <div class="explain" role="note">
              <mat-icon svgIcon="info" aria-hidden="true" />
              <p>
                The <a routerLink="/">dashboard</a> and the campaign reports count days from midnight to midnight in
                this time zone (currently <strong>{{ org.timeZone }}</strong>). Changing it rebuilds every figure in the
                new zone, within about a minute: until then the dashboard may show the days of the old one. Lead dates,
                messages and the audit log keep their exact moments; only the day they fall on can change.
              </p>
            </div>

            <mat-slide-toggle formControlName="mfaRequired" data-testid="org-mfa-required">
              Require two-factor sign-in (MFA) for owners and admins
            </mat-slide-toggle>
            <p class="hint">
              Owners and admins without MFA are asked to set it up at their next sign-in, before they can do anything
              else. Set up your own first, on your <a routerLink="/account">account page</a>.
            </p>

            @if (formError(); as message) {
              <p class="app-form-error" role="alert" data-testid="org-form-error">{{ message }}</p>
            }
            <div class="actions">
              <button mat-flat-button type="submit" [disabled]="saving() || !dirty()" data-testid="org-save">
                <mat-icon svgIcon="save" aria-hidden="true" /> Save
              </button>
              <button mat-button type="button" (click)="reset(org)" [disabled]="saving() || !dirty()">Discard</button>
            </div>
          </form>
        </mat-card>
      }
    </div>
  `,
  styles: `
    .org-page {
      max-width: 760px;
    }
    .progress-slot {
      height: 4px;
      margin-bottom: 8px;
    }
    .card {
      padding: 16px;
    }
    .full {
      width: 100%;
    }
    .offset {
      margin-left: 8px;
      font: var(--mat-sys-body-small);
    }
    .explain {
      display: flex;
      gap: 12px;
      align-items: flex-start;
      margin: 8px 0 16px;
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      color: var(--mat-sys-on-surface);
      p {
        margin: 0;
      }
      mat-icon {
        flex: none;
        color: var(--mat-sys-primary);
      }
    }
    .hint {
      margin: 4px 0 16px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class OrganizationSettingsPageComponent implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly snackBar = inject(MatSnackBar);
  private readonly auth = inject(AuthStore);
  private readonly allZones = supportedTimeZones();

  protected readonly organization = signal<OrganizationDto | null>(null);
  protected readonly loading = signal(true);
  protected readonly saving = signal(false);
  protected readonly loadError = signal<ApiProblem | null>(null);
  protected readonly formError = signal<string | null>(null);

  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [required, Validators.maxLength(200)] }),
    timeZone: new FormControl('', { nonNullable: true, validators: [required, timeZoneValidator] }),
    mfaRequired: new FormControl(false, { nonNullable: true }),
  });

  private readonly values = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly zoneOptions = computed(() => {
    const typed = this.values().timeZone ?? '';
    // The saved zone as typed shows every zone, so opening the list lets one browse.
    return filterTimeZones(this.allZones, typed === this.organization()?.timeZone ? '' : typed, new Date(), 60);
  });
  protected readonly selectedOffset = computed(() => {
    const zone = this.values().timeZone ?? '';
    return isTimeZone(zone) ? utcOffset(zone) : null;
  });
  protected readonly dirty = computed(() => {
    const org = this.organization();
    const v = this.values();
    return (
      !!org && (v.name?.trim() !== org.name || v.timeZone?.trim() !== org.timeZone || v.mfaRequired !== org.mfaRequired)
    );
  });

  ngOnInit(): void {
    void firstValueFrom(getOrganization(this.http, this.apiConfig.rootUrl).pipe(map((r) => r.body))).then(
      (org) => {
        this.reset(org);
        this.loading.set(false);
      },
      (err: unknown) => {
        this.loadError.set(toApiProblem(err));
        this.loading.set(false);
      },
    );
  }

  protected reset(org: OrganizationDto): void {
    this.organization.set(org);
    this.form.reset({ name: org.name, timeZone: org.timeZone, mfaRequired: org.mfaRequired });
    this.formError.set(null);
  }

  protected errorOf(field: 'name' | 'timeZone', label: string): string {
    const control = this.form.controls[field];
    if (control.errors?.['timeZone']) return 'Choose a time zone from the list, such as Europe/Paris';
    return fieldErrorMessage(control, label);
  }

  protected async save(): Promise<void> {
    const org = this.organization();
    if (!org || this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, timeZone, mfaRequired } = this.form.getRawValue();
    const body: UpdateOrganizationDto = {};
    if (name.trim() !== org.name) body.name = name.trim();
    if (timeZone.trim() !== org.timeZone) body.timeZone = timeZone.trim();
    if (mfaRequired !== org.mfaRequired) body.mfaRequired = mfaRequired;
    this.saving.set(true);
    this.formError.set(null);
    try {
      const saved = await firstValueFrom(
        updateOrganization(this.http, this.apiConfig.rootUrl, { body }).pipe(map((r) => r.body)),
      );
      this.reset(saved);
      // The console reads the name and the zone (the days of the leads filters) from the signed-in user.
      this.auth.reloadUser().catch(() => undefined);
      this.snackBar.open(
        body.timeZone ? `Saved. The figures are being rebuilt in ${saved.timeZone}.` : 'Saved.',
        'Dismiss',
        { duration: 6000 },
      );
    } catch (err) {
      const problem = toApiProblem(err);
      const unmatched = applyServerErrors(this.form, problem);
      if (unmatched.length > 0 || problem.errors.length === 0) {
        this.formError.set(
          unmatched.length > 0
            ? unmatched.map((e) => `${e.field} ${e.reason}`).join('; ')
            : problem.detail || problem.title,
        );
      }
    } finally {
      this.saving.set(false);
    }
  }
}
