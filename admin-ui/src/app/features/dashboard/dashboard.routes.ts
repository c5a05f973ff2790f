import { Routes } from '@angular/router';
import {
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { provideCharts } from 'ng2-charts';

import { permissionGuard } from '../../core/auth/auth.guards';
import { DashboardPageComponent } from './dashboard-page.component';

/** Chart.js pieces the dashboard and campaign report draw with (and nothing more in the bundle). */
export const CHART_REGISTERABLES = [
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
];

export default [
  {
    path: '',
    component: DashboardPageComponent,
    canActivate: [permissionGuard('analytics:read')],
    providers: [provideCharts({ registerables: CHART_REGISTERABLES })],
    title: 'Dashboard',
  },
] satisfies Routes;
