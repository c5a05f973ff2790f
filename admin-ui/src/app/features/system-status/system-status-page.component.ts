import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { SystemInfoDto } from '@meridian/api-client';

import { formatMs, formatRelativeTime } from '../../shared/format/format';
import { BytesPipe, DurationPipe, MillisecondsPipe } from '../../shared/format/format.pipes';
import { ResourceGaugeComponent } from './components/resource-gauge.component';
import { ServiceCardComponent } from './components/service-card.component';
import { OVERALL_HEADLINES, STATUS_ICONS } from './system-status.presentation';
import { AUTO_REFRESH_INTERVAL_MS, SystemStatusStore } from './system-status.store';

const COMPONENT_LABELS: Record<string, string> = {
  'embedded-pglite': 'Embedded PostgreSQL (PGlite)',
  postgresql: 'PostgreSQL',
  inline: 'In-process runner',
  bullmq: 'BullMQ on Redis',
  memory: 'In memory',
  redis: 'Redis',
  kapa: 'Kapa.ai',
  'local-docs': 'Local docs search',
};

@Component({
  selector: 'app-system-status-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    ServiceCardComponent,
    ResourceGaugeComponent,
    BytesPipe,
    DurationPipe,
    MillisecondsPipe,
  ],
  providers: [SystemStatusStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './system-status-page.component.html',
  styleUrl: './system-status-page.component.scss',
})
export class SystemStatusPageComponent implements OnInit {
  protected readonly store = inject(SystemStatusStore);
  protected readonly refreshSeconds = AUTO_REFRESH_INTERVAL_MS / 1000;

  /** Ticks every second so relative times ("12 seconds ago") stay true. */
  private readonly now = signal(new Date());

  protected readonly lastChecked = computed(() => formatRelativeTime(this.store.lastCheckedAt(), this.now()));

  protected readonly overall = computed(() => {
    const health = this.store.health();
    if (!health) {
      return null;
    }
    const configured = health.services.filter((service) => service.configured);
    const count = (status: string): number => configured.filter((service) => service.status === status).length;
    const parts = [`${count('healthy')} of ${configured.length} configured services healthy`];
    if (count('degraded') > 0) {
      parts.push(`${count('degraded')} degraded`);
    }
    if (count('unhealthy') > 0) {
      parts.push(`${count('unhealthy')} unhealthy`);
    }
    const notConfigured = health.services.length - configured.length;
    if (notConfigured > 0) {
      parts.push(`${notConfigured} not configured`);
    }
    return {
      status: health.status,
      headline: OVERALL_HEADLINES[health.status],
      icon: STATUS_ICONS[health.status],
      summary: parts.join(' · '),
      durationMs: health.durationMs,
    };
  });

  protected readonly clockOffset = computed(() => {
    const check = this.store.connectivity();
    if (!check) {
      return null;
    }
    // The estimate cannot be better than half the round trip.
    const tolerance = Math.max(check.roundTripMs / 2, 50);
    const offset = check.clockOffsetMs;
    if (Math.abs(offset) <= tolerance) {
      return { value: 'In sync', hint: `within ±${formatMs(tolerance)}` };
    }
    return {
      value: `${offset > 0 ? '+' : '−'}${formatMs(Math.abs(offset))}`,
      hint: offset > 0 ? 'server ahead of this browser' : 'server behind this browser',
    };
  });

  protected readonly infoRows = computed(() => {
    const info = this.store.info();
    return info ? describeInfo(info) : [];
  });

  constructor() {
    const ticker = setInterval(() => this.now.set(new Date()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(ticker));
  }

  ngOnInit(): void {
    void this.store.refresh();
    this.store.startAutoRefresh();
  }

  protected refresh(): void {
    void this.store.refresh();
  }
}

interface InfoRow {
  label: string;
  value: string;
  mono?: boolean;
}

function describeInfo(info: SystemInfoDto): InfoRow[] {
  const component = (value: string): string => COMPONENT_LABELS[value] ?? value;
  return [
    { label: 'Version', value: info.version },
    {
      label: 'Commit',
      value: info.commit ? info.commit.slice(0, 12) : 'Unknown',
      mono: !!info.commit,
    },
    { label: 'Profile', value: info.profile === 'embedded' ? 'Embedded' : 'Production' },
    { label: 'Environment', value: info.environment },
    { label: 'Node.js', value: info.nodeVersion },
    { label: 'Database', value: component(info.components.database) },
    { label: 'Jobs', value: component(info.components.queue) },
    { label: 'Cache', value: component(info.components.cache) },
    { label: 'Assistant', value: component(info.components.assistant) },
  ];
}
