import { anchorOf, leadingParagraphs, splitSections } from './local-docs.service';

describe('local docs helpers', () => {
  it('splits a page at headings, not inside fenced code', () => {
    const page =
      '# Title\n\nIntro.\n\n## First step\n\nDo this.\n\n```sh\n# not a heading\n```\n\n### Détails & more\n\nMore.';
    const { pageTitle, sections } = splitSections(page);
    expect(pageTitle).toBe('Title');
    expect(sections.map((s) => s.heading)).toEqual(['Title', 'First step', 'Détails & more']);
    expect(sections[1].body).toContain('# not a heading');
    expect(anchorOf('Détails & more')).toBe('détails-more');
  });

  it('keeps whole paragraphs within the limit', () => {
    expect(leadingParagraphs('aaaa\n\nbbbb\n\ncccc', 9)).toBe('aaaa');
    expect(leadingParagraphs('a very long first paragraph', 5)).toBe('a very long first paragraph');
  });
});
