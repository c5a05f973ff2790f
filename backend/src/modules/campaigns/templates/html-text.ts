/**
 * Small, dependency-free HTML helpers for email bodies: the plain-text part
 * derived from the HTML, and the attribute-level escaping the link rewriter
 * needs. Email HTML is simple (tables, paragraphs, links), so a tag scanner
 * is enough; nothing here builds a DOM, which keeps rendering fast.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  zwnj: '',
  zwj: '',
  shy: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  euro: '€',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Elements that start and end a line. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'div',
  'dl',
  'dt',
  'dd',
  'fieldset',
  'figure',
  'footer',
  'form',
  'header',
  'main',
  'nav',
  'ol',
  'pre',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);
/** Elements set off by an empty line. */
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const NL = '\uE000n';
const PARA = '\uE000p';

/**
 * The text part of an email from its HTML: links as "text (url)" (just the
 * url when the text is the url), block elements and <br> as line breaks,
 * paragraphs and headings separated by an empty line, list items as "- ",
 * table cells separated by a space; head, style, script, comments and hidden
 * preview text dropped.
 */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(div|span)\b[^>]*\bdata-preheader\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  // Whitespace in HTML source is insignificant: collapse it before adding our own breaks.
  s = s.replace(/\s+/g, ' ');
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_whole, attrs: string, inner: string) => {
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    const url = href ? decodeEntities(href[1] ?? href[2] ?? href[3] ?? '').trim() : '';
    const label = inner.replace(/<[^>]*>/g, '').trim();
    const plainLabel = decodeEntities(label).trim();
    if (!url || url.startsWith('#')) return label;
    const shownUrl = url.replace(/^mailto:/i, '');
    if (!plainLabel || plainLabel === url || plainLabel === shownUrl) return shownUrl;
    return `${label} (${shownUrl})`;
  });
  s = s.replace(/<img\b[^>]*>/gi, (tag) => {
    const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    return alt ? (alt[1] ?? alt[2] ?? '') : '';
  });
  s = s.replace(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi, (_whole, closing: string, tagName: string) => {
    const tag = tagName.toLowerCase();
    if (tag === 'br') return NL;
    if (tag === 'hr') return `${PARA}----------${PARA}`;
    if (tag === 'li') return closing ? '' : `${NL}- `;
    if (tag === 'td' || tag === 'th') return closing ? ' ' : '';
    if (PARAGRAPH.has(tag)) return PARA;
    if (BLOCK.has(tag)) return NL;
    return '';
  });
  s = decodeEntities(s.replace(/<[^>]*>/g, ''));
  // A run of breaks is one break; an empty line when any of them is a paragraph.
  s = s.replace(/(?:[ \t]*\uE000[np][ \t]*)+/g, (run) => (run.includes(PARA) ? '\n\n' : '\n'));
  const lines = s.split('\n').map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim());
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
