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

/** Elements whose content is not text. */
const SKIP = new Set(['head', 'style', 'script', 'title', 'template']);

const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|<[^>]*>|[^<]+|</g;
const HREF_ATTR = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const ALT_ATTR = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/**
 * The text part of an email from its HTML: links as "text (url)" (just the
 * url when the text is the url), block elements and <br> as line breaks,
 * paragraphs and headings separated by an empty line, list items as "- ",
 * table cells separated by a space; head, style, script, comments and hidden
 * preview text dropped. One pass over the markup (it runs for every recipient).
 */
export function htmlToText(html: string): string {
  // Pieces of text, and break markers: 1 = line break, 2 = empty line.
  const out: (string | 1 | 2)[] = [];
  const links: { at: number; url: string }[] = [];
  let skipUntil: string | null = null;
  let hiddenDepth = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m !== null; m = TOKEN.exec(html)) {
    const token = m[0];
    const tagName = m[2];
    if (tagName === undefined) {
      if (skipUntil || hiddenDepth > 0 || token.startsWith('<')) continue;
      const text = token.replace(/\s+/g, ' ');
      out.push(text.includes('&') ? decodeEntities(text) : text);
      continue;
    }
    const tag = tagName.toLowerCase();
    const closing = m[1] === '/';
    if (skipUntil) {
      if (closing && tag === skipUntil) skipUntil = null;
      continue;
    }
    if (SKIP.has(tag)) {
      if (!closing && !m[3].endsWith('/')) skipUntil = tag;
      continue;
    }
    if ((tag === 'div' || tag === 'span') && (hiddenDepth > 0 || (!closing && /\bdata-preheader\b/i.test(m[3])))) {
      hiddenDepth += closing ? -1 : 1;
      continue;
    }
    if (hiddenDepth > 0) continue;
    if (tag === 'a') {
      if (!closing) {
        const href = HREF_ATTR.exec(m[3]);
        links.push({ at: out.length, url: href ? decodeEntities(href[1] ?? href[2] ?? href[3] ?? '').trim() : '' });
      } else {
        const link = links.pop();
        if (link) closeLink(out, link);
      }
    } else if (tag === 'br') out.push(1);
    else if (tag === 'hr') out.push(2, '----------', 2);
    else if (tag === 'li') {
      if (!closing) out.push(1, '- ');
    } else if (tag === 'td' || tag === 'th') {
      if (closing) out.push(' ');
    } else if (tag === 'img') {
      const alt = ALT_ATTR.exec(m[3]);
      if (alt) out.push(decodeEntities(alt[1] ?? alt[2] ?? ''));
    } else if (PARAGRAPH.has(tag)) out.push(2);
    else if (BLOCK.has(tag)) out.push(1);
  }
  // A run of breaks is one break; an empty line when any of them is a paragraph.
  const lines: string[] = [];
  let line = '';
  let pending: 0 | 1 | 2 = 0;
  for (const piece of out) {
    if (piece === 1 || piece === 2) {
      if (piece > pending) pending = piece;
    } else if (!pending) {
      line += piece;
    } else if (piece.trim() !== '') {
      lines.push(line);
      if (pending === 2) lines.push('');
      line = piece;
      pending = 0;
    }
  }
  lines.push(line);
  return lines
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Replaces the pieces of a link's content by "label (url)". */
function closeLink(out: (string | 1 | 2)[], link: { at: number; url: string }): void {
  const { url } = link;
  if (!url || url.startsWith('#')) return;
  const label = out
    .slice(link.at)
    .map((p) => (typeof p === 'string' ? p : ' '))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const shownUrl = url.replace(/^mailto:/i, '');
  out.length = link.at;
  out.push(!label || label === url || label === shownUrl ? shownUrl : `${label} (${shownUrl})`);
}
