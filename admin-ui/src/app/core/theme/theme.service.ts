import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark' | 'system';
export type ColorScheme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'meridian.theme';
const THEME_MODES: readonly ThemeMode[] = ['light', 'dark', 'system'];

function isThemeMode(value: unknown): value is ThemeMode {
  return typeof value === 'string' && (THEME_MODES as readonly string[]).includes(value);
}

/**
 * Light, dark or "follow the system". The choice is kept in localStorage; the
 * effective scheme is applied as a class on <html>, which the theme in
 * styles.scss turns into `color-scheme`.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly window = this.document.defaultView;
  private readonly prefersDark = signal(false);

  readonly mode = signal<ThemeMode>(storedThemeMode(this.window));
  readonly scheme = computed<ColorScheme>(() => {
    const mode = this.mode();
    if (mode === 'system') {
      return this.prefersDark() ? 'dark' : 'light';
    }
    return mode;
  });

  constructor() {
    const query = this.window?.matchMedia?.('(prefers-color-scheme: dark)');
    if (query) {
      this.prefersDark.set(query.matches);
      const onChange = (event: MediaQueryListEvent): void => this.prefersDark.set(event.matches);
      query.addEventListener('change', onChange);
      inject(DestroyRef).onDestroy(() => query.removeEventListener('change', onChange));
    }

    effect(() => applyThemeClass(this.document.documentElement, this.mode()));
  }

  setMode(mode: ThemeMode): void {
    this.mode.set(mode);
    try {
      this.window?.localStorage.setItem(THEME_STORAGE_KEY, mode);
    } catch {
      // Storage can be unavailable (private mode, quota); the choice then lasts for this tab only.
    }
  }
}

/** Applies a theme mode to the root element; also used before bootstrap to avoid a flash. */
export function applyThemeClass(root: HTMLElement, mode: ThemeMode): void {
  root.classList.toggle('theme-light', mode === 'light');
  root.classList.toggle('theme-dark', mode === 'dark');
}

/** Reads the stored mode without Angular, so main.ts can apply it before bootstrap. */
export function storedThemeMode(win: Window | null | undefined): ThemeMode {
  try {
    const stored = win?.localStorage.getItem(THEME_STORAGE_KEY);
    return isThemeMode(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}
