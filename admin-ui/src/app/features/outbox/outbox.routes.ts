import { Routes } from '@angular/router';

import { OutboxPageComponent } from './outbox-page.component';

export default [{ path: '', component: OutboxPageComponent, title: 'Outbox' }] satisfies Routes;
