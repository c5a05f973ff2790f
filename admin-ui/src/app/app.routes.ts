import { Routes } from '@angular/router';

import { NotFoundComponent } from './core/shell/not-found.component';

export const appRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    loadChildren: () => import('./features/dashboard/dashboard.routes'),
  },
  {
    path: 'system-status',
    loadChildren: () => import('./features/system-status/system-status.routes'),
  },
  { path: '**', component: NotFoundComponent, title: 'Page not found' },
];
