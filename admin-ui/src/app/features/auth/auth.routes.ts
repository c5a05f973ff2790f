import { Routes } from '@angular/router';

import { SignInPageComponent } from './sign-in-page.component';

export default [{ path: '', component: SignInPageComponent, title: 'Sign in' }] satisfies Routes;
