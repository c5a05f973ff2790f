import { Routes } from '@angular/router';

import { UsersPageComponent } from './users-page.component';

export default [{ path: '', component: UsersPageComponent, title: 'Users' }] satisfies Routes;
