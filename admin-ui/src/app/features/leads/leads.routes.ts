import { Routes } from '@angular/router';

import { LeadDrawerComponent } from './detail/lead-drawer.component';
import { LeadsPageComponent } from './leads-page.component';

export default [
  {
    path: '',
    component: LeadsPageComponent,
    title: 'Leads',
    // The lead opens in a side sheet over the list: /leads/<id> is a deep link to it.
    children: [{ path: ':id', component: LeadDrawerComponent, title: 'Lead' }],
  },
] satisfies Routes;
