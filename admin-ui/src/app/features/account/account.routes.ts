import { Routes } from '@angular/router';

import { AccountPageComponent } from './account-page.component';

export default [{ path: '', component: AccountPageComponent, title: 'Account' }] satisfies Routes;
