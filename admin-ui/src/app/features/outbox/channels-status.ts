import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiConfiguration, ChannelsStatusDto, getChannelsStatus } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

/**
 * Which drivers the API sends with (`GET /api/channels/status`), read once per session: the
 * Outbox page and its navigation entry only exist while a channel keeps messages in the outbox.
 */
@Injectable({ providedIn: 'root' })
export class ChannelsStatus {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly _status = signal<ChannelsStatusDto | null>(null);
  private loading: Promise<void> | null = null;

  readonly status = this._status.asReadonly();
  readonly usesOutbox = computed(() => {
    const status = this._status();
    return status !== null && (status.email.driver === 'outbox' || status.whatsapp.driver === 'outbox');
  });

  load(): Promise<void> {
    this.loading ??= firstValueFrom(
      getChannelsStatus(this.http, this.apiConfig.rootUrl).pipe(map((response) => response.body)),
    ).then(
      (status) => this._status.set(status),
      () => {
        // Unknown (no permission, API down): no Outbox entry; a later call tries again.
        this.loading = null;
      },
    );
    return this.loading;
  }
}
