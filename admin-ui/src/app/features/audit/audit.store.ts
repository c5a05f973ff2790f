import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { ApiConfiguration, AuditEventDto, ListAuditEvents$Params, listAuditEvents } from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { KeysetList } from '../../shared/list/keyset-list';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  action: string | null;
  entityType: string | null;
  /** First day shown (local time), inclusive. */
  from: Date | null;
  /** Last day shown (local time), inclusive. */
  to: Date | null;
}

export const NO_FILTERS: AuditFilters = { action: null, entityType: null, from: null, to: null };

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** The API's query for some filters: whole local days, `to` exclusive. */
export function auditQuery(filters: AuditFilters): ListAuditEvents$Params {
  const params: ListAuditEvents$Params = {};
  if (filters.action) {
    params.action = filters.action;
  }
  if (filters.entityType) {
    params.entityType = filters.entityType;
  }
  if (filters.from) {
    params.from = startOfDay(filters.from).toISOString();
  }
  if (filters.to) {
    const next = startOfDay(filters.to);
    next.setDate(next.getDate() + 1);
    params.to = next.toISOString();
  }
  return params;
}

/** The audit log, newest first, with filters. Provided by the page. */
@Injectable()
export class AuditStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly _filters = signal<AuditFilters>(NO_FILTERS);

  readonly filters = this._filters.asReadonly();
  readonly list = new KeysetList<AuditEventDto>((cursor) =>
    firstValueFrom(
      listAuditEvents(this.http, this.apiConfig.rootUrl, {
        ...auditQuery(this._filters()),
        limit: AUDIT_PAGE_SIZE,
        cursor,
      }).pipe(map((response) => response.body)),
    ),
  );

  /** New filters: the list starts again from the newest event. */
  setFilters(filters: AuditFilters): Promise<void> {
    this._filters.set(filters);
    return this.list.reload();
  }
}
