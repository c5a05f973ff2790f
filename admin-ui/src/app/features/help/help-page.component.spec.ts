import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideApiConfiguration } from '@meridian/api-client';

import { provideAppIcons } from '../../core/icons/app-icons';
import { HelpPageComponent } from './help-page.component';

const PAGE = {
  page: 'api-keys',
  title: 'API keys',
  markdown:
    '# API keys\n\nKeys for scripts.\n\n## Create a key\n\nUse **Create key**.\n\n## Revoke a key\n\nSee [the audit log](audit-log.md#what-is-recorded).\n',
};

describe('HelpPageComponent', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideAppIcons(),
        provideRouter([{ path: 'help/:page', component: HelpPageComponent }]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  async function open(url: string): Promise<HTMLElement> {
    const navigation = harness.navigateByUrl(url);
    await new Promise((resolve) => setTimeout(resolve, 0));
    http.expectOne('/api/help/api-keys').flush(PAGE);
    await navigation;
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await harness.fixture.whenStable();
    return harness.routeNativeElement!;
  }

  it('renders the page with anchor ids on its headings and a table of contents', async () => {
    const page = await open('/help/api-keys');
    const article = page.querySelector('[data-testid="help-article"]')!;

    expect(Array.from(article.querySelectorAll('h1, h2'), (h) => h.id)).toEqual([
      'api-keys',
      'create-a-key',
      'revoke-a-key',
    ]);
    const toc = page.querySelector('[data-testid="help-toc"]')!;
    expect(Array.from(toc.querySelectorAll('a'), (a) => [a.textContent?.trim(), a.getAttribute('href')])).toEqual([
      ['Create a key', '/help/api-keys#create-a-key'],
      ['Revoke a key', '/help/api-keys#revoke-a-key'],
    ]);
    expect(article.querySelector('a[href="/help/audit-log#what-is-recorded"]')).not.toBeNull();
  });

  it('goes to the section named in the URL', async () => {
    const scrolled: string[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.id);
    };

    const page = await open('/help/api-keys#revoke-a-key');

    expect(scrolled).toContain('revoke-a-key');
    expect(document.activeElement?.id).toBe('revoke-a-key');
    expect(page.querySelector('#revoke-a-key')?.classList).toContain('is-target');
  });

  it('says when the page does not exist', async () => {
    const navigation = harness.navigateByUrl('/help/nope');
    await new Promise((resolve) => setTimeout(resolve, 0));
    http
      .expectOne('/api/help/nope')
      .flush({ title: 'Not found', status: 404 }, { status: 404, statusText: 'Not Found' });
    await navigation;
    await harness.fixture.whenStable();

    expect(harness.routeNativeElement?.textContent).toContain('No help page “nope”');
  });
});
