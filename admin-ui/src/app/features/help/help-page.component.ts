import { BreakpointObserver } from '@angular/cdk/layout';
import { DOCUMENT, NgTemplateOutlet } from '@angular/common';
import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, resource } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute, Router, RouterLink, Scroll } from '@angular/router';
import { filter, map } from 'rxjs';

import { toApiProblem } from '../../core/http/api-problem';
import { AssistantStore } from '../assistant/assistant.store';
import { HelpDocsService } from './help-docs.service';
import { MarkdownViewComponent } from './markdown/markdown-view.component';
import { markdownHeadings } from './markdown/markdown';

const HIGHLIGHT_MS = 1600;

/**
 * /help/:page: one documentation page, with its table of contents. `#anchor` in the URL
 * (the sources of the assistant's local answers) scrolls to that section.
 */
@Component({
  selector: 'app-help-page',
  imports: [MarkdownViewComponent, MatButtonModule, MatIconModule, MatProgressBarModule, NgTemplateOutlet, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './help-page.component.html',
  styleUrl: './help-page.component.scss',
})
export class HelpPageComponent {
  private readonly docs = inject(HelpDocsService);
  private readonly document = inject(DOCUMENT);
  protected readonly assistant = inject(AssistantStore);

  private readonly route = inject(ActivatedRoute);
  /** The `:page` of the route. */
  protected readonly page = toSignal(this.route.paramMap.pipe(map((params) => params.get('page') ?? '')), {
    requireSync: true,
  });

  protected readonly doc = resource({
    params: () => ({ page: this.page() }),
    loader: ({ params }) => this.docs.page(params.page),
  });
  protected readonly notFound = computed(() => {
    const error = this.doc.error();
    return error instanceof HttpErrorResponse && error.status === 404;
  });
  protected readonly problem = computed(() => (this.doc.error() ? toApiProblem(this.doc.error()) : null));
  /** Sections for the table of contents (the H1 is the page title). */
  protected readonly toc = computed(() =>
    this.doc.hasValue()
      ? markdownHeadings(this.doc.value().markdown).filter((h) => h.depth === 2 || h.depth === 3)
      : [],
  );

  /** Below this width the table of contents folds above the page instead of standing beside it. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 1023.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  /** The section to show once the page is on screen. */
  private pendingAnchor: string | null = this.route.snapshot.fragment;
  private highlightTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // The router scrolls to the top after each navigation (anchor scrolling is off in the app):
    // its Scroll event comes first, then this goes to the section.
    inject(Router)
      .events.pipe(
        filter((event): event is Scroll => event instanceof Scroll),
        takeUntilDestroyed(),
      )
      .subscribe((event) => {
        if (event.anchor && !this.scrollTo(event.anchor)) {
          this.pendingAnchor = event.anchor;
        }
      });
  }

  protected onRendered(): void {
    if (this.pendingAnchor && this.scrollTo(this.pendingAnchor)) {
      this.pendingAnchor = null;
    }
  }

  private scrollTo(anchor: string): boolean {
    const target = this.document.getElementById(anchor);
    if (!target?.closest('.help-article')) {
      return false;
    }
    target.scrollIntoView({ block: 'start' });
    // Screen readers and keyboard users continue from the section, not from the top.
    target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
    target.classList.add('is-target');
    if (this.highlightTimer !== null) {
      clearTimeout(this.highlightTimer);
    }
    this.highlightTimer = setTimeout(() => target.classList.remove('is-target'), HIGHLIGHT_MS);
    return true;
  }
}
