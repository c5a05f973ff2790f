import { Routes } from '@angular/router';

import { OrganizationSettingsPageComponent } from './organization-settings-page.component';

export default [
  { path: '', component: OrganizationSettingsPageComponent, title: 'Organization settings' },
] satisfies Routes;
