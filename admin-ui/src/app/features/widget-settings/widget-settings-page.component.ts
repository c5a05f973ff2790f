import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import {
  ApiConfiguration,
  WidgetSettingsDto,
  getWidgetSettings,
  rotateWidgetKey,
  updateWidgetSettings,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { CopyButtonComponent } from '../../shared/copy-button/copy-button.component';

const body = <T>(call: Observable<{ body: T }>) => firstValueFrom(call.pipe(map((response) => response.body)));

/** /settings/widget: the website widget's snippet, allowed sites, greeting and colour. */
@Component({
  selector: 'app-widget-settings-page',
  imports: [
    CopyButtonComponent,
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="app-page widget-page">
      <header class="app-page-header">
        <div>
          <h1>Website widget</h1>
          <p class="app-page-subtitle">
            A chat button for your website: visitors leave their details and a question, the help assistant answers from
            its sources, and the conversation lands in the <a routerLink="/inbox">inbox</a>.
          </p>
        </div>
      </header>
      <div class="progress-slot">
        @if (loading()) {
          <mat-progress-bar mode="indeterminate" aria-label="Loading the widget settings" />
        }
      </div>
      @if (error(); as problem) {
        <p class="app-form-error" role="alert" data-testid="widget-error">{{ problem.detail || problem.title }}</p>
      }
      @if (settings(); as s) {
        <mat-card appearance="outlined" class="card">
          <h2>1. Allow your sites</h2>
          <p class="app-muted">
            The widget answers only pages of these origins (scheme and host, e.g. https://www.example.com; www and
            no-www are two). One per line.
          </p>
          <mat-form-field appearance="outline" class="full">
            <mat-label>Allowed sites</mat-label>
            <textarea
              matInput
              rows="3"
              [(ngModel)]="origins"
              [disabled]="!canManage()"
              placeholder="https://www.example.com"
              data-testid="widget-origins"
            ></textarea>
          </mat-form-field>
          <div class="row">
            <mat-form-field appearance="outline" class="grow">
              <mat-label>Greeting</mat-label>
              <input matInput [(ngModel)]="greeting" maxlength="300" [disabled]="!canManage()" />
            </mat-form-field>
            <mat-form-field appearance="outline" class="color">
              <mat-label>Colour</mat-label>
              <input matInput type="color" [(ngModel)]="accentColor" [disabled]="!canManage()" />
            </mat-form-field>
          </div>
          <mat-slide-toggle [(ngModel)]="enabled" [disabled]="!canManage()">Widget switched on</mat-slide-toggle>
          @if (canManage()) {
            <div class="actions">
              <button mat-flat-button type="button" (click)="save()" [disabled]="saving()" data-testid="widget-save">
                <mat-icon svgIcon="save" aria-hidden="true" /> Save
              </button>
              @if (saved()) {
                <span class="app-muted" role="status">Saved.</span>
              }
            </div>
          } @else {
            <p class="app-muted">Only owners and admins change these settings.</p>
          }
        </mat-card>

        <mat-card appearance="outlined" class="card">
          <h2>2. Paste the snippet</h2>
          <p class="app-muted">Before <code>&lt;/body&gt;</code> on every page where the chat button should appear.</p>
          @if (s.allowedOrigins.length === 0) {
            <p class="warning" role="note" data-testid="widget-no-origin">
              <mat-icon svgIcon="warning" aria-hidden="true" /> No site is allowed yet: the button shows, but the widget
              refuses to answer until you add your site above.
            </p>
          }
          <pre class="snippet" data-testid="widget-snippet">{{ s.snippet }}</pre>
          <div class="actions">
            <app-copy-button [value]="s.snippet" label="Copy the snippet" testId="widget-copy" />
            @if (canManage()) {
              <button
                mat-stroked-button
                type="button"
                (click)="rotate()"
                [disabled]="saving()"
                data-testid="widget-rotate"
              >
                <mat-icon svgIcon="refresh" aria-hidden="true" /> New key
              </button>
            }
          </div>
          <p class="app-muted small">
            The key in the snippet is public: it only opens the widget's own routes (send the form, read the visitor's
            own conversation). A new key stops the old snippet at once.
          </p>
        </mat-card>
      }
    </div>
  `,
  styles: `
    .widget-page {
      max-width: 900px;
    }
    .progress-slot {
      height: 4px;
      margin-bottom: 8px;
    }
    .card {
      padding: 16px 20px;
      margin-bottom: 16px;
      h2 {
        margin: 0 0 4px;
        font: var(--mat-sys-title-medium);
      }
    }
    .full {
      width: 100%;
    }
    .row {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
      .grow {
        flex: 1;
        min-width: 220px;
      }
      .color {
        width: 120px;
      }
    }
    .actions {
      display: flex;
      align-items: center;
      gap: 12px;
      margin-top: 12px;
      flex-wrap: wrap;
    }
    .snippet {
      margin: 8px 0 0;
      padding: 12px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-surface-container-high);
      white-space: pre-wrap;
      word-break: break-all;
      font-size: 13px;
    }
    .warning {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      color: var(--mat-sys-on-error-container);
      background: var(--mat-sys-error-container);
      padding: 8px 12px;
      border-radius: var(--mat-sys-corner-medium);
    }
    .small {
      font-size: 13px;
    }
  `,
})
export class WidgetSettingsPageComponent implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly auth = inject(AuthStore);

  readonly settings = signal<WidgetSettingsDto | null>(null);
  readonly loading = signal(false);
  readonly saving = signal(false);
  readonly saved = signal(false);
  readonly error = signal<ApiProblem | null>(null);
  readonly canManage = computed(() => this.auth.permissions().has('organization:manage'));
  origins = '';
  greeting = '';
  accentColor = '#3f51b5';
  enabled = true;

  ngOnInit(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading.set(true);
    try {
      this.apply(await body(getWidgetSettings(this.http, this.apiConfig.rootUrl)));
    } catch (error: unknown) {
      this.error.set(toApiProblem(error));
    } finally {
      this.loading.set(false);
    }
  }

  async save(): Promise<void> {
    this.saving.set(true);
    this.saved.set(false);
    this.error.set(null);
    try {
      const allowedOrigins = this.origins
        .split(/[\n,]/)
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean);
      this.apply(
        await body(
          updateWidgetSettings(this.http, this.apiConfig.rootUrl, {
            body: { allowedOrigins, greeting: this.greeting, accentColor: this.accentColor, enabled: this.enabled },
          }),
        ),
      );
      this.saved.set(true);
    } catch (error: unknown) {
      this.error.set(toApiProblem(error));
    } finally {
      this.saving.set(false);
    }
  }

  async rotate(): Promise<void> {
    this.saving.set(true);
    this.error.set(null);
    try {
      this.apply(await body(rotateWidgetKey(this.http, this.apiConfig.rootUrl)));
    } catch (error: unknown) {
      this.error.set(toApiProblem(error));
    } finally {
      this.saving.set(false);
    }
  }

  private apply(settings: WidgetSettingsDto): void {
    this.settings.set(settings);
    this.origins = settings.allowedOrigins.join('\n');
    this.greeting = settings.greeting;
    this.accentColor = settings.accentColor;
    this.enabled = settings.enabled;
  }
}
