import {
  ImportSettings,
  acceptsFile,
  importOptionsBody,
  localMappingErrors,
  mappingErrors,
  mappingRows,
  parseTags,
  targetOptions,
} from './lead-import-mapping';
import { canDownloadNow, exportFileName } from '../export/lead-export';

const targets = targetOptions([{ key: 'industry', label: 'Industry' }]);

const settings: ImportSettings = {
  duplicatePolicy: 'skip',
  tags: '',
  defaultCountry: '',
  encoding: 'utf-8',
  delimiter: ',',
};
const detected = { encoding: 'utf-8' as const, delimiter: ',' as const };

describe('import mapping: preview → form', () => {
  it('offers lead fields (not the score) then custom fields as custom:<key>', () => {
    const values = targets.map((target) => target.value);
    expect(values).toContain('email');
    expect(values).toContain('consentWhatsapp');
    expect(values).not.toContain('score');
    expect(values.at(-1)).toBe('custom:industry');
    expect(targets.at(-1)).toEqual({ value: 'custom:industry', label: 'Industry', group: 'custom' });
  });

  it('prefills each header from the suggested mapping, ignoring the rest, with its first sample values', () => {
    const rows = mappingRows(
      {
        headers: ['E-mail', 'Vorname', 'Branche', 'Notes', 'Gone'],
        sampleRows: [
          ['a@x.test', 'Ada', 'Tech', '', 'x'],
          ['b@x.test', ' Bo ', 'Retail', 'hi'],
          ['c@x.test', '', 'Food', 'yo', 'z'],
          ['d@x.test', 'Di', 'Oil', '', ''],
        ],
        suggestedMapping: {
          'E-mail': 'email',
          Vorname: 'firstName',
          Branche: 'custom:industry',
          Gone: 'custom:deleted',
        },
      },
      targets,
    );
    expect(rows).toEqual([
      { header: 'E-mail', samples: ['a@x.test', 'b@x.test', 'c@x.test'], target: 'email' },
      { header: 'Vorname', samples: ['Ada', 'Bo', 'Di'], target: 'firstName' },
      { header: 'Branche', samples: ['Tech', 'Retail', 'Food'], target: 'custom:industry' },
      { header: 'Notes', samples: ['hi', 'yo'], target: 'ignore' },
      // A proposal that is no target (a custom field deleted since) is not kept.
      { header: 'Gone', samples: ['x', 'z'], target: 'ignore' },
    ]);
  });
});

describe('import mapping: form → body', () => {
  const rows = [
    { header: 'Email', target: 'email' },
    { header: 'Notes', target: 'ignore' },
    { header: 'Industry', target: 'custom:industry' },
  ];

  it('sends every column, the policy, and nothing else by default', () => {
    expect(importOptionsBody(rows, settings, detected)).toEqual({
      mapping: { Email: 'email', Notes: 'ignore', Industry: 'custom:industry' },
      duplicatePolicy: 'skip',
    });
  });

  it('adds tags, an upper-case country, and only the overrides that differ from the detection', () => {
    const body = importOptionsBody(
      rows,
      {
        duplicatePolicy: 'update',
        tags: ' fair-2025, vip;vip ,',
        defaultCountry: ' de ',
        encoding: 'windows-1252',
        delimiter: ',',
      },
      detected,
    );
    expect(body).toEqual({
      mapping: { Email: 'email', Notes: 'ignore', Industry: 'custom:industry' },
      duplicatePolicy: 'update',
      tags: ['fair-2025', 'vip'],
      defaultCountry: 'DE',
      encoding: 'windows-1252',
    });
    expect(importOptionsBody(rows, { ...settings, delimiter: ';' }, detected).delimiter).toBe(';');
  });

  it('splits typed tags on commas and semicolons, dropping blanks and repeats', () => {
    expect(parseTags('a, b;;a , ')).toEqual(['a', 'b']);
    expect(parseTags('   ')).toEqual([]);
  });

  it('catches a field used twice and a mapping that identifies no lead before asking the API', () => {
    expect(localMappingErrors(rows)).toEqual([]);
    expect(
      localMappingErrors([
        { header: 'Mail', target: 'email' },
        { header: 'Mail 2', target: 'email' },
      ]),
    ).toEqual([{ field: 'mapping.Mail 2', reason: 'is mapped to the same field as "Mail"' }]);
    const none = localMappingErrors([
      { header: 'Title', target: 'title' },
      { header: 'Notes', target: 'ignore' },
    ]);
    expect(none).toHaveLength(1);
    expect(none[0].field).toBe('mapping');
  });
});

describe('import mapping: server errors → rows', () => {
  it('puts mapping.<header> on its row (dots in headers included) and the rest above the table', () => {
    const errors = mappingErrors(
      [
        { field: 'mapping.Branche', reason: 'custom field "industry" is not defined' },
        { field: 'mapping.Branche', reason: 'second reason' },
        { field: 'mapping.E.Mail', reason: 'unknown field' },
        { field: 'mapping', reason: 'no column identifies the lead' },
        { field: 'mapping.Nope', reason: 'is not a column of the file' },
        { field: 'defaultCountry', reason: 'must be a country' },
      ],
      ['Branche', 'E.Mail'],
    );
    expect(errors.byHeader).toEqual({
      Branche: ['custom field "industry" is not defined', 'second reason'],
      'E.Mail': ['unknown field'],
    });
    expect(errors.general).toEqual([
      'no column identifies the lead',
      'Nope: is not a column of the file',
      'defaultCountry: must be a country',
    ]);
  });
});

describe('upload and export helpers', () => {
  it('takes .csv and .txt files only', () => {
    expect(acceptsFile({ name: 'leads.CSV' })).toBe(true);
    expect(acceptsFile({ name: 'leads.txt' })).toBe(true);
    expect(acceptsFile({ name: 'leads.xlsx' })).toBe(false);
  });

  it('offers Download now up to 10,000 leads, and while the count is unknown', () => {
    expect(canDownloadNow(null)).toBe(true);
    expect(canDownloadNow(10_000)).toBe(true);
    expect(canDownloadNow(10_001)).toBe(false);
  });

  it('names the download after the Content-Disposition header, else by the day', () => {
    expect(exportFileName('attachment; filename="leads-2026-11-22.csv"')).toBe('leads-2026-11-22.csv');
    expect(exportFileName(null, new Date('2026-01-02T10:00:00Z'))).toBe('leads-2026-01-02.csv');
  });
});
