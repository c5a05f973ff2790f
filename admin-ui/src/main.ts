import { bootstrapApplication } from '@angular/platform-browser';

import { AppComponent } from './app/app.component';
import { appConfig } from './app/app.config';
import { applyThemeClass, storedThemeMode } from './app/core/theme/theme.service';

// Pin the stored theme before the first render, so a dark-mode user sees no light flash.
applyThemeClass(document.documentElement, storedThemeMode(window));

bootstrapApplication(AppComponent, appConfig).catch((error: unknown) => {
  // The app failed to start: there is no UI to report through, so the browser console is the place.
  // eslint-disable-next-line no-console
  console.error(error);
});
