import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  CreateLeadFieldDto,
  LeadFieldDto,
  UpdateLeadFieldDto,
  createLeadField,
  deleteLeadField,
  listLeadFields,
  updateLeadField,
} from '@meridian/api-client';
import { firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../../core/http/api-problem';

function byPosition(a: LeadFieldDto, b: LeadFieldDto): number {
  return a.position - b.position || a.label.localeCompare(b.label);
}

/**
 * The organization's custom lead fields (`/api/lead-fields`), in their order. One instance
 * for the console: the Leads page, its forms and the Lead fields settings page share it.
 */
@Injectable({ providedIn: 'root' })
export class LeadFieldDefinitions {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly _fields = signal<LeadFieldDto[]>([]);
  private readonly _loaded = signal(false);
  private readonly _error = signal<ApiProblem | null>(null);

  readonly fields = this._fields.asReadonly();
  readonly loaded = this._loaded.asReadonly();
  readonly error = this._error.asReadonly();
  readonly byKey = computed(() => new Map(this._fields().map((field) => [field.key, field])));

  /** Asks the API again (each page that shows fields calls it on opening). */
  async load(): Promise<void> {
    try {
      const fields = await firstValueFrom(
        listLeadFields(this.http, this.apiConfig.rootUrl).pipe(map((response) => response.body)),
      );
      this._fields.set([...fields].sort(byPosition));
      this._error.set(null);
    } catch (error: unknown) {
      this._error.set(toApiProblem(error));
    } finally {
      this._loaded.set(true);
    }
  }

  async create(body: CreateLeadFieldDto): Promise<LeadFieldDto> {
    const field = await firstValueFrom(
      createLeadField(this.http, this.apiConfig.rootUrl, { body }).pipe(map((response) => response.body)),
    );
    this._fields.update((fields) => [...fields, field].sort(byPosition));
    return field;
  }

  async update(id: string, body: UpdateLeadFieldDto): Promise<LeadFieldDto> {
    const field = await firstValueFrom(
      updateLeadField(this.http, this.apiConfig.rootUrl, { id, body }).pipe(map((response) => response.body)),
    );
    this._fields.update((fields) => fields.map((existing) => (existing.id === id ? field : existing)).sort(byPosition));
    return field;
  }

  async remove(id: string): Promise<void> {
    await firstValueFrom(deleteLeadField(this.http, this.apiConfig.rootUrl, { id }));
    this._fields.update((fields) => fields.filter((field) => field.id !== id));
  }

  /**
   * Moves a field one step up or down: the list is renumbered 10, 20, 30… and the fields
   * whose position changes are saved.
   */
  async move(id: string, step: -1 | 1): Promise<void> {
    const fields = [...this._fields()];
    const index = fields.findIndex((field) => field.id === id);
    const target = index + step;
    if (index < 0 || target < 0 || target >= fields.length) {
      return;
    }
    [fields[index], fields[target]] = [fields[target], fields[index]];
    const changes = reorderPositions(fields);
    this._fields.set(fields.map((field) => ({ ...field, position: changes.get(field.id) ?? field.position })));
    try {
      for (const [fieldId, position] of changes) {
        await this.update(fieldId, { position });
      }
    } catch (error: unknown) {
      await this.load();
      throw error;
    }
  }
}

/** New positions (10, 20, 30…) for fields in the wanted order: only those that change. */
export function reorderPositions(fields: readonly Pick<LeadFieldDto, 'id' | 'position'>[]): Map<string, number> {
  const changes = new Map<string, number>();
  fields.forEach((field, index) => {
    const position = (index + 1) * 10;
    if (field.position !== position) {
      changes.set(field.id, position);
    }
  });
  return changes;
}
