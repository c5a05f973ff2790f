import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { MarkdownPipe } from './markdown.pipe';
import { markdownHeadings, renderMarkdown, rewriteDocHref, slugify } from './markdown';

@Component({
  imports: [MarkdownPipe],
  template: `<div class="out" [innerHTML]="text() | markdown"></div>`,
})
class HostComponent {
  readonly text = signal('');
}

describe('markdown pipe', () => {
  async function render(markdown: string): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.componentInstance.text.set(markdown);
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>('.out')!;
  }

  beforeEach(() => {
    // Angular logs each value its sanitizer changed; that is what these tests provoke.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('renders Markdown as HTML', async () => {
    const out = await render('## Create a key\n\nUse **Create key**, then `copy` it.\n\n- one\n- two');

    expect(out.querySelector('h2')?.textContent).toBe('Create a key');
    expect(out.querySelector('strong')?.textContent).toBe('Create key');
    expect(out.querySelector('code')?.textContent).toBe('copy');
    expect(out.querySelectorAll('li')).toHaveLength(2);
  });

  it('never renders a <script> (or any raw HTML) from the Markdown', async () => {
    const out = await render(
      'Hello <script>window.hacked = true</script>\n\n<script>document.title = "pwned"</script>\n\n<img src="x" onerror="window.hacked = true">',
    );

    expect(out.querySelector('script')).toBeNull();
    expect(out.querySelector('img')).toBeNull();
    expect(out.querySelector('[onerror]')).toBeNull();
    // Shown as text, harmless.
    expect(out.textContent).toContain('<script>window.hacked = true</script>');
    expect((window as unknown as { hacked?: boolean }).hacked).toBeUndefined();
  });

  it('neutralises javascript: links and keeps event handlers out', async () => {
    const out = await render('[click me](javascript:alert(1)) and [docs](https://example.com "Docs")');
    const [bad, good] = Array.from(out.querySelectorAll('a'));

    expect(bad.getAttribute('href')).toMatch(/^unsafe:javascript:/);
    expect(good.getAttribute('href')).toBe('https://example.com');
    expect(good.getAttribute('target')).toBe('_blank');
    expect(good.getAttribute('rel')).toBe('noopener noreferrer');
    expect(good.getAttribute('title')).toBe('Docs');
  });

  it('points links between documentation pages at the help viewer', async () => {
    const out = await render(
      'See [deployment](deployment.md#graceful-shutdown), [keys](./api-keys.md) and [top](#top).',
    );
    const hrefs = Array.from(out.querySelectorAll('a'), (a) => [a.getAttribute('href'), a.getAttribute('target')]);

    expect(hrefs).toEqual([
      ['/help/deployment#graceful-shutdown', null],
      ['/help/api-keys', null],
      ['#top', null],
    ]);
  });
});

describe('markdown helpers', () => {
  it('slugs headings as the API links to them (GitHub style)', () => {
    expect(slugify('Create a key')).toBe('create-a-key');
    expect(slugify('GET /health (liveness)')).toBe('get-health-liveness');
    expect(slugify('Redis persistence and noeviction')).toBe('redis-persistence-and-noeviction');
    expect(slugify('Multi-factor authentication (MFA)')).toBe('multi-factor-authentication-mfa');
    expect(slugify('The job queue is degraded: "is a worker running?"')).toBe(
      'the-job-queue-is-degraded-is-a-worker-running',
    );
  });

  it('lists the headings with unique ids, not the lines of code blocks', () => {
    const headings = markdownHeadings(
      '# Deployment\n\n## Backups\n\n### `PostgreSQL`\n\n```bash\n# a comment, not a heading\n```\n\n## Backups\n',
    );

    expect(headings).toEqual([
      { depth: 1, text: 'Deployment', id: 'deployment' },
      { depth: 2, text: 'Backups', id: 'backups' },
      { depth: 3, text: 'PostgreSQL', id: 'postgresql' },
      { depth: 2, text: 'Backups', id: 'backups-1' },
    ]);
  });

  it('rewrites only relative links to .md files', () => {
    expect(rewriteDocHref('monitoring.md')).toBe('/help/monitoring');
    expect(rewriteDocHref('../docs/monitoring.md#scrape-configuration')).toBe('/help/monitoring#scrape-configuration');
    expect(rewriteDocHref('https://example.com/a.md')).toBe('https://example.com/a.md');
    expect(rewriteDocHref('/docs')).toBe('/docs');
    expect(rewriteDocHref('#section')).toBe('#section');
  });

  it('escapes raw HTML instead of passing it on', () => {
    expect(renderMarkdown('<b onclick="x()">bold</b>')).toContain('&lt;b onclick=&quot;x()&quot;&gt;');
  });
});
