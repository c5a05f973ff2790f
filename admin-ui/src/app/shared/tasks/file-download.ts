import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiConfiguration, StoredFileDto, downloadFile$Any } from '@meridian/api-client';
import { firstValueFrom } from 'rxjs';

/**
 * Downloads a stored file (export, import error report). The API wants the
 * bearer token, which a plain link cannot send, so the file is fetched and
 * handed to the browser as a blob.
 */
@Injectable({ providedIn: 'root' })
export class FileDownloader {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);

  async save(file: Pick<StoredFileDto, 'id' | 'name'>): Promise<void> {
    const response = await firstValueFrom(downloadFile$Any(this.http, this.apiConfig.rootUrl, { id: file.id }));
    const url = URL.createObjectURL(response.body);
    try {
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      link.click();
    } finally {
      // Give the browser a moment to start the download before the URL goes.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
  }
}
