import { Routes } from '@angular/router';

import { authGuard, permissionGuard, signInGuard } from './core/auth/auth.guards';

export const appRoutes: Routes = [
  {
    // Outside the shell: a centred card, no navigation.
    path: 'sign-in',
    canActivate: [signInGuard],
    loadChildren: () => import('./features/auth/auth.routes'),
  },
  {
    path: '',
    // Lazy too: the sign-in page does not need the shell's toolbar, navigation and menus.
    loadComponent: () => import('./core/shell/shell.component').then((m) => m.ShellComponent),
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    children: [
      {
        path: '',
        pathMatch: 'full',
        loadChildren: () => import('./features/dashboard/dashboard.routes'),
      },
      {
        path: 'leads',
        canActivate: [permissionGuard('leads:read')],
        loadChildren: () => import('./features/leads/leads.routes'),
      },
      {
        path: 'campaigns',
        canActivate: [permissionGuard('campaigns:read')],
        loadChildren: () => import('./features/campaigns/campaigns.routes'),
      },
      {
        path: 'inbox',
        canActivate: [permissionGuard('conversations:read')],
        loadChildren: () => import('./features/inbox/inbox.routes'),
      },
      {
        path: 'settings/widget',
        canActivate: [permissionGuard('conversations:read')],
        loadChildren: () => import('./features/widget-settings/widget-settings.routes'),
      },
      {
        // Reachable by link even when both channels send for real: it then lists older messages.
        path: 'outbox',
        canActivate: [permissionGuard('campaigns:read')],
        loadChildren: () => import('./features/outbox/outbox.routes'),
      },
      {
        path: 'system-status',
        canActivate: [permissionGuard('system:read')],
        loadChildren: () => import('./features/system-status/system-status.routes'),
      },
      {
        path: 'users',
        canActivate: [permissionGuard('users:read')],
        loadChildren: () => import('./features/users/users.routes'),
      },
      {
        path: 'api-keys',
        canActivate: [permissionGuard('api-keys:manage')],
        loadChildren: () => import('./features/api-keys/api-keys.routes'),
      },
      {
        path: 'audit',
        canActivate: [permissionGuard('audit:read')],
        loadChildren: () => import('./features/audit/audit.routes'),
      },
      {
        path: 'settings/lead-fields',
        canActivate: [permissionGuard('organization:manage')],
        loadChildren: () => import('./features/lead-fields/lead-fields.routes'),
      },
      {
        path: 'settings/organization',
        canActivate: [permissionGuard('organization:manage')],
        loadChildren: () => import('./features/organization-settings/organization-settings.routes'),
      },
      {
        path: 'tasks',
        canActivate: [permissionGuard('leads:write')],
        loadChildren: () => import('./features/tasks/tasks.routes'),
      },
      {
        path: 'help',
        canActivate: [permissionGuard('assistant:use')],
        loadChildren: () => import('./features/help/help.routes'),
      },
      {
        path: 'assistant-insights',
        canActivate: [permissionGuard('assistant:use', 'assistant:insights')],
        loadChildren: () => import('./features/assistant-insights/assistant-insights.routes'),
      },
      {
        path: 'account',
        loadChildren: () => import('./features/account/account.routes'),
      },
      {
        path: 'forbidden',
        loadComponent: () => import('./core/shell/forbidden.component').then((m) => m.ForbiddenComponent),
        title: 'No access',
      },
      {
        path: '**',
        loadComponent: () => import('./core/shell/not-found.component').then((m) => m.NotFoundComponent),
        title: 'Page not found',
      },
    ],
  },
];
