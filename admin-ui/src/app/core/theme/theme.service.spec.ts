import { TestBed } from '@angular/core/testing';

import { THEME_STORAGE_KEY, ThemeService } from './theme.service';

describe('ThemeService', () => {
  let prefersDark: boolean;
  let listeners: ((event: MediaQueryListEvent) => void)[];

  beforeEach(() => {
    localStorage.clear();
    document.documentElement.className = '';
    prefersDark = false;
    listeners = [];
    window.matchMedia = jest.fn().mockImplementation((query: string) => ({
      matches: prefersDark,
      media: query,
      addEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) => listeners.push(listener),
      removeEventListener: jest.fn(),
    }));
  });

  function create(): ThemeService {
    const service = TestBed.inject(ThemeService);
    TestBed.tick();
    return service;
  }

  it('follows the system by default', () => {
    prefersDark = true;
    const theme = create();

    expect(theme.mode()).toBe('system');
    expect(theme.scheme()).toBe('dark');
    expect(document.documentElement.classList).not.toContain('theme-dark');
    expect(document.documentElement.classList).not.toContain('theme-light');
  });

  it('tracks changes of the system preference', () => {
    const theme = create();
    expect(theme.scheme()).toBe('light');

    listeners.forEach((listener) => listener({ matches: true } as MediaQueryListEvent));
    expect(theme.scheme()).toBe('dark');
  });

  it('pins a chosen mode on <html> and keeps it in localStorage', () => {
    const theme = create();
    theme.setMode('dark');
    TestBed.tick();

    expect(document.documentElement.classList).toContain('theme-dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    theme.setMode('light');
    TestBed.tick();
    expect(document.documentElement.classList).toContain('theme-light');
    expect(document.documentElement.classList).not.toContain('theme-dark');
  });

  it('restores the stored mode', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    const theme = create();

    expect(theme.mode()).toBe('dark');
    expect(document.documentElement.classList).toContain('theme-dark');
  });

  it('ignores a corrupt stored value', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'purple');
    expect(create().mode()).toBe('system');
  });
});
