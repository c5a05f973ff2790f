import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { ServiceHealthDto } from '@meridian/api-client';

import { MillisecondsPipe } from '../../../shared/format/format.pipes';
import { StatusChipComponent } from '../../../shared/status-chip/status-chip.component';
import { describeDetail, serviceChip, serviceIcon } from '../system-status.presentation';

@Component({
  selector: 'app-service-card',
  imports: [MatCardModule, MatIconModule, StatusChipComponent, MillisecondsPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './service-card.component.html',
  styleUrl: './service-card.component.scss',
})
export class ServiceCardComponent {
  readonly service = input.required<ServiceHealthDto>();

  protected readonly headingId = computed(() => `service-${this.service().name}-title`);
  protected readonly icon = computed(() => serviceIcon(this.service().name));
  protected readonly chip = computed(() => serviceChip(this.service()));
  protected readonly details = computed(() =>
    Object.entries(this.service().details ?? {}).map(([key, value]) => describeDetail(key, value)),
  );
}
