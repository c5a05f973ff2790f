import { Routes } from '@angular/router';

import { TasksPageComponent } from './tasks-page.component';

export default [{ path: '', component: TasksPageComponent, title: 'Background tasks' }] satisfies Routes;
