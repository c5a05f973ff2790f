import { Readable } from 'node:stream';
import {
  csvLine,
  detectDelimiter,
  detectEncoding,
  neutraliseCell,
  readRecords,
  unneutraliseCell,
  uniqueHeaders,
} from './csv-format';

describe('CSV format', () => {
  it('neutralises cells a spreadsheet would run as a formula, and nothing else', () => {
    for (const cell of ['=1+2', '+44 20', '-5', '@SUM(A1)', '\tx', '\rx'])
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    for (const cell of ['plain', '', 'a=b', "'=already", ' =spaced', '5-3']) expect(neutraliseCell(cell)).toBe(cell);
    expect(unneutraliseCell("'=1+2")).toBe('=1+2');
    expect(unneutraliseCell("'plain")).toBe("'plain");
  });

  it('quotes every cell, doubles quotes, neutralises formulas, ends lines with CRLF', () => {
    expect(csvLine(['a', 'say "hi"', '=cmd|x', null, 3, true, 'two\nlines'])).toBe(
      '"a","say ""hi""","\'=cmd|x","","3","true","two\nlines"\r\n',
    );
  });

  it('tells the encoding from the BOM, else UTF-8 validity, else windows-1252', () => {
    expect(detectEncoding(Buffer.from('\uFEFFa,b', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('Müller', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('Müller', 'latin1'))).toBe('windows-1252');
    // A character cut at the end of the sample is not a reason to give up on UTF-8.
    expect(detectEncoding(Buffer.from('Mü', 'utf8').subarray(0, 2))).toBe('utf-8');
  });

  it('finds the delimiter outside quotes', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a,b\n"x;y;z",2\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n1\t2,5\t3\n')).toBe('\t');
    expect(detectDelimiter('name|note\nA|"1,2,3"\n')).toBe('|');
    expect(detectDelimiter('email\na@b.co\n')).toBe(',');
  });

  it('reads records with quoted newlines and uneven rows, in any supported encoding', async () => {
    const bytes = Buffer.from('\uFEFFName;Note\r\nRené;"a\r\nb"\r\n\r\nX\r\n', 'utf8');
    const out: string[][] = [];
    for await (const r of readRecords(Readable.from([bytes.subarray(0, 9), bytes.subarray(9)]), {
      encoding: 'utf-8',
      delimiter: ';',
    }))
      out.push(r);
    expect(out).toEqual([['Name', 'Note'], ['René', 'a\r\nb'], ['X']]);
  });

  it('names blank and repeated headers', () => {
    expect(uniqueHeaders(['Email', ' ', 'Email', 'Email'])).toEqual(['Email', 'Column 2', 'Email (2)', 'Email (3)']);
  });
});
