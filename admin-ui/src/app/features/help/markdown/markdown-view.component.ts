import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  ViewEncapsulation,
  afterRenderEffect,
  computed,
  inject,
  input,
  output,
} from '@angular/core';
import { Router } from '@angular/router';

import { MarkdownPipe } from './markdown.pipe';
import { markdownHeadings } from './markdown';

/** Paths the API serves itself (Swagger UI, health, metrics): a real page load, not a console route. */
const SERVER_PATHS = /^\/(api|docs|docs-json|health|metrics)(\/|\?|#|$)/;

/**
 * Renders Markdown (sanitised by Angular through [innerHTML]) and makes its links behave
 * like the console's: links to console pages navigate in-app, links elsewhere open in a
 * new tab (set by the renderer), and headings get their anchor ids.
 */
@Component({
  selector: 'app-markdown-view',
  imports: [MarkdownPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The content is created by [innerHTML], outside of the emulated style scope.
  encapsulation: ViewEncapsulation.None,
  styleUrl: './markdown-view.component.scss',
  host: { class: 'app-markdown', '(click)': 'onClick($event)' },
  template: `<div class="app-markdown-body" [innerHTML]="markdown() | markdown"></div>`,
})
export class MarkdownViewComponent {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly router = inject(Router);

  readonly markdown = input.required<string>();
  /** Gives the headings their anchor ids (help pages; answers in the assistant do not need them). */
  readonly headingIds = input(false);
  /** The content is in the DOM, with its heading ids. */
  readonly rendered = output();
  /** A link of the content was followed inside the console; carries the URL. */
  readonly navigated = output<string>();

  private readonly headings = computed(() => (this.headingIds() ? markdownHeadings(this.markdown()) : []));

  constructor() {
    afterRenderEffect({
      write: () => {
        const headings = this.headings();
        const elements = this.host.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6');
        elements.forEach((element, index) => {
          const heading = headings[index];
          if (heading) {
            element.id = heading.id;
          }
        });
        this.rendered.emit();
      },
    });
  }

  protected onClick(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    const anchor = target?.closest('a');
    if (!anchor || !this.host.contains(anchor) || (anchor.target && anchor.target !== '_self')) {
      return;
    }
    const href = anchor.getAttribute('href') ?? '';
    let url: string | null = null;
    if (href.startsWith('#')) {
      url = this.router.url.split('#')[0] + href;
    } else if (href.startsWith('/') && !href.startsWith('//') && !SERVER_PATHS.test(href)) {
      url = href;
    }
    if (url !== null) {
      event.preventDefault();
      void this.router.navigateByUrl(url);
      this.navigated.emit(url);
    }
  }
}
