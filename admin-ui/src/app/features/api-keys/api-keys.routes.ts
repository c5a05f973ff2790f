import { Routes } from '@angular/router';

import { ApiKeysPageComponent } from './api-keys-page.component';

export default [{ path: '', component: ApiKeysPageComponent, title: 'API keys' }] satisfies Routes;
