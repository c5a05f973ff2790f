import { Routes } from '@angular/router';

import { LeadFieldsPageComponent } from './lead-fields-page.component';

export default [{ path: '', component: LeadFieldsPageComponent, title: 'Lead fields' }] satisfies Routes;
