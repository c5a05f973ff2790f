import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

export interface KapaProjectCheck {
  ok: boolean;
  latencyMs: number;
  httpStatus: number | null;
  message: string;
  projectName?: string;
}

/**
 * Talks to Kapa.ai from the server only: the key never reaches a browser or
 * a log line. (Chat, streaming and feedback arrive with the assistant work.)
 */
@Injectable()
export class KapaClient {
  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.kapa.configured;
  }

  /** GET /org/v1/projects/{id}/: the cheapest call that proves key and project. */
  async verifyProject(timeoutMs: number): Promise<KapaProjectCheck> {
    const { apiUrl, apiKey, projectId } = this.config.kapa;
    if (!apiKey || !projectId) {
      return { ok: false, latencyMs: 0, httpStatus: null, message: 'Kapa.ai is not configured' };
    }
    const started = performance.now();
    try {
      const res = await fetch(`${apiUrl}/org/v1/projects/${encodeURIComponent(projectId)}/`, {
        headers: { 'X-API-KEY': apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const latencyMs = performance.now() - started;
      if (res.ok) {
        const body = (await res.json().catch(() => ({}))) as { project_name?: string };
        return {
          ok: true,
          latencyMs,
          httpStatus: res.status,
          message: 'Kapa.ai answered',
          projectName: body.project_name,
        };
      }
      await res.body?.cancel();
      return { ok: false, latencyMs, httpStatus: res.status, message: describeKapaStatus(res.status) };
    } catch (err) {
      const latencyMs = performance.now() - started;
      const timedOut = (err as Error).name === 'TimeoutError';
      return {
        ok: false,
        latencyMs,
        httpStatus: null,
        message: timedOut ? `Kapa.ai did not answer within ${timeoutMs} ms` : 'Kapa.ai could not be reached',
      };
    }
  }
}

export function describeKapaStatus(status: number): string {
  if (status === 401 || status === 403) return 'Kapa.ai rejected the API key';
  if (status === 404) return 'Kapa.ai does not know this project id';
  if (status === 429) return 'Kapa.ai rate limit reached';
  if (status >= 500) return `Kapa.ai service error (HTTP ${status})`;
  return `Kapa.ai answered HTTP ${status}`;
}
