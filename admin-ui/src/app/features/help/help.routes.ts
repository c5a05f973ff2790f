import { inject } from '@angular/core';
import { ResolveFn, Routes } from '@angular/router';

import { provideAssistantIcons } from '../assistant/assistant-icons';
import { HelpDocsService } from './help-docs.service';
import { HelpIndexPageComponent } from './help-index-page.component';
import { HelpPageComponent } from './help-page.component';

/** "API keys · Help" in the tab; just "Help" when the page cannot be read (the page says why). */
export const helpPageTitle: ResolveFn<string> = async (route) => {
  const page = route.paramMap.get('page') ?? '';
  try {
    return `${(await inject(HelpDocsService).page(page)).title} · Help`;
  } catch {
    return 'Help';
  }
};

export default [
  {
    path: '',
    providers: [provideAssistantIcons()],
    children: [
      { path: '', component: HelpIndexPageComponent, title: 'Help' },
      { path: ':page', component: HelpPageComponent, title: helpPageTitle },
    ],
  },
] satisfies Routes;
