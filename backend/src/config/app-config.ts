import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import * as path from 'node:path';
import { EnvironmentVariables, LogLevel, parseMailbox } from './env.schema';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export type Profile = 'embedded' | 'production';

/** Typed, validated configuration. Injected by class: `constructor(private config: AppConfig)`. */
export class AppConfig {
  readonly env: EnvironmentVariables['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  readonly docsDir: string;
  readonly logLevel: LogLevel;
  readonly corsOrigins: string[];
  readonly publicUrl: string | undefined;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly dbPoolSize: number;
  readonly workerConcurrency: number;
  readonly workerMetricsPort: number;
  readonly heartbeatIntervalMs: number;
  readonly readyDiskMinFreeBytes: number;
  readonly serveConsole: boolean;
  readonly migrateOnStart: boolean;
  readonly gitCommit: string | undefined;
  readonly metricsToken: string | undefined;
  readonly auth: {
    jwtSecret: string | undefined;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    cacheTtlMs: number;
    adminEmail: string | undefined;
    adminPassword: string | undefined;
  };
  /** Website widget rate limits (per minute) and open live streams. */
  readonly widget: {
    ratePerIpPerMinute: number;
    ratePerKeyPerMinute: number;
    minFillMs: number;
    streamsPerVisitor: number;
    streamsPerIp: number;
    streamsPerKey: number;
  };
  /** Campaign sending engine (modules/campaigns/engine). */
  readonly campaigns: {
    emailRatePerSecond: number;
    whatsappRatePerSecond: number;
    maxAttempts: number;
    sendSlots: number;
    batchSize: number;
    leaseSeconds: number;
  };
  readonly kapa: {
    apiKey: string | undefined;
    projectId: string | undefined;
    integrationId: string | undefined;
    widgetEnabled: boolean;
    apiUrl: string;
    configured: boolean;
  };
  readonly email: {
    /** smtp(s):// URL with credentials: a secret. Unset: the outbox driver. */
    smtpUrl: string | undefined;
    poolSize: number;
    /** The default From mailbox, as written (`Name <address>`). */
    from: string;
    fromAddress: string;
    fromName: string | null;
  };
  readonly whatsapp: {
    apiUrl: string;
    apiVersion: string;
    phoneNumberId: string | undefined;
    accessToken: string | undefined;
    appSecret: string | undefined;
    verifyToken: string | undefined;
    /** The organization that receives incoming messages; undefined: the oldest one. */
    organizationId: string | undefined;
    /** Token and phone number id set: the Cloud API driver; otherwise the outbox. */
    configured: boolean;
  };

  constructor(vars: EnvironmentVariables) {
    this.env = vars.NODE_ENV;
    this.port = vars.PORT;
    this.host = vars.HOST;
    this.databaseUrl = vars.DATABASE_URL;
    this.redisUrl = vars.REDIS_URL;
    this.dataDir = path.resolve(vars.DATA_DIR);
    this.docsDir = path.resolve(vars.DOCS_DIR);
    this.logLevel = vars.LOG_LEVEL;
    this.corsOrigins = vars.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    this.publicUrl = vars.PUBLIC_URL;
    this.bodyLimitBytes = vars.BODY_LIMIT_BYTES;
    this.shutdownTimeoutMs = vars.SHUTDOWN_TIMEOUT_MS;
    this.dbPoolSize = vars.DB_POOL_SIZE;
    this.workerConcurrency = vars.WORKER_CONCURRENCY;
    this.workerMetricsPort = vars.WORKER_METRICS_PORT;
    this.heartbeatIntervalMs = vars.HEARTBEAT_INTERVAL_MS;
    this.readyDiskMinFreeBytes = vars.READY_DISK_MIN_FREE_MB * 1024 * 1024;
    this.serveConsole = vars.SERVE_CONSOLE;
    this.migrateOnStart = vars.DB_MIGRATE_ON_START ?? !vars.DATABASE_URL;
    this.gitCommit = vars.GIT_COMMIT;
    this.metricsToken = vars.METRICS_TOKEN;
    this.auth = {
      jwtSecret: vars.JWT_SECRET,
      accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: vars.REFRESH_TOKEN_TTL_DAYS,
      cacheTtlMs: vars.AUTH_CACHE_SECONDS * 1000,
      adminEmail: vars.ADMIN_EMAIL?.toLowerCase(),
      adminPassword: vars.ADMIN_PASSWORD,
    };
    this.widget = {
      ratePerIpPerMinute: vars.WIDGET_RATE_PER_IP_PER_MINUTE,
      ratePerKeyPerMinute: vars.WIDGET_RATE_PER_KEY_PER_MINUTE,
      minFillMs: vars.WIDGET_MIN_FILL_SECONDS * 1000,
      streamsPerVisitor: vars.WIDGET_STREAMS_PER_VISITOR,
      streamsPerIp: vars.WIDGET_STREAMS_PER_IP,
      streamsPerKey: vars.WIDGET_STREAMS_PER_KEY,
    };
    this.campaigns = {
      emailRatePerSecond: vars.CAMPAIGN_EMAIL_RATE_PER_SECOND,
      whatsappRatePerSecond: vars.CAMPAIGN_WHATSAPP_RATE_PER_SECOND,
      maxAttempts: vars.CAMPAIGN_MAX_ATTEMPTS,
      sendSlots: vars.CAMPAIGN_SEND_SLOTS,
      batchSize: vars.CAMPAIGN_BATCH_SIZE,
      leaseSeconds: vars.CAMPAIGN_LEASE_SECONDS,
    };
    this.kapa = {
      apiKey: vars.KAPA_API_KEY,
      projectId: vars.KAPA_PROJECT_ID,
      integrationId: vars.KAPA_INTEGRATION_ID,
      widgetEnabled: vars.KAPA_WIDGET_ENABLED,
      apiUrl: vars.KAPA_API_URL.replace(/\/+$/, ''),
      configured: Boolean(vars.KAPA_API_KEY && vars.KAPA_PROJECT_ID),
    };
    const from = parseMailbox(vars.EMAIL_FROM) ?? { name: null, address: vars.EMAIL_FROM };
    this.email = {
      smtpUrl: vars.SMTP_URL,
      poolSize: vars.SMTP_POOL_SIZE,
      from: vars.EMAIL_FROM.trim(),
      fromAddress: from.address,
      fromName: from.name,
    };
    this.whatsapp = {
      apiUrl: vars.WHATSAPP_API_URL.replace(/\/+$/, ''),
      apiVersion: vars.WHATSAPP_API_VERSION,
      phoneNumberId: vars.WHATSAPP_PHONE_NUMBER_ID,
      accessToken: vars.WHATSAPP_ACCESS_TOKEN,
      appSecret: vars.WHATSAPP_APP_SECRET,
      verifyToken: vars.WHATSAPP_VERIFY_TOKEN,
      organizationId: vars.WHATSAPP_ORGANIZATION_ID?.toLowerCase(),
      configured: Boolean(vars.WHATSAPP_ACCESS_TOKEN && vars.WHATSAPP_PHONE_NUMBER_ID),
    };
  }

  /** Embedded when no external database is given: PGlite, inline jobs, memory cache. */
  get profile(): Profile {
    return this.databaseUrl ? 'production' : 'embedded';
  }

  get usesRedis(): boolean {
    return this.redisUrl !== undefined;
  }

  /** Reads and validates the environment; throws listing every bad variable at once. */
  static load(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const raw: Record<string, unknown> = {};
    for (const key of declaredVariables()) {
      if (env[key] !== undefined) raw[key] = env[key];
    }
    const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
    const errors = validateSync(vars, { forbidUnknownValues: true });
    const problems = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((msg) => (msg.startsWith(e.property) ? msg : `${e.property}: ${msg}`)),
    );
    if (vars.KAPA_API_KEY && !vars.KAPA_PROJECT_ID)
      problems.push('KAPA_PROJECT_ID is required when KAPA_API_KEY is set');
    if (vars.KAPA_PROJECT_ID && !vars.KAPA_API_KEY)
      problems.push('KAPA_API_KEY is required when KAPA_PROJECT_ID is set');
    if (vars.WHATSAPP_ACCESS_TOKEN && !vars.WHATSAPP_PHONE_NUMBER_ID)
      problems.push('WHATSAPP_PHONE_NUMBER_ID is required when WHATSAPP_ACCESS_TOKEN is set');
    if (vars.WHATSAPP_PHONE_NUMBER_ID && !vars.WHATSAPP_ACCESS_TOKEN)
      problems.push('WHATSAPP_ACCESS_TOKEN is required when WHATSAPP_PHONE_NUMBER_ID is set');
    if (problems.length > 0) throw new ConfigValidationError(problems);
    return new AppConfig(vars);
  }
}

/** Names of the variables EnvironmentVariables declares (each has at least one validator). */
function declaredVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}
