import { Pipe, PipeTransform } from '@angular/core';

import { renderMarkdown } from './markdown';

/**
 * `[innerHTML]="text | markdown"`: Markdown to HTML. Bind the result with [innerHTML] only,
 * so Angular's sanitizer cleans it; never pass it through bypassSecurityTrustHtml.
 */
@Pipe({ name: 'markdown' })
export class MarkdownPipe implements PipeTransform {
  transform(markdown: string | null | undefined): string {
    return markdown ? renderMarkdown(markdown) : '';
  }
}
