import { Routes } from '@angular/router';

import { provideAssistantIcons } from '../assistant/assistant-icons';
import { AssistantInsightsPageComponent } from './assistant-insights-page.component';

export default [
  {
    path: '',
    component: AssistantInsightsPageComponent,
    title: 'Assistant insights',
    providers: [provideAssistantIcons()],
  },
] satisfies Routes;
