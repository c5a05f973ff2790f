import { Routes } from '@angular/router';

import { permissionGuard } from '../../core/auth/auth.guards';
import { LeadDrawerComponent } from './detail/lead-drawer.component';
import { LeadImportWizardComponent } from './import/lead-import-wizard.component';
import { LeadsPageComponent } from './leads-page.component';

export default [
  // Before '' and its ':id': /leads/import is the import wizard, not a lead.
  {
    path: 'import',
    component: LeadImportWizardComponent,
    canActivate: [permissionGuard('leads:import')],
    title: 'Import leads',
  },
  {
    path: '',
    component: LeadsPageComponent,
    title: 'Leads',
    // The lead opens in a side sheet over the list: /leads/<id> is a deep link to it.
    children: [{ path: ':id', component: LeadDrawerComponent, title: 'Lead' }],
  },
] satisfies Routes;
