import { Routes } from '@angular/router';

import { permissionGuard } from '../../core/auth/auth.guards';
import { CampaignEditorComponent } from './editor/campaign-editor.component';
import { CampaignsPageComponent } from './list/campaigns-page.component';
import { CampaignLivePageComponent } from './live/campaign-live-page.component';
import { CampaignReportPageComponent } from './report/campaign-report-page.component';
import { CHART_REGISTERABLES } from '../dashboard/dashboard.routes';
import { provideCharts } from 'ng2-charts';

export default [
  { path: '', component: CampaignsPageComponent, title: 'Campaigns' },
  // Before ':id': /campaigns/new is the editor, not a campaign.
  {
    path: 'new',
    component: CampaignEditorComponent,
    canActivate: [permissionGuard('campaigns:write')],
    title: 'New campaign',
  },
  {
    path: ':id/edit',
    component: CampaignEditorComponent,
    canActivate: [permissionGuard('campaigns:write')],
    title: 'Edit campaign',
  },
  {
    path: ':id/report',
    component: CampaignReportPageComponent,
    canActivate: [permissionGuard('analytics:read')],
    providers: [provideCharts({ registerables: CHART_REGISTERABLES })],
    title: 'Campaign report',
  },
  { path: ':id', component: CampaignLivePageComponent, title: 'Campaign' },
] satisfies Routes;
