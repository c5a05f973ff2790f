import { Marked, Token, Tokens } from 'marked';

/** Where the console shows the documentation pages (docs/*.md). */
export const HELP_PATH = '/help';

/** A heading of a Markdown document, with the id the rendered heading gets. */
export interface DocHeading {
  depth: number;
  /** Plain text, for a table of contents. */
  text: string;
  id: string;
}

/**
 * GitHub-style heading anchor: lower-case, punctuation removed, spaces to '-'.
 * The same rule as the API's `anchorOf` (backend/src/modules/kapa/local-docs.service.ts),
 * so the `/help/<page>#<anchor>` sources of local answers land on their section.
 */
export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

const SCHEME = /^[a-z][a-z\d+.-]*:/i;
const DOC_LINK = /^(?:\.{1,2}\/)*(?:[\w-]+\/)*([\w-]+)\.md(#\S*)?$/i;

/** A link that leaves the console (another origin, mail, ...): opened in a new tab. */
export function isExternalHref(href: string): boolean {
  return SCHEME.test(href) || href.startsWith('//');
}

/** Links between documentation pages (`other.md#x`) point at the help viewer (`/help/other#x`). */
export function rewriteDocHref(href: string): string {
  if (isExternalHref(href) || href.startsWith('#') || href.startsWith('/')) {
    return href;
  }
  const match = DOC_LINK.exec(href);
  return match ? `${HELP_PATH}/${match[1]}${match[2] ?? ''}` : href;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function cleanUrl(href: string): string | null {
  try {
    return encodeURI(href).replace(/%25/g, '%');
  } catch {
    return null;
  }
}

function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
        return plainText(token.tokens);
      }
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}

/**
 * Markdown to HTML for answers and help pages. The HTML is bound with [innerHTML], so
 * Angular's sanitizer has the last word (scripts, event handlers and `javascript:` URLs
 * never reach the DOM); on top of that, raw HTML in the Markdown is shown as text, not
 * interpreted, since neither the docs nor the answers need it.
 */
const marked = new Marked({
  gfm: true,
  async: false,
  walkTokens(token: Token): void {
    if (token.type === 'link') {
      (token as Tokens.Link).href = rewriteDocHref((token as Tokens.Link).href);
    }
  },
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const text = this.parser.parseInline(tokens);
      const url = cleanUrl(href);
      if (url === null) {
        return text;
      }
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      const external = isExternalHref(url) ? ' target="_blank" rel="noopener noreferrer"' : '';
      return `<a href="${escapeHtml(url)}"${titleAttr}${external}>${text}</a>`;
    },
  },
});

/** HTML of a Markdown text, for [innerHTML] (never bypass the sanitizer with it). */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

/**
 * The headings of a document in order, with unique ids: the first heading of a text gets
 * its plain slug (what the API links to), repeats get -1, -2... as on GitHub.
 * Angular's sanitizer drops `id` attributes, so the ids are set on the rendered headings
 * afterwards, in this same order (see MarkdownViewComponent).
 */
export function markdownHeadings(markdown: string): DocHeading[] {
  const headings: DocHeading[] = [];
  const seen = new Map<string, number>();
  // walkTokens returns the callbacks' results, all undefined here: nothing to await.
  void marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type !== 'heading') {
      return;
    }
    const heading = token as Tokens.Heading;
    const base = slugify(heading.text) || 'section';
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    headings.push({
      depth: heading.depth,
      text: plainText(heading.tokens).trim(),
      id: count === 0 ? base : `${base}-${count}`,
    });
  });
  return headings;
}
