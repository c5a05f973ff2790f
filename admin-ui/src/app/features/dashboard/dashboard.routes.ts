import { Routes } from '@angular/router';

import { DashboardPageComponent } from './dashboard-page.component';

export default [{ path: '', component: DashboardPageComponent, title: 'Dashboard' }] satisfies Routes;
