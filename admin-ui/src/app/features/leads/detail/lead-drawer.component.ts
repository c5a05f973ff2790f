import { TextFieldModule } from '@angular/cdk/text-field';
import { DOCUMENT, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatChipsModule } from '@angular/material/chips';
import { MatDividerModule } from '@angular/material/divider';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { Title } from '@angular/platform-browser';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { DuplicateReason, LeadDto, LeadStatus } from '@meridian/api-client';

import { AuthStore } from '../../../core/auth/auth.store';
import { applyServerErrors } from '../../../core/forms/server-errors';
import { required } from '../../../core/forms/validators';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { confirmAction } from '../../../shared/dialogs/confirm-dialog.component';
import { InZonePipe, RelativeTimePipe } from '../../../shared/format/format.pipes';
import { initials } from '../../../shared/format/initials';
import { LeadScoreComponent } from '../components/lead-score.component';
import { formatCustomValue } from '../fields/custom-fields';
import { LeadFieldDefinitions } from '../fields/lead-field-definitions';
import { openMergeDialog } from '../merge/merge-leads-dialog.component';
import { LeadFieldsComponent } from '../form/lead-fields.component';
import {
  buildLeadForm,
  defaultPhoneCountry,
  duplicateLeadId,
  leadFormValue,
  rememberPhoneCountry,
  setCustomFieldControls,
  updateLeadBody,
} from '../form/lead-form';
import { SOURCE_LABELS, STATUS_LABELS, leadName } from '../leads.query';
import { LeadsStore } from '../leads.store';
import { LeadDetailStore } from './lead-detail.store';
import { LeadPipelineComponent } from './lead-pipeline.component';
import { LeadTimelineComponent } from './lead-timeline.component';

