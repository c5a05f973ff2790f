import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { OutgoingEmail } from './channel.types';

/**
 * A lean MIME builder for campaign email: one `multipart/alternative`
 * message (text part, then HTML part), built as one string and sent as one
 * buffer. nodemailer's composer builds a tree of streams per message (most of
 * a campaign worker's CPU went there and into the many small socket writes
 * it makes); a campaign message is always the same shape, so this writes it
 * directly:
 *
 * - headers: From, Reply-To, To, Subject, Date, Message-ID, MIME-Version and
 *   the caller's extra headers (List-Unsubscribe, List-Unsubscribe-Post);
 *   non-ASCII display names and subjects as RFC 2047 encoded words (UTF-8,
 *   base64), folded so that no line exceeds 78 characters; CR/LF never
 *   reach a header (no header injection);
 * - parts: UTF-8, `7bit` when the part is ASCII with short lines (most
 *   templates), else quoted-printable (RFC 2045), lines ending in CRLF.
 *
 * Dot-stuffing is the SMTP client's (nodemailer's data stream) job.
 */

/** The boundary: random per process, a counter per message; it cannot occur in QP or checked 7bit content. */
const BOUNDARY_PREFIX = `=_mrd_${randomBytes(9).toString('base64url')}_`;
let boundaryCounter = 0;

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;
const NEWLINES = /\r\n|\r|\n/g;

export interface Mailbox {
  name: string | null;
  address: string;
}

/** `Name <addr>`, `"Quoted, Name" <addr>` or `addr` (what fromMailbox and users write). */
export function parseMailbox(value: string): Mailbox {
  const clean = value.replace(/[\r\n]+/g, ' ').trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(clean);
  if (!m) return { name: null, address: clean };
  let name = m[1].trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return { name: name || null, address: m[2].trim() };
}

/** The address with its domain in ASCII (IDNA), as the envelope and headers need it. */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0 || ASCII_PRINTABLE.test(address)) return address;
  const domain = domainToASCII(address.slice(at + 1)) || address.slice(at + 1);
  return `${address.slice(0, at)}@${domain}`;
}

/**
 * RFC 2047 encoded words (`=?UTF-8?B?...?=`), each at most 75 characters,
 * never splitting a character, joined by folding whitespace.
 */
export function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    // 42 bytes → 56 base64 characters + 12 of the `=?UTF-8?B?` `?=` frame = 68 ≤ 75 (77 with "Subject: ").
    if (bytes + n > 42) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += n;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** An unstructured header value (Subject): as is when ASCII, folded at spaces; encoded words otherwise. */
export function encodeUnstructured(value: string, nameLength: number): string {
  const text = value.replace(/[\r\n\t]+/g, ' ');
  if (!ASCII_PRINTABLE.test(text)) return encodeWords(text);
  if (text.length + nameLength + 2 <= 78) return text;
  // Fold at spaces (a fold is CRLF before the space); a word longer than a line stays whole (≤ 998 is the hard limit).
  const out: string[] = [];
  let line = '';
  let limit = 78 - nameLength - 2;
  for (const word of text.split(/(?= )/)) {
    if (line && line.length + word.length > limit) {
      out.push(line);
      line = word;
      limit = 78;
    } else line += word;
  }
  out.push(line);
  return out.join('\r\n');
}

/** A mailbox header value: the display name quoted or encoded, the address with an ASCII domain. */
export function formatMailbox(box: Mailbox): string {
  if (!box.name) return asciiAddress(box.address);
  const address = `<${asciiAddress(box.address)}>`;
  const name = box.name.replace(/[\r\n\t]+/g, ' ');
  if (!ASCII_PRINTABLE.test(name)) return `${encodeWords(name)} ${address}`;
  if (/^[\w !#$%&'*+/=?^`{|}~-]+$/.test(name)) return `${name} ${address}`;
  return `"${name.replace(/["\\]/g, '\\$&')}" ${address}`;
}

/** A date as RFC 5322 wants it: `Mon, 07 Dec 2026 01:02:03 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const HEX = '0123456789ABCDEF';

/** Quoted-printable (RFC 2045 6.7) of UTF-8 text, lines of at most 76 characters, CRLF line breaks. */
export function quotedPrintable(text: string): string {
  const lines = text.split(NEWLINES);
  const out: string[] = [];
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    let current = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const last = i === bytes.length - 1;
      let enc: string;
      if ((b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last)) enc = String.fromCharCode(b);
      else enc = `=${HEX[b >> 4]}${HEX[b & 15]}`;
      // Keep a soft line break (`=`) within 76 characters.
      if (current.length + enc.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += enc;
    }
    out.push(current);
  }
  return out.join('\r\n');
}

/** A part's body and its Content-Transfer-Encoding. */
export function encodePart(text: string, boundary: string): { encoding: '7bit' | 'quoted-printable'; body: string } {
  const crlf = text.replace(NEWLINES, '\r\n');
  const ascii = /^[\x20-\x7e\t\r\n]*$/.test(crlf);
  if (ascii && !crlf.includes(boundary) && crlf.split('\r\n').every((l) => l.length <= 998))
    return { encoding: '7bit', body: crlf };
  return { encoding: 'quoted-printable', body: quotedPrintable(text) };
}

function headerLine(name: string, value: string): string {
  return `${name}: ${value}\r\n`;
}

export interface BuiltMime {
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

/** The whole message, as the SMTP DATA payload (before dot-stuffing), and its envelope. */
export function buildMime(message: OutgoingEmail, date = new Date()): BuiltMime {
  const from = parseMailbox(message.from);
  const to = parseMailbox(message.to);
  const boundary = `${BOUNDARY_PREFIX}${(boundaryCounter = (boundaryCounter + 1) % 1e9)}`;
  let head =
    headerLine('From', formatMailbox(from)) +
    (message.replyTo ? headerLine('Reply-To', formatMailbox(parseMailbox(message.replyTo))) : '') +
    headerLine('To', formatMailbox(to)) +
    headerLine('Subject', encodeUnstructured(message.subject, 'Subject'.length)) +
    headerLine('Date', rfc5322Date(date)) +
    headerLine('Message-ID', message.messageId.replace(/[\r\n\s]+/g, '')) +
    'MIME-Version: 1.0\r\n';
  for (const [name, value] of Object.entries(message.headers)) {
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue; // not a header name: dropped rather than sent broken
    head += headerLine(name, encodeUnstructured(value, name.length));
  }
  head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
  const text = encodePart(message.text, boundary);
  const html = encodePart(message.html, boundary);
  const raw =
    head +
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: ${text.encoding}\r\n\r\n` +
    `${text.body}\r\n` +
    `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: ${html.encoding}\r\n\r\n` +
    `${html.body}\r\n` +
    `--${boundary}--\r\n`;
  return {
    raw: Buffer.from(raw, 'utf8'),
    envelope: { from: asciiAddress(from.address), to: [asciiAddress(to.address)] },
  };
}
