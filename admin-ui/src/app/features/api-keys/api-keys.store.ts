import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiConfiguration,
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { KeysetList } from '../../shared/list/keyset-list';

export const API_KEYS_PAGE_SIZE = 50;

type Body<T> = { body: T };

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export function apiKeyStatus(key: ApiKeyDto, now = Date.now()): ApiKeyStatus {
  if (key.revokedAt) {
    return 'revoked';
  }
  return key.expiresAt && Date.parse(key.expiresAt) <= now ? 'expired' : 'active';
}

/** API keys of the organization, newest first. Provided by the page. */
@Injectable()
export class ApiKeysStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  readonly list = new KeysetList<ApiKeyDto>((cursor) =>
    this.call(listApiKeys(this.http, this.apiConfig.rootUrl, { limit: API_KEYS_PAGE_SIZE, cursor })),
  );

  /** Resolves with the key and its secret, which the API shows this once. */
  async create(body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const created = await this.call(createApiKey(this.http, this.apiConfig.rootUrl, { body }));
    this.list.add(created.key, 'start');
    return created;
  }

  async revoke(id: string): Promise<ApiKeyDto> {
    const key = await this.call(revokeApiKey(this.http, this.apiConfig.rootUrl, { id }));
    this.list.replace(key);
    return key;
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
