import { parse } from 'csv-parse';
import { Readable, Transform } from 'node:stream';

/** Encodings an import can be read in; the preview picks one, the import may override it. */
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Largest record (characters) an import accepts: a broken quote must not swallow the file into memory. */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * The encoding of a file from its first bytes: a byte-order mark decides;
 * otherwise bytes that are valid UTF-8 are UTF-8, and anything else is
 * taken as Windows-1252 (the superset of Latin-1 that Excel writes).
 */
export function detectEncoding(head: Buffer): CsvEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    // stream: true leaves a character cut at the end of the sample alone.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/**
 * The delimiter of a CSV text: for each candidate, the count outside quotes
 * on each of the first records. The one that splits the most records into
 * the same number of columns as the header wins (ties: more columns).
 */
export function detectDelimiter(text: string, maxRecords = 20): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number[]>(CSV_DELIMITERS.map((d) => [d, [0]]));
  let inQuotes = false;
  let records = 0;
  for (let i = 0; i < text.length && records < maxRecords; i++) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes; // "" inside quotes toggles twice: no change
      continue;
    }
    if (inQuotes) continue;
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      records++;
      for (const list of counts.values()) list.push(0);
      continue;
    }
    const list = counts.get(ch as CsvDelimiter);
    if (list) list[list.length - 1]++;
  }
  let best: CsvDelimiter = ',';
  let bestScore: [number, number] = [-1, -1];
  for (const [delimiter, list] of counts) {
    const header = list[0];
    if (header === 0) continue;
    // The last entry may be an empty trailing line or a record cut by the sample.
    const rows = list.slice(1, Math.max(1, list.length - 1));
    const consistent = rows.filter((n) => n === header).length;
    const score: [number, number] = [consistent, header];
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

/** Bytes → text in the given encoding, streamed (a character split across chunks is kept whole); the BOM is dropped. */
export function decodeStream(encoding: CsvEncoding): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

export interface CsvReadOptions {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
}

/**
 * Every record of a CSV stream (the header first), one at a time: memory
 * stays flat whatever the file's size. Quoted fields may hold delimiters,
 * quotes ("") and newlines; records may have fewer or more cells than the
 * header; blank lines are skipped.
 */
export async function* readRecords(source: Readable, options: CsvReadOptions): AsyncGenerator<string[]> {
  const parser = parse({
    delimiter: options.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const decoded = source.pipe(decodeStream(options.encoding));
  source.on('error', (err) => decoded.destroy(err));
  decoded.on('error', (err) => parser.destroy(err));
  decoded.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield record;
  } finally {
    source.destroy();
    decoded.destroy();
    parser.destroy();
  }
}

/** Header names as the mapping refers to them: trimmed, blanks named "Column N", repeats suffixed " (2)". */
export function uniqueHeaders(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    const base = h.trim() || `Column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** Characters that make a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet will show as text: one starting with = + - @ tab or CR gets a leading '. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes neutraliseCell on import, so an exported file imports back to the same values. */
export function unneutraliseCell(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** One CSV line: every cell quoted (quotes doubled), formulas neutralised, CRLF at the end. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map((c) => `"${neutraliseCell(c === null || c === undefined ? '' : String(c)).replace(/"/g, '""')}"`).join(',')}\r\n`;
}

/** UTF-8 byte-order mark: Excel reads the file as UTF-8 only with it. */
export const UTF8_BOM = '\uFEFF';
