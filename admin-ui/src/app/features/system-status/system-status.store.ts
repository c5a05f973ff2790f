import { DOCUMENT } from '@angular/common';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import {
  ApiConfiguration,
  ConnectivityDto,
  SystemHealthDto,
  SystemInfoDto,
  getConnectivity,
  getSystemHealth,
  getSystemInfo,
} from '@meridian/api-client';
import { Observable, firstValueFrom, map } from 'rxjs';

import { ApiProblem, toApiProblem } from '../../core/http/api-problem';

export const AUTO_REFRESH_INTERVAL_MS = 30_000;

/** A round trip to the connectivity endpoint, measured in this browser. */
export interface ConnectivityCheck {
  /** Browser-measured round trip, ms. */
  roundTripMs: number;
  /**
   * Estimated server clock minus browser clock, ms (positive: the server is ahead),
   * taking the server time as read half-way through the round trip.
   */
  clockOffsetMs: number;
  serverProcessingMs: number;
  requestId: string;
  protocol: string;
  clientIp: string | null;
  measuredAt: Date;
}

type Body<T> = { body: T };

/** Time sources, replaceable in tests. */
export interface StatusClock {
  /** Wall clock, epoch ms. */
  now(): number;
  /** Monotonic clock for durations, ms. */
  monotonic(): number;
}

export const STATUS_CLOCK = new InjectionToken<StatusClock>('STATUS_CLOCK', {
  providedIn: 'root',
  factory: () => ({ now: () => Date.now(), monotonic: () => performance.now() }),
});

function isSystemHealth(value: unknown): value is SystemHealthDto {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    'services' in value &&
    Array.isArray((value as { services: unknown }).services)
  );
}

/**
 * State of the System Status page: the last health report, system info and a
 * connectivity measurement, with loading and error state. Provided by the page
 * component, so its timers end with the page.
 *
 * When a refresh fails, the last good data is kept and `stale()` turns true, so the
 * page can show what it last knew next to the error.
 */
@Injectable()
export class SystemStatusStore {
  private readonly http = inject(HttpClient);
  private readonly apiConfig = inject(ApiConfiguration);
  private readonly document = inject(DOCUMENT);
  private readonly clock = inject(STATUS_CLOCK);

  private readonly _health = signal<SystemHealthDto | null>(null);
  private readonly _info = signal<SystemInfoDto | null>(null);
  private readonly _connectivity = signal<ConnectivityCheck | null>(null);
  private readonly _connectivityError = signal<ApiProblem | null>(null);
  private readonly _error = signal<ApiProblem | null>(null);
  private readonly _loading = signal(false);
  private readonly _lastCheckedAt = signal<Date | null>(null);
  private readonly _lastAttemptAt = signal<Date | null>(null);
  private readonly _autoRefreshPaused = signal(false);

  readonly health = this._health.asReadonly();
  readonly info = this._info.asReadonly();
  readonly connectivity = this._connectivity.asReadonly();
  readonly connectivityError = this._connectivityError.asReadonly();
  /** Why the last refresh failed; null after a successful one. */
  readonly error = this._error.asReadonly();
  readonly loading = this._loading.asReadonly();
  /** When the health report now shown was received (browser clock). */
  readonly lastCheckedAt = this._lastCheckedAt.asReadonly();
  readonly lastAttemptAt = this._lastAttemptAt.asReadonly();
  /** True while the tab is hidden and auto-refresh waits for it to come back. */
  readonly autoRefreshPaused = this._autoRefreshPaused.asReadonly();

  readonly status = computed(() => this._health()?.status ?? null);
  readonly services = computed(() => this._health()?.services ?? []);
  readonly resources = computed(() => this._health()?.resources ?? null);
  /** Data is shown but the latest refresh failed. */
  readonly stale = computed(() => this._error() !== null && this._health() !== null);

  private inFlight: Promise<void> | null = null;
  private stopTimers: (() => void) | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopAutoRefresh());
  }

  /** Loads health, info and connectivity together. Calls made while one runs share it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * Refreshes every `intervalMs`, skipping ticks while the tab is hidden and catching up
   * as soon as it is visible again.
   */
  startAutoRefresh(intervalMs = AUTO_REFRESH_INTERVAL_MS): void {
    this.stopAutoRefresh();
    const isHidden = (): boolean => this.document.visibilityState === 'hidden';
    const onVisibilityChange = (): void => {
      this._autoRefreshPaused.set(isHidden());
      const lastAttempt = this._lastAttemptAt()?.getTime() ?? 0;
      if (!isHidden() && this.clock.now() - lastAttempt >= intervalMs) {
        void this.refresh();
      }
    };
    const timer = setInterval(() => {
      if (!isHidden()) {
        void this.refresh();
      }
    }, intervalMs);
    this.document.addEventListener('visibilitychange', onVisibilityChange);
    this._autoRefreshPaused.set(isHidden());
    this.stopTimers = () => {
      clearInterval(timer);
      this.document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }

  stopAutoRefresh(): void {
    this.stopTimers?.();
    this.stopTimers = null;
    this._autoRefreshPaused.set(false);
  }

  private async load(): Promise<void> {
    this._loading.set(true);
    this._lastAttemptAt.set(new Date(this.clock.now()));
    try {
      const [health, info, connectivity] = await Promise.allSettled([
        this.fetchHealth(),
        this.call(getSystemInfo(this.http, this.apiConfig.rootUrl)),
        this.measureConnectivity(),
      ]);

      if (health.status === 'fulfilled') {
        this._health.set(health.value);
        this._lastCheckedAt.set(new Date(this.clock.now()));
        this._error.set(null);
      } else {
        this._error.set(toApiProblem(health.reason));
      }

      if (info.status === 'fulfilled') {
        this._info.set(info.value);
      }

      if (connectivity.status === 'fulfilled') {
        this._connectivity.set(connectivity.value);
        this._connectivityError.set(null);
      } else {
        this._connectivityError.set(toApiProblem(connectivity.reason));
      }
    } finally {
      this._loading.set(false);
    }
  }

  private async fetchHealth(): Promise<SystemHealthDto> {
    try {
      return await this.call(getSystemHealth(this.http, this.apiConfig.rootUrl));
    } catch (error: unknown) {
      // An unhealthy system may be reported with a 503 status and the full report as body.
      if (error instanceof HttpErrorResponse && isSystemHealth(error.error)) {
        return error.error;
      }
      throw error;
    }
  }

  private async measureConnectivity(): Promise<ConnectivityCheck> {
    const clientSentAt = Math.round(this.clock.now());
    const started = this.clock.monotonic();
    const dto: ConnectivityDto = await this.call(getConnectivity(this.http, this.apiConfig.rootUrl, { clientSentAt }));
    const roundTripMs = this.clock.monotonic() - started;
    const serverTime = Date.parse(dto.serverTime);
    const clockOffsetMs = Number.isFinite(serverTime) ? serverTime - (clientSentAt + roundTripMs / 2) : 0;
    return {
      roundTripMs,
      clockOffsetMs,
      serverProcessingMs: dto.serverProcessingMs,
      requestId: dto.requestId,
      protocol: dto.protocol,
      clientIp: dto.clientIp ?? null,
      measuredAt: new Date(this.clock.now()),
    };
  }

  private call<T>(response$: Observable<Body<T>>): Promise<T> {
    return firstValueFrom(response$.pipe(map((response) => response.body)));
  }
}
