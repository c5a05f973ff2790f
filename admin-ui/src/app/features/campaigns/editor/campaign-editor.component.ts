import { Location } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  OnInit,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatStepper, MatStepperModule } from '@angular/material/stepper';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { CampaignChannel, LeadDto, SegmentDto, TestSendResultDto } from '@meridian/api-client';
import { debounceTime, distinctUntilChanged, firstValueFrom, map, merge, startWith, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { applyServerErrors, fieldErrorMessage } from '../../../core/forms/server-errors';
import { required } from '../../../core/forms/validators';
import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { confirmAction } from '../../../shared/dialogs/confirm-dialog.component';
import { LeadFilterPanelComponent } from '../../leads/components/lead-filter-panel.component';
import { LeadFieldDefinitions } from '../../leads/fields/lead-field-definitions';
import {
  LeadFilters,
  NO_FILTERS,
  filterChips,
  filtersFromView,
  leadFilter,
  leadName,
  sameLeadFilter,
} from '../../leads/leads.query';
import { KeyedDebounce } from '../../../shared/timing/keyed-debounce';
import {
  CHANNEL_INFO,
  browserTimeZone,
  formatInZone,
  plural,
  timeZones,
  wallClock,
  zonedInstant,
} from '../campaigns.model';
import {
  EditorDraft,
  EditorStep,
  STANDARD_VARIABLES,
  STARTER_HTML,
  WHATSAPP_LANGUAGES,
  audienceBody,
  draftOf,
  fieldErrorLine,
  formPath,
  hasContent,
  insertAt,
  stepProblems,
  variableTag,
} from './campaign-editor.model';
import { CampaignEditorStore } from './campaign-editor.store';
import {
  SaveSegmentDialogComponent,
  SaveSegmentDialogData,
  TestSendDialogComponent,
  TestSendDialogData,
} from './editor-dialogs.component';

const COUNT_DEBOUNCE_MS = 300;
const PREVIEW_DEBOUNCE_MS = 600;

type FieldElement = HTMLInputElement | HTMLTextAreaElement;

/** /campaigns/new and /campaigns/:id/edit: the campaign editor, one step after the other. */
@Component({
  selector: 'app-campaign-editor',
  imports: [
    LeadFilterPanelComponent,
    MatAutocompleteModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    MatStepperModule,
    MatTooltipModule,
    ReactiveFormsModule,
    RouterLink,
  ],
  providers: [CampaignEditorStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './campaign-editor.component.html',
  styleUrl: './campaign-editor.component.scss',
})
export class CampaignEditorComponent implements OnInit {
  /** The route's :id when editing a saved draft. */
  readonly id = input<string | undefined>(undefined);

  protected readonly store = inject(CampaignEditorStore);
  protected readonly definitions = inject(LeadFieldDefinitions);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly location = inject(Location);
  private readonly fb = inject(FormBuilder);
  private readonly stepper = viewChild(MatStepper);

  protected readonly channelInfo = CHANNEL_INFO;
  protected readonly languages = WHATSAPP_LANGUAGES;
  protected readonly standardVariables = STANDARD_VARIABLES;
  protected readonly canSend = computed(() => this.auth.permissions().has('campaigns:send'));
  protected readonly canReadLeads = computed(() => this.auth.permissions().has('leads:read'));

  protected readonly form = this.fb.nonNullable.group({
    name: ['', [required, Validators.maxLength(200)]],
    channel: this.fb.nonNullable.control<CampaignChannel>('email'),
    audience: this.fb.nonNullable.group({
      mode: this.fb.nonNullable.control<'segment' | 'filter'>('segment'),
      segmentId: this.fb.control<string | null>(null),
    }),
    email: this.fb.nonNullable.group({
      fromName: [''],
      subject: [''],
      preheader: [''],
      html: [STARTER_HTML],
      text: [''],
      withText: [false],
    }),
    whatsapp: this.fb.nonNullable.group({
      templateName: [''],
      language: ['en'],
      bodyParameters: this.fb.nonNullable.array<string>([]),
      previewText: [''],
    }),
    schedule: this.fb.nonNullable.group({
      mode: this.fb.nonNullable.control<'now' | 'later'>('now'),
      day: [''],
      time: ['09:00'],
      timeZone: [browserTimeZone()],
    }),
  });
  protected readonly bodyParameters = this.form.controls.whatsapp.controls.bodyParameters;

  /** The FormArray's length as a signal: the parameter fields re-render from it (OnPush, zoneless). */
  protected readonly parameterCount = signal(0);
  protected readonly parameterIndexes = computed(() => Array.from({ length: this.parameterCount() }, (_, i) => i));

  /** The filter of a filter audience (the leads filter panel's model, plus its search). */
  protected readonly audienceFilters = signal<LeadFilters>(NO_FILTERS);
  /** The organization's time zone: the created days of an audience filter are its days. */
  protected readonly orgTimeZone = computed(() => this.auth.user()?.organization.timeZone || 'UTC');
  protected readonly filterChips = computed(() => filterChips(this.audienceFilters(), () => 'an owner'));
  protected readonly filterSummary = computed(() => {
    const chips = this.filterChips();
    return chips.length > 0 ? chips.map((chip) => chip.label).join(' · ') : 'All leads';
  });
  private readonly formValue = toSignal(
    this.form.valueChanges.pipe(
      startWith(null),
      map(() => this.form.getRawValue()),
    ),
    { requireSync: true },
  );
  protected readonly draft = computed<EditorDraft>(() => {
    const value = this.formValue();
    return {
      ...value,
      audience: { ...value.audience, filter: leadFilter(this.audienceFilters(), this.orgTimeZone()) },
    };
  });
  protected readonly zones = signal<string[]>(timeZones(browserTimeZone()));
  private readonly now = signal(new Date());
  protected readonly problems = computed(() => {
    const context = { now: this.now(), eligible: this.store.count()?.eligible ?? null };
    const draft = this.draft();
    const of = (step: EditorStep) => stepProblems(step, draft, context);
    return {
      basics: of('basics'),
      audience: of('audience'),
      content: of('content'),
      schedule: of('schedule'),
      review: of('review'),
    };
  });

  protected readonly loadError = signal<ApiProblem | null>(null);
  protected readonly saveError = signal<string | null>(null);
  protected readonly errorLines = signal<string[]>([]);
  /** The furthest step opened: later ones show no check mark yet, even when their defaults are valid. */
  protected readonly reached = signal(0);
  protected readonly launching = signal(false);
  protected readonly notDraft = computed(() => {
    const campaign = this.store.campaign();
    return campaign !== null && campaign.status !== 'draft';
  });

  /** Where "Insert variable" writes: the last content field that had the focus. */
  private target: { path: string; element: FieldElement } | null = null;
  protected readonly targetLabel = signal('the message');
  protected readonly fallback = new FormControl('', { nonNullable: true });

  // Preview
  protected readonly previewLead = signal<LeadDto | null>(null);
  protected readonly leadSearch = new FormControl<string | LeadDto>('', { nonNullable: true });
  protected readonly leadOptions = toSignal(
    this.leadSearch.valueChanges.pipe(
      debounceTime(250),
      map((value) => (typeof value === 'string' ? value : '')),
      distinctUntilChanged(),
      switchMap((q) => this.store.searchLeads(q).catch(() => [] as LeadDto[])),
    ),
    { initialValue: [] as LeadDto[] },
  );
  protected readonly previewSrcdoc = computed(() => this.store.preview()?.email?.html ?? '');

  protected readonly eligibleLabel = computed(() => {
    const count = this.store.count();
    return count ? plural(count.eligible, 'recipient') : '…';
  });
  protected readonly scheduleSummary = computed(() => {
    const { schedule } = this.draft();
    if (schedule.mode === 'now') {
      return 'As soon as you press Send now';
    }
    const at = zonedInstant(schedule.day, schedule.time, schedule.timeZone);
    return at ? formatInZone(at.toISOString(), schedule.timeZone) : 'Choose a date and a time';
  });
  protected readonly segmentName = computed(() => {
    const id = this.draft().audience.segmentId;
    return this.store.segments().find((segment) => segment.id === id)?.name ?? null;
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.countDebounce.cancel());
    const audience = this.form.controls.audience;
    merge(audience.valueChanges, this.form.controls.channel.valueChanges)
      .pipe(debounceTime(COUNT_DEBOUNCE_MS), takeUntilDestroyed())
      .subscribe(() => this.recount());
    merge(this.form.controls.email.valueChanges, this.form.controls.whatsapp.valueChanges)
      .pipe(debounceTime(PREVIEW_DEBOUNCE_MS), takeUntilDestroyed())
      .subscribe(() => void this.refreshPreview());
  }

  ngOnInit(): void {
    void this.start();
  }

  private async start(): Promise<void> {
    void this.definitions.load();
    await this.store.loadSegments();
    const id = this.id();
    if (id) {
      try {
        const campaign = await this.store.load(id);
        const draft = draftOf(campaign, this.draft());
        this.showDraft(draft);
        if (campaign.audience.filter) {
          this.audienceFilters.set({
            ...filtersFromView(campaign.audience.filter as Record<string, unknown>, this.orgTimeZone()),
          });
        }
        if (campaign.sendAt) {
          const { day, time } = wallClock(campaign.sendAt, campaign.timeZone);
          this.form.controls.schedule.patchValue({ mode: 'later', day, time });
        }
        this.zones.set(timeZones(browserTimeZone(), campaign.timeZone));
        this.reached.set(4);
      } catch (error: unknown) {
        this.loadError.set(toApiProblem(error));
        return;
      }
    } else if (this.store.segments().length === 0) {
      // No segment yet: start with a filter of the leads, which can be saved as the first segment.
      this.form.controls.audience.controls.mode.setValue('filter');
    }
    this.recount();
    void this.refreshPreview();
  }

  private showDraft(draft: EditorDraft): void {
    this.bodyParameters.clear({ emitEvent: false });
    for (const parameter of draft.whatsapp.bodyParameters) {
      this.bodyParameters.push(this.fb.nonNullable.control(parameter), { emitEvent: false });
    }
    this.parameterCount.set(this.bodyParameters.length);
    this.form.patchValue(draft);
    this.form.controls.channel.disable({ emitEvent: false });
  }

  // Steps --------------------------------------------------------------------------------

  protected problemsOf(step: EditorStep): string[] {
    return this.problems()[step];
  }

  /** Saves the draft and goes on; the first save creates it (and the address becomes its edit page). */
  protected async next(step: EditorStep): Promise<void> {
    this.now.set(new Date());
    if (this.problemsOf(step).length > 0) {
      this.form.markAllAsTouched();
      return;
    }
    if (await this.saveDraft(false)) {
      this.stepper()?.next();
    }
  }

  protected async saveDraft(notify = true): Promise<boolean> {
    if (this.notDraft()) {
      return false;
    }
    if (this.problemsOf('basics').length > 0) {
      this.form.controls.name.markAsTouched();
      this.saveError.set('Give the campaign a name before saving it.');
      return false;
    }
    this.saveError.set(null);
    this.errorLines.set([]);
    const wasNew = this.store.campaign() === null;
    try {
      const campaign = await this.store.save(this.draft());
      if (wasNew) {
        this.form.controls.channel.disable({ emitEvent: false });
        // The address of the saved draft, without leaving the page (the router would recreate it at step 1).
        this.location.replaceState(`/campaigns/${campaign.id}/edit`);
      }
      if (notify) {
        this.notify('Draft saved');
      }
      return true;
    } catch (error: unknown) {
      this.showProblem(toApiProblem(error));
      return false;
    }
  }

  /** Field errors go under their fields ("email.subject" → the Subject field); the others above. */
  private showProblem(problem: ApiProblem): void {
    const mapped = { ...problem, errors: problem.errors.map((e) => ({ ...e, field: formPath(e.field) })) };
    applyServerErrors(this.form, mapped);
    // Every field error in words too: the field may be on another step than the one shown.
    this.errorLines.set(problem.errors.map(fieldErrorLine));
    this.saveError.set(
      problem.errors.length === 0 || problem.status === 409
        ? problem.detail || problem.title
        : 'Some fields need a change:',
    );
  }

  protected error(path: string, label: string): string {
    return fieldErrorMessage(this.form.get(path), label);
  }

  // Audience -----------------------------------------------------------------------------

  protected setAudienceFilters(filters: LeadFilters): void {
    // The filter panel echoes what it was shown (a slider reports the value it was given):
    // an echo is no change, and must not put off the pending count again and again.
    if (sameLeadFilter(filters, this.audienceFilters())) {
      return;
    }
    this.audienceFilters.set(filters);
    this.recount();
  }

  protected setAudienceSearch(q: string): void {
    this.audienceFilters.update((filters) => ({ ...filters, q }));
    this.recount();
  }

  private readonly countDebounce = new KeyedDebounce(COUNT_DEBOUNCE_MS);
  /** Counts the audience once it has stopped changing; a call that changes nothing keeps the pending count. */
  private recount(): void {
    const draft = this.draft();
    this.countDebounce.request(JSON.stringify([draft.channel, audienceBody(draft)]), () => {
      void this.store.countAudience(this.draft().channel, this.draft());
    });
  }

  protected async saveAsSegment(): Promise<void> {
    const filter = leadFilter(this.audienceFilters(), this.orgTimeZone());
    const ref = this.dialog.open<SaveSegmentDialogComponent, SaveSegmentDialogData, SegmentDto>(
      SaveSegmentDialogComponent,
      {
        data: {
          summary: this.filterChips().map((chip) => chip.label),
          save: (name) => this.store.saveSegment(name, filter),
        },
      },
    );
    const segment = await firstValueFrom(ref.afterClosed());
    if (segment) {
      this.form.controls.audience.patchValue({ mode: 'segment', segmentId: segment.id });
      this.notify(`Segment “${segment.name}” saved and chosen`);
    }
  }

  protected segmentSummary(segment: SegmentDto): string {
    const chips = filterChips(
      filtersFromView(segment.filter as Record<string, unknown>, this.orgTimeZone()),
      () => 'an owner',
    );
    return chips.length > 0 ? chips.map((chip) => chip.label).join(' · ') : 'All leads';
  }

  // Content ------------------------------------------------------------------------------

  protected focusField(path: string, label: string, event: FocusEvent): void {
    this.target = { path, element: event.target as FieldElement };
    this.targetLabel.set(label);
  }

  protected insertVariable(key: string): void {
    const channel = this.draft().channel;
    const path = this.target?.path ?? (channel === 'email' ? 'email.html' : null);
    const control = path ? this.form.get(path) : null;
    if (!control || !path) {
      this.notify('Click into a field first, then insert the variable');
      return;
    }
    const element = this.target?.element;
    const value = String(control.value ?? '');
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const next = insertAt(value, start, end, variableTag(key, this.fallback.value));
    control.setValue(next.value);
    control.markAsDirty();
    if (element) {
      setTimeout(() => {
        element.focus();
        element.setSelectionRange(next.caret, next.caret);
      });
    }
  }

  protected addParameter(): void {
    this.bodyParameters.push(this.fb.nonNullable.control(''));
    this.parameterCount.set(this.bodyParameters.length);
  }

  protected removeParameter(index: number): void {
    this.bodyParameters.removeAt(index);
    this.parameterCount.set(this.bodyParameters.length);
  }

  protected leadLabel = (lead: LeadDto | string | null): string =>
    !lead ? '' : typeof lead === 'string' ? lead : `${leadName(lead)}${lead.email ? ` <${lead.email}>` : ''}`;

  protected choosePreviewLead(lead: LeadDto | null): void {
    this.previewLead.set(lead);
    if (!lead) {
      this.leadSearch.setValue('');
    }
    void this.refreshPreview();
  }

  protected async refreshPreview(): Promise<void> {
    // Nothing to render before the required parts are written (the API would refuse them as empty).
    if (!hasContent(this.draft())) {
      return;
    }
    const problem = await this.store.renderPreview(this.draft(), this.previewLead()?.id ?? null);
    if (problem && problem.errors.length > 0) {
      const mapped = { ...problem, errors: problem.errors.map((e) => ({ ...e, field: formPath(e.field) })) };
      applyServerErrors(this.form, mapped);
    }
  }

  protected completed(step: EditorStep, index: number): boolean {
    return this.reached() >= index && this.problemsOf(step).length === 0;
  }

  protected onStep(index: number): void {
    this.reached.update((reached) => Math.max(reached, index));
  }

  // Review and launch --------------------------------------------------------------------

  protected async testSend(): Promise<void> {
    if (!(await this.saveDraft(false))) {
      return;
    }
    const channel = this.draft().channel;
    const lead = this.previewLead();
    this.dialog.open<TestSendDialogComponent, TestSendDialogData, TestSendResultDto>(TestSendDialogComponent, {
      data: {
        channel,
        defaultTo: channel === 'email' ? (this.auth.user()?.email ?? '') : (lead?.phone ?? ''),
        leadName: lead ? leadName(lead) : null,
        send: (to) => this.store.testSend(to, lead?.id ?? null),
      },
      autoFocus: 'first-tabbable',
    });
  }

  protected async launch(): Promise<void> {
    this.now.set(new Date());
    const problems = this.problemsOf('review');
    if (problems.length > 0) {
      this.saveError.set(problems.join('. '));
      return;
    }
    if (!(await this.saveDraft(false))) {
      return;
    }
    await this.store.countAudience(this.draft().channel, this.draft());
    const eligible = this.store.count()?.eligible ?? 0;
    const { schedule, name } = this.draft();
    const later = schedule.mode === 'later';
    const sendAt = later ? zonedInstant(schedule.day, schedule.time, schedule.timeZone) : null;
    const confirmed = await confirmAction(this.dialog, {
      title: later ? `Schedule “${name}”?` : `Send “${name}” now?`,
      message: later
        ? `It goes to ${plural(eligible, 'eligible recipient')} on ${this.scheduleSummary()}. The audience is evaluated again at that time.`
        : `It goes to ${plural(eligible, 'eligible recipient')} right away. You can pause or cancel while it sends.`,
      confirmLabel: later ? 'Schedule' : `Send to ${plural(eligible, 'recipient')}`,
    });
    if (!confirmed) {
      return;
    }
    this.launching.set(true);
    try {
      const campaign = await this.store.schedule(sendAt, schedule.timeZone);
      this.notify(later ? `“${campaign.name}” scheduled` : `“${campaign.name}” is sending`);
      void this.router.navigate(['/campaigns', campaign.id]);
    } catch (error: unknown) {
      this.showProblem(toApiProblem(error));
    } finally {
      this.launching.set(false);
    }
  }

  private notify(message: string): void {
    this.snackBar.open(message, 'Dismiss', { duration: 5000 });
  }
}
