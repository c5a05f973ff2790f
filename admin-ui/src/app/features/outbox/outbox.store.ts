import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  CampaignChannel,
  OutboxMessageDetailDto,
  OutboxMessageDto,
  getOutboxMessage,
  listOutboxMessages,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { KeysetList } from '../../shared/list/keyset-list';

export const OUTBOX_PAGE_SIZE = 50;

/** The outbox: messages kept instead of sent, newest first, and the one opened. */
@Injectable()
export class OutboxStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly _channel = signal<CampaignChannel | null>(null);
  private readonly _selected = signal<OutboxMessageDetailDto | null>(null);
  private readonly _selectedError = signal<ApiProblem | null>(null);
  private readonly _loadingMessage = signal(false);
  private generation = 0;

  readonly channel = this._channel.asReadonly();
  readonly selected = this._selected.asReadonly();
  readonly selectedError = this._selectedError.asReadonly();
  readonly loadingMessage = this._loadingMessage.asReadonly();
  readonly list = new KeysetList<OutboxMessageDto>((cursor) => {
    const channel = this._channel();
    return firstValueFrom(
      listOutboxMessages(this.http, this.apiConfig.rootUrl, {
        limit: OUTBOX_PAGE_SIZE,
        ...(channel ? { channel } : {}),
        ...(cursor ? { cursor } : {}),
      }).pipe(map((response) => response.body)),
    );
  });

  setChannel(channel: CampaignChannel | null): Promise<void> {
    this._channel.set(channel);
    return this.list.reload();
  }

  async open(id: string): Promise<void> {
    const generation = ++this.generation;
    this._loadingMessage.set(true);
    this._selectedError.set(null);
    try {
      const message = await firstValueFrom(
        getOutboxMessage(this.http, this.apiConfig.rootUrl, { id }).pipe(map((response) => response.body)),
      );
      if (generation === this.generation) {
        this._selected.set(message);
      }
    } catch (error: unknown) {
      if (generation === this.generation) {
        this._selectedError.set(toApiProblem(error));
      }
    } finally {
      if (generation === this.generation) {
        this._loadingMessage.set(false);
      }
    }
  }

  close(): void {
    this.generation++;
    this._selected.set(null);
  }
}
