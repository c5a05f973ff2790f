import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiConfiguration, LeadDto, LeadStatus, deleteLead, restoreLead, updateLead } from '@meridian/api-client';
import { Observable, firstValueFrom } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

/** What became of each selected lead. */
export interface BulkOutcome<T = string> {
  /** The leads done: their new state, or their ids when there is none (deleted). */
  done: T[];
  failed: { id: string; problem: ApiProblem }[];
}

/** Requests in flight at once: quick for a page of selected rows, gentle on the API. */
const CONCURRENCY = 4;

async function eachLimited<T>(ids: readonly string[], task: (id: string) => Promise<T>): Promise<BulkOutcome<T>> {
  const outcome: BulkOutcome<T> = { done: [], failed: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        outcome.done.push(await task(id));
      } catch (error: unknown) {
        outcome.failed.push({ id, problem: toApiProblem(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return outcome;
}

/**
 * The actions of the selection toolbar on a list of lead ids. Today each one calls the
 * single-lead endpoint per id; when the API has bulk actions (a job with progress, issue
 * #4 item 6), this class is the one place to switch: the page and the toolbar only see
 * `BulkOutcome`s.
 */
@Injectable()
export class LeadBulkActions {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  setStatus(ids: readonly string[], status: LeadStatus): Promise<BulkOutcome<LeadDto>> {
    return eachLimited(ids, (id) => this.body(updateLead(this.http, this.apiConfig.rootUrl, { id, body: { status } })));
  }

  delete(ids: readonly string[]): Promise<BulkOutcome> {
    return eachLimited(ids, async (id) => {
      await firstValueFrom(deleteLead(this.http, this.apiConfig.rootUrl, { id }));
      return id;
    });
  }

  restore(ids: readonly string[]): Promise<BulkOutcome<LeadDto>> {
    return eachLimited(ids, (id) => this.body(restoreLead(this.http, this.apiConfig.rootUrl, { id })));
  }

  private async body<T>(response$: Observable<{ body: T }>): Promise<T> {
    return (await firstValueFrom(response$)).body;
  }
}
