import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { CampaignStatus, RecipientStatus } from '@meridian/api-client';

import { StatusChipComponent } from '../../../shared/status-chip/status-chip.component';
import { CAMPAIGN_STATUS_INFO, RECIPIENT_STATUS_INFO } from '../campaigns.model';

/** A campaign's status as a chip: icon, word and tone. */
@Component({
  selector: 'app-campaign-status-chip',
  imports: [StatusChipComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-status-chip
    [tone]="info().tone"
    [label]="info().label"
    [iconName]="info().icon"
    [attr.data-status]="status()"
  />`,
})
export class CampaignStatusChipComponent {
  readonly status = input.required<CampaignStatus>();
  protected readonly info = computed(() => CAMPAIGN_STATUS_INFO[this.status()]);
}

/** A recipient's delivery status as a chip. */
@Component({
  selector: 'app-recipient-status-chip',
  imports: [StatusChipComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-status-chip
    [tone]="info().tone"
    [label]="info().label"
    [iconName]="info().icon"
    [attr.data-status]="status()"
  />`,
})
export class RecipientStatusChipComponent {
  readonly status = input.required<RecipientStatus>();
  protected readonly info = computed(() => RECIPIENT_STATUS_INFO[this.status()]);
}
