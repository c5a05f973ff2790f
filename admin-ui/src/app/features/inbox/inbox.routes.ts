import { Routes } from '@angular/router';

import { InboxPageComponent } from './inbox-page.component';

export default [{ path: '', component: InboxPageComponent, title: 'Inbox' }] satisfies Routes;