/** One lead, in the side sheet of the Leads page (`/leads/:id`): pipeline, timeline with notes, edit form. */
@Component({
  selector: 'app-lead-drawer',
  imports: [
    InZonePipe,
    DecimalPipe,
    MatChipsModule,
    LeadFieldsComponent,
    LeadPipelineComponent,
    LeadScoreComponent,
    LeadTimelineComponent,
    MatButtonModule,
    MatDividerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTabsModule,
    ReactiveFormsModule,
    RelativeTimePipe,
    RouterLink,
    TextFieldModule,
  ],
  providers: [LeadDetailStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './lead-drawer.component.html',
  styleUrl: './lead-drawer.component.scss',
})
export class LeadDrawerComponent {
  /** The route's `:id`. */
  readonly id = input.required<string>();

  protected readonly store = inject(LeadsStore);
  protected readonly detail = inject(LeadDetailStore);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly title = inject(Title);
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly fb = inject(FormBuilder);

  protected readonly definitions = inject(LeadFieldDefinitions);
  protected readonly lead = this.detail.lead;
  protected readonly canMerge = computed(
    () => this.auth.permissions().has('leads:write') && this.auth.permissions().has('leads:delete'),
  );
  protected readonly reasonLabels: Readonly<Record<DuplicateReason, string>> = {
    email: 'Same email',
    phone: 'Same phone',
    name_company: 'Same name and company',
  };
  /** The custom fields, in their order, with the lead's values in words. */
  protected readonly customFacts = computed(() => {
    const lead = this.lead();
    if (!lead) {
      return [];
    }
    return this.definitions.fields().map((field) => ({
      key: field.key,
      label: field.label,
      value: formatCustomValue(field, lead.customFields?.[field.key]),
    }));
  });
  protected readonly canWrite = computed(() => this.auth.permissions().has('leads:write'));
  protected readonly canDelete = computed(() => this.auth.permissions().has('leads:delete'));
  protected readonly canListUsers = computed(() => this.auth.permissions().has('users:read'));
  protected readonly deleted = computed(() => !!this.lead()?.deletedAt);
  protected readonly editable = computed(() => this.canWrite() && !this.deleted());
  protected readonly name = computed(() => {
    const lead = this.lead();
    return lead ? leadName(lead) : '';
  });
  protected readonly subtitle = computed(() => {
    const lead = this.lead();
    return lead ? [lead.title, lead.company].filter(Boolean).join(' · ') : '';
  });
  protected readonly initials = computed(() => {
    const lead = this.lead();
    return lead ? initials([lead.firstName, lead.lastName].filter(Boolean).join(' '), lead.email ?? lead.company) : '';
  });
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly sourceLabels = SOURCE_LABELS;
  protected readonly ownerName = (id: string | null): string => this.store.ownerName(id);

  protected readonly busy = signal(false);
  protected readonly saving = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly duplicateId = signal<string | null>(null);
  protected readonly noteProblem = signal<ApiProblem | null>(null);
  protected readonly addingNote = signal(false);
  protected readonly tab = signal(0);

  private readonly country = defaultPhoneCountry(this.storage(), this.window?.navigator.language ?? 'en');
  protected readonly form = buildLeadForm(this.fb, this.country);
  protected readonly note = this.fb.nonNullable.control('', [required, Validators.maxLength(5000)]);
  private formLeadId: string | null = null;
  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');
  private shownId: string | null = null;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => {
        // Another lead in the same sheet (a link in it was followed): focus its name, as on opening,
        // so the keyboard (Escape) stays in the sheet.
        if (this.shownId !== null && this.shownId !== id) {
          this.heading()?.nativeElement.focus({ preventScroll: true });
        }
        this.shownId = id;
        this.tab.set(0);
        this.problem.set(null);
        this.duplicateId.set(null);
        this.note.reset('');
        void this.detail.load(id);
      });
    });
    // Custom fields known (or changed in settings): their controls, then the lead's values in them.
    effect(() => {
      const fields = this.definitions.fields();
      untracked(() => {
        setCustomFieldControls(this.form, fields);
        const lead = this.lead();
        if (lead && !this.form.dirty) {
          this.formLeadId = null;
          this.showInForm(lead);
        }
      });
    });
    effect(() => {
      const lead = this.lead();
      untracked(() => {
        if (lead) {
          this.showInForm(lead);
          this.title.setTitle(`${leadName(lead)} · Leads · Meridian`);
        }
      });
    });
  }

  protected close(): void {
    void this.router.navigate(['..'], { relativeTo: this.route });
  }

  protected async changeStatus(status: LeadStatus): Promise<void> {
    const lead = this.lead();
    if (!lead || this.busy()) {
      return;
    }
    this.busy.set(true);
    try {
      const updated = await this.store.update(lead.id, { status });
      await this.detail.changed(updated);
      this.notify(`${leadName(updated)} is now ${STATUS_LABELS[status]}`);
    } catch (error: unknown) {
      this.notify(`Could not change the status: ${toApiProblem(error).detail}`);
    } finally {
      this.busy.set(false);
    }
  }

  protected async save(): Promise<void> {
    const lead = this.lead();
    if (!lead) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const body = updateLeadBody(lead, value, this.definitions.fields());
    if (Object.keys(body).length === 0) {
      this.form.markAsPristine();
      return;
    }
    this.saving.set(true);
    this.problem.set(null);
    this.duplicateId.set(null);
    try {
      const updated = await this.store.update(lead.id, body);
      if (body.phone) {
        rememberPhoneCountry(this.storage(), value.defaultCountry);
      }
      this.form.markAsPristine();
      await this.detail.changed(updated);
      this.notify('Changes saved');
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.duplicateId.set(duplicateLeadId(error));
      if (applyServerErrors(this.form, problem).length > 0 || problem.errors.length === 0) {
        this.problem.set(problem);
      }
    } finally {
      this.saving.set(false);
    }
  }

  protected discard(): void {
    const lead = this.lead();
    if (lead) {
      this.formLeadId = null;
      this.showInForm(lead);
      this.problem.set(null);
      this.duplicateId.set(null);
    }
  }

  protected async addNote(): Promise<void> {
    if (this.note.invalid || !this.note.value.trim()) {
      this.note.markAsTouched();
      return;
    }
    this.addingNote.set(true);
    this.noteProblem.set(null);
    try {
      await this.detail.addNote(this.note.value.trim());
      this.note.reset('');
    } catch (error: unknown) {
      this.noteProblem.set(toApiProblem(error));
    } finally {
      this.addingNote.set(false);
    }
  }

  protected submitNote(event: Event): void {
    event.preventDefault();
    void this.addNote();
  }

  /** Ctrl/Cmd+Enter adds the note. */
  protected noteKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.addNote();
    }
  }

  protected leadLabel(lead: LeadDto): string {
    return leadName(lead);
  }

  protected duplicateSub(lead: LeadDto): string {
    return [lead.email, lead.phone, lead.company].filter(Boolean).join(' · ');
  }

  /** Merge this lead with a possible duplicate; this one is proposed to stay. */
  protected async mergeWith(otherId: string): Promise<void> {
    const lead = this.lead();
    if (!lead) {
      return;
    }
    const result = await openMergeDialog(this.dialog, {
      survivorId: lead.id,
      mergedId: otherId,
      ownerName: this.ownerName,
    });
    if (!result) {
      return;
    }
    this.notify(`${leadName(result.merged)} was merged into ${leadName(result.survivor)}`);
    void this.store.refresh();
    if (result.survivor.id === lead.id) {
      this.formLeadId = null;
      await this.detail.changed(result.survivor);
    } else {
      void this.router.navigate(['..', result.survivor.id], { relativeTo: this.route });
    }
  }

  protected async remove(): Promise<void> {
    const lead = this.lead();
    if (!lead) {
      return;
    }
    const confirmed = await confirmAction(this.dialog, {
      title: `Delete ${leadName(lead)}?`,
      message: 'The lead moves to the recycle bin, where it can be restored.',
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (!confirmed) {
      return;
    }
    try {
      await this.store.delete(lead.id);
      this.notify(`${leadName(lead)} was moved to the recycle bin`);
      this.close();
    } catch (error: unknown) {
      this.notify(`Could not delete: ${toApiProblem(error).detail}`);
    }
  }

  protected async restore(): Promise<void> {
    const lead = this.lead();
    if (!lead) {
      return;
    }
    this.busy.set(true);
    try {
      const restored = await this.store.restore(lead.id);
      await this.detail.changed(restored);
      this.notify(`${leadName(restored)} was restored`);
    } catch (error: unknown) {
      this.notify(`Could not restore: ${toApiProblem(error).detail}`);
    } finally {
      this.busy.set(false);
    }
  }

  /** The form follows the lead, unless the user is editing this same lead: then only the status (pipeline) moves. */
  private showInForm(lead: LeadDto): void {
    if (this.formLeadId === lead.id && this.form.dirty) {
      this.form.controls.status.setValue(lead.status);
      return;
    }
    this.formLeadId = lead.id;
    this.form.reset(
      leadFormValue(lead, this.form.controls.defaultCountry.value || this.country, this.definitions.fields()),
    );
    if (this.editable()) {
      this.form.enable({ emitEvent: false });
      this.note.enable({ emitEvent: false });
    } else {
      this.form.disable({ emitEvent: false });
      this.note.disable({ emitEvent: false });
    }
  }

  private notify(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 5000 });
  }

  private storage(): Storage | null {
    try {
      return this.window?.localStorage ?? null;
    } catch {
      return null;
    }
  }
}
