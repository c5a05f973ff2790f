import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiConfiguration, HelpPageDto, HelpPageSummaryDto, getHelpPage, listHelpPages } from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

type Body<T> = { body: T };

/**
 * The documentation pages (docs/*.md, served by the API). Kept for the session once read:
 * they change only with a new release, and the title resolver and the page share one request.
 * A failed read is not kept, so "Try again" really tries again.
 */
@Injectable({ providedIn: 'root' })
export class HelpDocsService {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  private pages: Promise<HelpPageSummaryDto[]> | null = null;
  private readonly documents = new Map<string, Promise<HelpPageDto>>();

  list(): Promise<HelpPageSummaryDto[]> {
    this.pages ??= this.call(listHelpPages(this.http, this.apiConfig.rootUrl)).catch((error: unknown) => {
      this.pages = null;
      throw error;
    });
    return this.pages;
  }

  page(page: string): Promise<HelpPageDto> {
    let document = this.documents.get(page);
    if (!document) {
      document = this.call(getHelpPage(this.http, this.apiConfig.rootUrl, { page })).catch((error: unknown) => {
        this.documents.delete(page);
        throw error;
      });
      this.documents.set(page, document);
    }
    return document;
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
