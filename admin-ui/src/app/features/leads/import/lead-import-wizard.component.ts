import { DecimalPipe } from '@angular/common';
import { HttpClient, HttpEventType, HttpHeaders } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  ChangeDetectorRef,
  Component,
  OnInit,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatStepper, MatStepperModule } from '@angular/material/stepper';
import { Router, RouterLink } from '@angular/router';
import {
  ApiConfiguration,
  ImportDryRunDto,
  ImportPreviewDto,
  dryRunLeadImport,
  startLeadImport,
  uploadLeadImport$Csv,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { toApiProblem } from '../../../core/http/api-problem';
import { formatBytes } from '../../../shared/format/format';
import { TaskProgressComponent } from '../../../shared/tasks/task-progress.component';
import { TaskWatcher } from '../../../shared/tasks/task-watcher';
import { LeadFieldDefinitions } from '../fields/lead-field-definitions';
import {
  DELIMITERS,
  DUPLICATE_POLICIES,
  ENCODINGS,
  IGNORE,
  ImportSettings,
  MappingErrors,
  MappingRow,
  acceptsFile,
  importOptionsBody,
  localMappingErrors,
  mappingErrors,
  mappingRows,
  targetOptions,
} from './lead-import-mapping';

const NO_ERRORS: MappingErrors = { byHeader: {}, general: [] };

/**
 * The CSV import wizard (/leads/import): upload a file, map its columns, check the first
 * rows with a dry run, then import in the background and follow the task to the end.
 * The API steps are described in docs/imports-and-exports.md.
 */
@Component({
  selector: 'app-lead-import-wizard',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    MatStepperModule,
    RouterLink,
    TaskProgressComponent,
  ],
  providers: [TaskWatcher],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './lead-import-wizard.component.html',
  styleUrl: './lead-import-wizard.component.scss',
})
export class LeadImportWizardComponent implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly router = inject(Router);
  private readonly cdr = inject(ChangeDetectorRef);
  private readonly definitions = inject(LeadFieldDefinitions);
  protected readonly watcher = inject(TaskWatcher);

  private readonly stepper = viewChild.required(MatStepper);

  protected readonly encodings = ENCODINGS;
  protected readonly delimiters = DELIMITERS;
  protected readonly policies = DUPLICATE_POLICIES;
  protected readonly ignore = IGNORE;

  // Upload
  protected readonly file = signal<File | null>(null);
  protected readonly dragging = signal(false);
  protected readonly uploading = signal(false);
  protected readonly uploadPercent = signal<number | null>(null);
  protected readonly uploadError = signal<string | null>(null);
  protected readonly preview = signal<ImportPreviewDto | null>(null);

  // Map
  protected readonly targets = computed(() => targetOptions(this.definitions.fields()));
  protected readonly leadTargets = computed(() => this.targets().filter((target) => target.group === 'lead'));
  protected readonly customTargets = computed(() => this.targets().filter((target) => target.group === 'custom'));
  protected readonly rows = signal<MappingRow[]>([]);
  protected readonly settings = signal<ImportSettings>({
    duplicatePolicy: 'skip',
    tags: '',
    defaultCountry: '',
    encoding: 'utf-8',
    delimiter: ',',
  });
  protected readonly errors = signal<MappingErrors>(NO_ERRORS);
  protected readonly checking = signal(false);
  protected readonly checkError = signal<string | null>(null);

  // Dry run
  protected readonly dryRun = signal<ImportDryRunDto | null>(null);
  protected readonly starting = signal(false);
  protected readonly startError = signal<string | null>(null);

  // Import
  protected readonly started = signal(false);
  protected readonly task = this.watcher.task;
  protected readonly finished = this.watcher.finished;
  protected readonly result = computed(() => {
    const task = this.task();
    const source = (task?.result ?? task?.counts ?? {}) as Record<string, unknown>;
    const count = (key: string) => (typeof source[key] === 'number' ? source[key] : (task?.counts[key] ?? 0));
    return {
      created: count('created'),
      updated: count('updated'),
      skipped: count('skipped'),
      failed: count('failed'),
    };
  });
  /** The tags added to every row: "View imported leads" filters on them when there are some. */
  private readonly importedTags = signal<string[]>([]);

  protected readonly cancel = (): Promise<void> => this.watcher.cancel();

  ngOnInit(): void {
    void this.definitions.load();
  }

  protected size(bytes: number): string {
    return formatBytes(bytes);
  }

  // Upload -------------------------------------------------------------------------------

  protected onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    const file = event.dataTransfer?.files.item(0);
    if (file) {
      this.choose(file);
    }
  }

  protected onPicked(input: HTMLInputElement): void {
    const file = input.files?.item(0);
    if (file) {
      this.choose(file);
    }
    input.value = '';
  }

  private choose(file: File): void {
    this.uploadError.set(null);
    if (!acceptsFile(file)) {
      this.uploadError.set(`${file.name} is not a CSV file: choose a .csv or .txt file.`);
      return;
    }
    this.file.set(file);
    void this.upload(file);
  }

  private async upload(file: File): Promise<void> {
    this.uploading.set(true);
    this.uploadPercent.set(0);
    try {
      // The generated uploadLeadImport$Csv sends the same request; this one reports progress.
      const url = `${this.apiConfig.rootUrl}${uploadLeadImport$Csv.PATH}`;
      const preview = await new Promise<ImportPreviewDto>((resolve, reject) => {
        this.http
          .post<ImportPreviewDto>(url, file, {
            params: { filename: file.name },
            headers: new HttpHeaders({ 'Content-Type': 'text/csv' }),
            reportProgress: true,
            observe: 'events',
          })
          .subscribe({
            next: (event) => {
              if (event.type === HttpEventType.UploadProgress) {
                this.uploadPercent.set(event.total ? Math.round((100 * event.loaded) / event.total) : null);
              } else if (event.type === HttpEventType.Response && event.body) {
                resolve(event.body);
              }
            },
            error: reject,
          });
      });
      this.usePreview(preview);
      this.advance();
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.uploadError.set(`Could not upload ${file.name}: ${problem.detail || problem.title}`);
    } finally {
      this.uploading.set(false);
    }
  }

  private usePreview(preview: ImportPreviewDto): void {
    this.preview.set(preview);
    this.rows.set(mappingRows(preview, this.targets()));
    this.settings.update((settings) => ({ ...settings, encoding: preview.encoding, delimiter: preview.delimiter }));
    this.errors.set(NO_ERRORS);
    this.dryRun.set(null);
  }

  // Map ----------------------------------------------------------------------------------

  protected setTarget(header: string, target: string): void {
    this.rows.update((rows) => rows.map((row) => (row.header === header ? { ...row, target } : row)));
    // The row's own error no longer applies once it changes.
    this.errors.update((errors) => {
      const byHeader = { ...errors.byHeader };
      delete byHeader[header];
      return { ...errors, byHeader };
    });
    this.dryRun.set(null);
  }

  protected patchSettings(changes: Partial<ImportSettings>): void {
    this.settings.update((settings) => ({ ...settings, ...changes }));
    this.dryRun.set(null);
  }

  protected rowErrors(header: string): string[] {
    return this.errors().byHeader[header] ?? [];
  }

  /** A sample cell is data from the file: shown as text, shortened. */
  protected sample(row: MappingRow): string {
    return row.samples.map((value) => (value.length > 40 ? `${value.slice(0, 39)}…` : value)).join(' · ');
  }

  private body() {
    const preview = this.preview();
    if (!preview) {
      throw new Error('No file uploaded');
    }
    return importOptionsBody(this.rows(), this.settings(), preview);
  }

  /** Next from the mapping: checks locally, then the dry run (which also checks the mapping on the server). */
  protected async check(): Promise<void> {
    const preview = this.preview();
    if (!preview) {
      return;
    }
    this.checkError.set(null);
    const local = localMappingErrors(this.rows());
    if (local.length > 0) {
      this.errors.set(mappingErrors(local, preview.headers));
      return;
    }
    this.checking.set(true);
    try {
      const result = await firstValueFrom(
        dryRunLeadImport(this.http, this.apiConfig.rootUrl, { id: preview.id, body: this.body() }).pipe(
          map((response) => response.body),
        ),
      );
      this.errors.set(NO_ERRORS);
      this.dryRun.set(result);
      this.advance();
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      if (problem.errors.length > 0) {
        this.errors.set(mappingErrors(problem.errors, preview.headers));
      } else {
        this.checkError.set(`Could not check the file: ${problem.detail || problem.title}`);
      }
    } finally {
      this.checking.set(false);
    }
  }

  // Import -------------------------------------------------------------------------------

  protected async start(): Promise<void> {
    const preview = this.preview();
    if (!preview) {
      return;
    }
    this.starting.set(true);
    this.startError.set(null);
    try {
      const body = this.body();
      const task = await firstValueFrom(
        startLeadImport(this.http, this.apiConfig.rootUrl, { id: preview.id, body }).pipe(
          map((response) => response.body),
        ),
      );
      this.importedTags.set(body.tags ?? []);
      this.started.set(true);
      this.watcher.watch(task.id, task);
      this.advance();
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.startError.set(`Could not start the import: ${problem.detail || problem.title}`);
    } finally {
      this.starting.set(false);
    }
  }

  protected viewImported(): void {
    const tags = this.importedTags();
    void this.router.navigate(['/leads'], {
      queryParams: tags.length > 0 ? { tag: tags } : { source: this.body().source ?? 'import' },
    });
  }

  protected importAnother(): void {
    this.watcher.stop();
    this.started.set(false);
    this.file.set(null);
    this.preview.set(null);
    this.rows.set([]);
    this.dryRun.set(null);
    this.errors.set(NO_ERRORS);
    this.uploadPercent.set(null);
    this.settings.update((settings) => ({ ...settings, tags: '', defaultCountry: '' }));
    this.cdr.detectChanges();
    this.stepper().reset();
  }

  /** The step's `completed` flags are bindings: refresh them, then move on. */
  private advance(): void {
    this.cdr.detectChanges();
    this.stepper().next();
  }
}
