import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  LeadActivityDto,
  LeadDto,
  LeadDuplicateDto,
  addLeadNote,
  listLeadActivities,
  listLeadDuplicates,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';
import { KeysetList } from '../../../shared/list/keyset-list';
import { LeadsStore } from '../leads.store';

export const TIMELINE_PAGE_SIZE = 20;

/** One lead in the drawer: the lead, its timeline (newest first) and notes. Provided by the drawer. */
@Injectable()
export class LeadDetailStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly leads = inject(LeadsStore);
  private readonly _lead = signal<LeadDto | null>(null);
  private readonly _loading = signal(false);
  private readonly _error = signal<ApiProblem | null>(null);
  private readonly _duplicates = signal<LeadDuplicateDto[]>([]);
  private id: string | null = null;
  private generation = 0;

  readonly lead = this._lead.asReadonly();
  readonly loading = this._loading.asReadonly();
  readonly error = this._error.asReadonly();
  /** Live leads that may be the same person (most likely first); empty for a deleted lead. */
  readonly duplicates = this._duplicates.asReadonly();

  readonly timeline = new KeysetList<LeadActivityDto>((cursor) => {
    const id = this.id;
    if (!id) {
      return Promise.resolve({ items: [], nextCursor: null });
    }
    return firstValueFrom(
      listLeadActivities(this.http, this.apiConfig.rootUrl, { id, limit: TIMELINE_PAGE_SIZE, cursor }).pipe(
        map((response) => response.body),
      ),
    );
  });

  /** Shows another lead: the one on screen is dropped at once. */
  async load(id: string): Promise<void> {
    const generation = ++this.generation;
    this.id = id;
    this._lead.set(null);
    this._error.set(null);
    this._duplicates.set([]);
    this._loading.set(true);
    const timeline = this.timeline.reload();
    try {
      const lead = await this.leads.get(id);
      if (generation === this.generation) {
        this._lead.set(lead);
        void this.loadDuplicates(lead, generation);
      }
    } catch (error: unknown) {
      if (generation === this.generation) {
        this._error.set(toApiProblem(error));
      }
    } finally {
      if (generation === this.generation) {
        this._loading.set(false);
      }
    }
    await timeline;
  }

  /** A change made elsewhere (save, status, restore): shown, and the timeline tells about it. */
  async changed(lead: LeadDto): Promise<void> {
    if (lead.id !== this.id) {
      return;
    }
    this._lead.set(lead);
    await Promise.all([this.timeline.reload(), this.loadDuplicates(lead, this.generation)]);
  }

  private async loadDuplicates(lead: LeadDto, generation: number): Promise<void> {
    if (lead.deletedAt) {
      this._duplicates.set([]);
      return;
    }
    try {
      const answer = await firstValueFrom(
        listLeadDuplicates(this.http, this.apiConfig.rootUrl, { id: lead.id, limit: 5 }).pipe(
          map((response) => response.body),
        ),
      );
      if (generation === this.generation) {
        this._duplicates.set(answer.items);
      }
    } catch {
      // A nicety: the lead shows without it.
      if (generation === this.generation) {
        this._duplicates.set([]);
      }
    }
  }

  async addNote(body: string): Promise<LeadActivityDto> {
    const id = this.id;
    if (!id) {
      throw new Error('No lead is open');
    }
    const activity = await firstValueFrom(
      addLeadNote(this.http, this.apiConfig.rootUrl, { id, body: { body } }).pipe(map((response) => response.body)),
    );
    if (id === this.id) {
      this.timeline.add(activity, 'start');
    }
    return activity;
  }
}
