import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import { toApiProblem } from '../../core/http/api-problem';
import { AssistantStore } from '../assistant/assistant.store';
import { HelpDocsService } from './help-docs.service';

/** /help: the documentation pages, with a filter, and the assistant one click away. */
@Component({
  selector: 'app-help-index-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './help-index-page.component.html',
  styleUrl: './help-index-page.component.scss',
})
export class HelpIndexPageComponent {
  private readonly docs = inject(HelpDocsService);
  protected readonly assistant = inject(AssistantStore);

  protected readonly pages = resource({ loader: () => this.docs.list() });
  protected readonly problem = computed(() => (this.pages.error() ? toApiProblem(this.pages.error()) : null));
  protected readonly filter = signal('');
  protected readonly shown = computed(() => {
    const words = this.filter().trim().toLowerCase().split(/\s+/).filter(Boolean);
    const pages = this.pages.hasValue() ? this.pages.value() : [];
    return pages.filter((page) => words.every((word) => page.title.toLowerCase().includes(word)));
  });

  protected onFilter(event: Event): void {
    this.filter.set((event.target as HTMLInputElement).value);
  }
}
