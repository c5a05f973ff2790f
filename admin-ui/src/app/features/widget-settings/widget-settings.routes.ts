import { Routes } from '@angular/router';

import { WidgetSettingsPageComponent } from './widget-settings-page.component';

export default [{ path: '', component: WidgetSettingsPageComponent, title: 'Website widget' }] satisfies Routes;
