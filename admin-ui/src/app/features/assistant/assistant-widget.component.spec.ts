import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, inject } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideApiConfiguration } from '@meridian/api-client';

import { AuthStore } from '../../core/auth/auth.store';
import { restore, session } from '../../core/auth/testing/auth.fixtures';
import { provideAppIcons } from '../../core/icons/app-icons';
import { AssistantStreamClient } from './assistant-stream.client';
import { AssistantWidgetComponent } from './assistant-widget.component';
import { AssistantStore } from './assistant.store';
import { FakeStreamClient, STATUS_URL, assistantStatus, flushStream } from './testing/assistant.fixtures';

/** A page with a search box, and the widget as the shell places it. */
@Component({
  imports: [AssistantWidgetComponent],
  template: `
    <h1 tabindex="-1">Leads</h1>
    <input aria-label="Search leads" />
    <button type="button" class="page-ask" (click)="store.open()">Ask AI about leads</button>
    <app-assistant-widget />
  `,
})
class PageComponent {
  protected readonly store = inject(AssistantStore);
}

describe('AssistantWidgetComponent', () => {
  let fixture: ComponentFixture<PageComponent>;
  let root: HTMLElement;
  let store: AssistantStore;
  let client: FakeStreamClient;

  beforeEach(async () => {
    client = new FakeStreamClient();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([]),
        provideAppIcons(),
        { provide: AssistantStreamClient, useValue: client },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session());
    store = TestBed.inject(AssistantStore);
    fixture = TestBed.createComponent(PageComponent);
    root = fixture.nativeElement as HTMLElement;
    document.body.appendChild(root);
    await fixture.whenStable();
    http.expectOne(STATUS_URL).flush(assistantStatus());
    await flushStream();
    await fixture.whenStable();
  });

  afterEach(() => root.remove());

  function fab(): HTMLButtonElement {
    return root.querySelector<HTMLButtonElement>('[data-testid="assistant-fab"]')!;
  }

  function panel(): HTMLElement | null {
    return root.querySelector<HTMLElement>('[role="dialog"]');
  }

  async function press(target: Element, key: string, init: KeyboardEventInit = {}): Promise<KeyboardEvent> {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    await fixture.whenStable();
    return event;
  }

  it('shows the "Ask AI" button once the assistant is known to be on', () => {
    expect(fab().textContent).toContain('Ask AI');
    expect(fab().getAttribute('aria-expanded')).toBe('false');
    expect(panel()).toBeNull();
  });

  it('opens with the button, focuses the question box, and closes with Escape back to the button', async () => {
    fab().click();
    await fixture.whenStable();

    expect(panel()?.getAttribute('aria-labelledby')).toBe('assistant-title');
    expect(panel()?.textContent).toContain('AI answers can be wrong; check the sources.');
    expect(document.activeElement?.id).toBe('assistant-question');

    await press(document.activeElement!, 'Escape');

    expect(store.isOpen()).toBe(false);
    expect(panel()).toBeNull();
    expect(document.activeElement).toBe(fab());
  });

  it('gives the focus back to the page button that opened it', async () => {
    const pageButton = root.querySelector<HTMLButtonElement>('.page-ask')!;
    pageButton.focus();
    pageButton.click();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('assistant-question');

    panel()!.querySelector<HTMLButtonElement>('[aria-label="Close the assistant"]')!.click();
    await fixture.whenStable();

    expect(document.activeElement).toBe(pageButton);
  });

  it('opens with "?" pressed on the page', async () => {
    const event = await press(root.querySelector('h1')!, '?', { shiftKey: true });

    expect(event.defaultPrevented).toBe(true);
    expect(store.isOpen()).toBe(true);
    expect(panel()).not.toBeNull();
  });

  it('does not open with "?" typed in a text field', async () => {
    const search = root.querySelector('input')!;
    search.focus();
    const event = await press(search, '?', { shiftKey: true });

    expect(event.defaultPrevented).toBe(false);
    expect(store.isOpen()).toBe(false);
    expect(panel()).toBeNull();
  });

  it('asks an example question', async () => {
    fab().click();
    await fixture.whenStable();
    const example = Array.from(panel()!.querySelectorAll<HTMLButtonElement>('.example-chip')).find(
      (chip) => chip.textContent?.trim() === 'How do API keys work?',
    );
    example!.click();
    await flushStream();

    expect(client.last.body.question).toBe('How do API keys work?');
    client.last.push(
      { type: 'delta', text: 'Create one under **API keys**.' },
      { type: 'sources', sources: [{ title: 'API keys › Create a key', url: '/help/api-keys#create-a-key' }] },
      { type: 'done', threadId: null, questionAnswerId: 'local-1', isUncertain: true, provider: 'local' },
    );
    client.last.end();
    await flushStream();
    await fixture.whenStable();

    const answer = panel()!.querySelector('[data-testid="assistant-answer"]')!;
    expect(answer.querySelector('strong')?.textContent).toBe('API keys');
    expect(answer.textContent).toContain('Answered from the local documentation');
    expect(answer.textContent).toContain('Not sure: check the sources');
    expect(answer.querySelector('nav a')?.getAttribute('href')).toBe('/help/api-keys#create-a-key');
  });

  it('is absent when the operator switched it off', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideApiConfiguration(''),
        provideRouter([]),
        provideAppIcons(),
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    await restore(http, TestBed.inject(AuthStore), session());
    const off = TestBed.createComponent(AssistantWidgetComponent);
    await off.whenStable();
    http.expectOne(STATUS_URL).flush(assistantStatus({ widgetEnabled: false }));
    await flushStream();
    await off.whenStable();

    expect((off.nativeElement as HTMLElement).querySelector('button')).toBeNull();
  });
});
