import { Routes } from '@angular/router';

import { AuditPageComponent } from './audit-page.component';

export default [{ path: '', component: AuditPageComponent, title: 'Audit log' }] satisfies Routes;
