import { ConnectivityDto, SystemHealthDto, SystemInfoDto } from '@meridian/api-client';

/** A health report as the API sends it: three configured services, two optional ones off. */
export function healthReport(overrides: Partial<SystemHealthDto> = {}): SystemHealthDto {
  return {
    status: 'healthy',
    checkedAt: '2026-01-15T10:00:00.000Z',
    durationMs: 18,
    services: [
      {
        name: 'database',
        label: 'Database',
        status: 'healthy',
        configured: true,
        latencyMs: 3.2,
        message: 'PostgreSQL 16.4 answered SELECT 1',
        details: { driver: 'embedded-pglite', poolSize: 1 },
      },
      {
        name: 'cache',
        label: 'Cache',
        status: 'healthy',
        configured: true,
        latencyMs: 0.1,
        message: 'In-memory cache answered',
        details: { mode: 'memory' },
      },
      {
        name: 'queue',
        label: 'Job queue',
        status: 'healthy',
        configured: true,
        latencyMs: 0.4,
        message: 'Inline runner ready',
        details: { mode: 'inline', waiting: 0, failed: 0 },
      },
      {
        name: 'kapa',
        label: 'Kapa.ai',
        status: 'healthy',
        configured: false,
        latencyMs: null,
        message: 'KAPA_API_KEY is not set; the assistant uses the local docs',
        details: {},
      },
      {
        name: 'ai_provider',
        label: 'AI provider',
        status: 'healthy',
        configured: false,
        latencyMs: null,
        message: 'No AI provider configured',
        details: {},
      },
    ],
    resources: {
      cpu: { cores: 2, loadAverage1m: 0.5, usagePercent: 25 },
      memory: {
        totalBytes: 8 * 1024 ** 3,
        usedBytes: 2 * 1024 ** 3,
        usagePercent: 25,
        processRssBytes: 150 * 1024 ** 2,
      },
      disk: {
        path: '/srv/meridian/.data',
        totalBytes: 100 * 1024 ** 3,
        freeBytes: 60 * 1024 ** 3,
        usagePercent: 40,
      },
    },
    ...overrides,
  };
}

export function systemInfo(overrides: Partial<SystemInfoDto> = {}): SystemInfoDto {
  return {
    name: 'meridian',
    version: '0.1.0',
    commit: '3f2a9c1d8e7b6a5f4e3d2c1b0a998877',
    profile: 'embedded',
    environment: 'development',
    nodeVersion: 'v20.19.0',
    startedAt: '2026-01-15T08:00:00.000Z',
    uptimeSeconds: 7260,
    components: {
      database: 'embedded-pglite',
      queue: 'inline',
      cache: 'memory',
      assistant: 'local-docs',
    },
    features: {
      kapa: false,
      kapaWidget: false,
      distributedJobs: false,
      metrics: true,
      console: true,
    },
    capabilities: ['health', 'metrics', 'openapi'],
    ...overrides,
  };
}

export function connectivity(overrides: Partial<ConnectivityDto> = {}): ConnectivityDto {
  return {
    ok: true,
    serverTime: '2026-01-15T10:00:00.000Z',
    requestId: 'req-connectivity-1',
    clientSentAt: null,
    serverProcessingMs: 0.6,
    clientIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

/** The API's error body (RFC 9457 problem details). */
export function problem(status: number, title: string, requestId = 'req-err-1'): object {
  return {
    type: 'about:blank',
    title,
    status,
    detail: `${title} (test)`,
    code: 'TEST_ERROR',
    requestId,
  };
}
