import type { OutgoingEmail } from './channel.types';
import { buildMime, encodeWords, parseMailbox, quotedPrintable } from './mime';

/**
 * A small reader written from RFC 5322 / 2045 / 2047 (no MIME parser is
 * installed): unfolds headers, decodes encoded words and quoted-printable,
 * splits the multipart body at its boundary.
 */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

function decodeQp(body: string): string {
  const soft = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parseEntity(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

function parse(raw: string) {
  const top = parseEntity(raw);
  const boundary = /boundary="([^"]+)"/.exec(top.headers.get('content-type') ?? '')?.[1] ?? '';
  const chunks = top.body.split(`--${boundary}`);
  expect(chunks.at(-1)).toBe('--\r\n');
  const parts = chunks.slice(1, -1).map((c) => {
    const part = parseEntity(c.replace(/^\r\n/, ''));
    const body = part.body.replace(/\r\n$/, '');
    const decoded = part.headers.get('content-transfer-encoding') === 'quoted-printable' ? decodeQp(body) : body;
    return { ...part, decoded };
  });
  return { top, boundary, parts };
}

const message = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'ada@example.com',
  from: 'Acme News <news@acme.example>',
  replyTo: null,
  subject: 'Hello Ada',
  html: '<p>Hello <b>Ada</b></p>',
  text: 'Hello Ada',
  headers: {
    'List-Unsubscribe': '<https://app.example.com/u/tok>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  messageId: '<3f1c@mail.example.com>',
  ...over,
});

describe('buildMime', () => {
  it('writes a multipart/alternative message: envelope, headers, text then HTML part', () => {
    const { raw, envelope } = buildMime(message(), new Date('2026-12-07T01:02:03Z'));
    const text = raw.toString('utf8');
    expect(envelope).toEqual({ from: 'news@acme.example', to: ['ada@example.com'] });
    const { top, parts } = parse(text);
    expect(top.headers.get('from')).toBe('Acme News <news@acme.example>');
    expect(top.headers.get('to')).toBe('ada@example.com');
    expect(top.headers.get('subject')).toBe('Hello Ada');
    expect(top.headers.get('date')).toBe('Mon, 07 Dec 2026 01:02:03 +0000');
    expect(top.headers.get('message-id')).toBe('<3f1c@mail.example.com>');
    expect(top.headers.get('mime-version')).toBe('1.0');
    expect(top.headers.get('list-unsubscribe')).toBe('<https://app.example.com/u/tok>');
    expect(top.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(top.headers.has('reply-to')).toBe(false);
    expect(parts.map((p) => p.headers.get('content-type'))).toEqual([
      'text/plain; charset=utf-8',
      'text/html; charset=utf-8',
    ]);
    expect(parts.map((p) => p.decoded)).toEqual(['Hello Ada', '<p>Hello <b>Ada</b></p>']);
    expect(parts.map((p) => p.headers.get('content-transfer-encoding'))).toEqual(['7bit', '7bit']);
    // Every line ends in CRLF, none is longer than 998 characters, and it is all ASCII.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n').every((l) => l.length <= 998)).toBe(true);
    expect(Buffer.from(text).every((b) => b < 128)).toBe(true);
  });

  it('encodes non-ASCII subjects and names as RFC 2047 words, and bodies as quoted-printable', () => {
    const subject = 'Grüße, Zoë — 特別なオファー 🎉 '.repeat(4).trim();
    const html = `<p>Bonjour Zoë, voilà ton offre : ${'€'.repeat(60)}</p>\n<p>=fin=</p>`;
    const { raw } = buildMime(
      message({
        from: fromName('Müller & Söhne, "Ventes"', 'ventes@acme.example'),
        replyTo: 'Zoë <reply@acme.example>',
        to: 'zoe@bücher.example',
        subject,
        html,
        text: 'Bonjour Zoë\n\nLigne deux ',
      }),
    );
    const text = raw.toString('utf8');
    expect(Buffer.from(text).every((b) => b < 128)).toBe(true);
    expect(text.split('\r\n').every((l) => l.length <= 78)).toBe(true);
    const { top, parts } = parse(text);
    expect(decodeWords(top.headers.get('subject') ?? '')).toBe(subject);
    expect(decodeWords(top.headers.get('from') ?? '')).toBe('Müller & Söhne, "Ventes" <ventes@acme.example>');
    expect(decodeWords(top.headers.get('reply-to') ?? '')).toBe('Zoë <reply@acme.example>');
    expect(top.headers.get('to')).toBe('zoe@xn--bcher-kva.example');
    expect(parts.map((p) => p.headers.get('content-transfer-encoding'))).toEqual([
      'quoted-printable',
      'quoted-printable',
    ]);
    expect(parts[0].decoded).toBe('Bonjour Zoë\r\n\r\nLigne deux ');
    expect(parts[1].decoded).toBe(html.replace('\n', '\r\n'));
  });

  it('keeps the preheader and the tracked HTML as given, long lines quoted-printable', () => {
    const long = `<div data-preheader style="display:none">Last chance</div><p>${'x'.repeat(1500)}</p>`;
    const { raw } = buildMime(message({ html: long }));
    const { parts } = parse(raw.toString('utf8'));
    expect(parts[1].headers.get('content-transfer-encoding')).toBe('quoted-printable');
    expect(parts[1].decoded).toBe(long);
  });

  it('never lets CR/LF from data reach a header', () => {
    const { raw } = buildMime(
      message({ subject: 'Hi\r\nBcc: evil@example.com', from: 'Acme\r\nBcc: evil@example.com <news@acme.example>' }),
    );
    const { top } = parse(raw.toString('utf8'));
    expect(top.headers.has('bcc')).toBe(false);
    expect(top.headers.get('subject')).toBe('Hi Bcc: evil@example.com');
  });

  it('folds a long ASCII subject at spaces', () => {
    const subject = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const { raw } = buildMime(message({ subject }));
    const text = raw.toString('utf8');
    expect(text.split('\r\n').every((l) => l.length <= 78)).toBe(true);
    expect(parse(text).top.headers.get('subject')).toBe(subject);
  });

  it('gives every message its own boundary, absent from its content', () => {
    const a = parse(buildMime(message()).raw.toString('utf8'));
    const b = parse(buildMime(message()).raw.toString('utf8'));
    expect(a.boundary).not.toBe(b.boundary);
  });
});

describe('MIME helpers', () => {
  it('parses mailboxes as fromMailbox writes them', () => {
    expect(parseMailbox('a@b.example')).toEqual({ name: null, address: 'a@b.example' });
    expect(parseMailbox('Acme <a@b.example>')).toEqual({ name: 'Acme', address: 'a@b.example' });
    expect(parseMailbox('"A \\"B\\", C" <a@b.example>')).toEqual({ name: 'A "B", C', address: 'a@b.example' });
  });

  it('splits encoded words on character boundaries', () => {
    const words = encodeWords('🎉'.repeat(40)).split('\r\n ');
    expect(words.every((w) => w.length <= 75)).toBe(true);
    expect(decodeWords(words.join(' '))).toBe('🎉'.repeat(40));
  });

  it('quoted-printable: = and trailing spaces encoded, soft breaks within 76', () => {
    expect(quotedPrintable('a=b ')).toBe('a=3Db=20');
    const out = quotedPrintable('é'.repeat(100));
    expect(out.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(decodeQp(out)).toBe('é'.repeat(100));
  });
});

function fromName(name: string, address: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}
