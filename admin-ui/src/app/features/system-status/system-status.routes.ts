import { Routes } from '@angular/router';

import { SystemStatusPageComponent } from './system-status-page.component';

export default [{ path: '', component: SystemStatusPageComponent, title: 'System status' }] satisfies Routes;
