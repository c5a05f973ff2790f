import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  ApiConfiguration,
  BulkLeadsDto,
  BulkResultDto,
  LeadFilter,
  LeadStatus,
  TaskDto,
  bulkUpdateLeads,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

/** Most ids one bulk request may name; more is "every lead matching the filter". */
export const MAX_BULK_IDS = 1000;

/** Which leads: the ones ticked, or every lead matching the list's filter (all pages). */
export type BulkSelection = { ids: readonly string[] } | { filter: LeadFilter };

/** What to do to them. */
export type BulkChange =
  | { action: 'set_status'; status: LeadStatus }
  | { action: 'assign'; ownerId: string | null }
  | { action: 'add_tags' | 'remove_tags'; tags: readonly string[] }
  | { action: 'delete' }
  | { action: 'restore' };

/** Small selections change at once; large ones and filters run as a background task. */
export type BulkOutcome = { kind: 'done'; changed: number; unchanged: number } | { kind: 'task'; task: TaskDto };

/** The body of `POST /api/leads/bulk`. */
export function bulkBody(selection: BulkSelection, change: BulkChange): BulkLeadsDto {
  const body: BulkLeadsDto = { action: change.action };
  if ('ids' in selection) {
    body.ids = [...selection.ids];
  } else {
    body.filter = { ...selection.filter };
  }
  switch (change.action) {
    case 'set_status':
      body.status = change.status;
      break;
    case 'assign':
      body.ownerId = change.ownerId;
      break;
    case 'add_tags':
    case 'remove_tags':
      body.tags = [...change.tags];
      break;
  }
  return body;
}

export function bulkOutcome(result: BulkResultDto): BulkOutcome {
  if (result.task) {
    return { kind: 'task', task: result.task };
  }
  return { kind: 'done', changed: result.changed ?? 0, unchanged: result.unchanged ?? 0 };
}

/** The actions of the selection toolbar, through `POST /api/leads/bulk` (one request, whatever the size). */
@Injectable()
export class LeadBulkActions {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  run(selection: BulkSelection, change: BulkChange): Promise<BulkOutcome> {
    return firstValueFrom(
      bulkUpdateLeads(this.http, this.apiConfig.rootUrl, { body: bulkBody(selection, change) }).pipe(
        map((response) => bulkOutcome(response.body)),
      ),
    );
  }
}
