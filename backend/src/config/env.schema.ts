import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  isEmail,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value; // left as is so IsBoolean reports it
};
/** `Name <address>` or a bare address (RFC 5322 mailbox, the forms people write). */
export function parseMailbox(value: string): { name: string | null; address: string } | null {
  const trimmed = value.trim();
  const named = /^(?:"([^"]*)"|([^<>"]*?))\s*<([^<>\s]+)>$/.exec(trimmed);
  const address = named ? named[3] : trimmed;
  if (!isEmail(address, { require_tld: false, allow_display_name: false })) return null;
  const name = named ? (named[1] ?? named[2] ?? '').trim() : '';
  return { name: name || null, address };
}

function IsMailbox(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMailbox',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (value: unknown) => typeof value === 'string' && parseMailbox(value) !== null },
    });
}

const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable Meridian reads, in one place. Defaults give the
 * embedded profile; README's configuration table mirrors this class.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true },
    { message: 'DATABASE_URL must be a postgres:// URL' },
  )
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true },
    { message: 'REDIS_URL must be a redis:// or rediss:// URL' },
  )
  REDIS_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './.data';

  @IsString()
  @MinLength(1)
  DOCS_DIR = './docs';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsString()
  CORS_ORIGINS = '';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL must be an absolute http(s) URL' })
  PUBLIC_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_CONCURRENCY = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HEARTBEAT_INTERVAL_MS = 60_000;

  /** Port of the worker's /metrics and /health; 0 turns it off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT = 9464;

  /** Campaign sending (modules/campaigns/engine): per organization and channel. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CAMPAIGN_EMAIL_RATE_PER_SECOND = 1000;

  /** Website widget (modules/conversations): requests a minute from one address, to its public routes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WIDGET_RATE_PER_IP_PER_MINUTE = 60;

  /** Website widget: requests a minute to one organization's public key, from every address together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WIDGET_RATE_PER_KEY_PER_MINUTE = 600;

  /** Website widget: the form must have been shown this long before it is sent (bots fill it at once). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  WIDGET_MIN_FILL_SECONDS = 3;

  /** Website widget live streams (GET .../stream) open at once for one visitor's conversation. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WIDGET_STREAMS_PER_VISITOR = 2;

  /** Website widget live streams open at once from one client address, every visitor together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WIDGET_STREAMS_PER_IP = 20;

  /** Website widget live streams open at once for one widget key, every visitor together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WIDGET_STREAMS_PER_KEY = 2000;

  /** Meta's default throughput is 80 messages/s per business phone number. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CAMPAIGN_WHATSAPP_RATE_PER_SECOND = 80;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  CAMPAIGN_MAX_ATTEMPTS = 5;

  /** Parallel send loops per campaign (across all workers). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  CAMPAIGN_SEND_SLOTS = 4;

  /** Recipients one send loop claims at a time. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2000)
  CAMPAIGN_BATCH_SIZE = 200;

  /** How long a claim holds before another worker may take the recipients over. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(3600)
  CAMPAIGN_LEASE_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  READY_DISK_MIN_FREE_MB = 100;

  @Transform(toBool)
  @IsBoolean()
  SERVE_CONSOLE = true;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  DB_MIGRATE_ON_START?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  GIT_COMMIT?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Signs access tokens. Required with DATABASE_URL; the embedded profile keeps one in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  REFRESH_TOKEN_TTL_DAYS = 14;

  /**
   * How long an API process reuses what it read about a caller (user, session,
   * organization). Changes made through the API drop it at once, on every
   * replica (Redis pub/sub); 0 reads the database on every request.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  AUTH_CACHE_SECONDS = 5;

  /** First owner, created when the database has no user. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  KAPA_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  KAPA_PROJECT_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  KAPA_INTEGRATION_ID?: string;

  @Transform(toBool)
  @IsBoolean()
  KAPA_WIDGET_ENABLED = true;

  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'KAPA_API_URL must be an absolute http(s) URL' })
  KAPA_API_URL = 'https://api.kapa.ai';

  /** Outgoing mail server; unset: email goes to the outbox (stored, never sent). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true },
    { message: 'SMTP_URL must be an smtp:// or smtps:// URL' },
  )
  SMTP_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SMTP_POOL_SIZE = 5;

  @IsMailbox({ message: 'EMAIL_FROM must be a mailbox: "Name <address@domain>" or "address@domain"' })
  EMAIL_FROM = 'Meridian <no-reply@meridian.local>';

  @IsUrl(
    { require_tld: false, require_protocol: true },
    { message: 'WHATSAPP_API_URL must be an absolute http(s) URL' },
  )
  WHATSAPP_API_URL = 'https://graph.facebook.com';

  @Matches(/^v\d+\.\d+$/, { message: 'WHATSAPP_API_VERSION must look like v21.0' })
  WHATSAPP_API_VERSION = 'v21.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+$/, { message: 'WHATSAPP_PHONE_NUMBER_ID must be the numeric id Meta shows for the number' })
  WHATSAPP_PHONE_NUMBER_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'WHATSAPP_ACCESS_TOKEN must be at least 16 characters' })
  WHATSAPP_ACCESS_TOKEN?: string;

  /** Verifies the X-Hub-Signature-256 of status webhooks; unset: the webhook refuses every POST. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'WHATSAPP_APP_SECRET must be at least 8 characters' })
  WHATSAPP_APP_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'WHATSAPP_VERIFY_TOKEN must be at least 8 characters' })
  WHATSAPP_VERIFY_TOKEN?: string;

  /**
   * The organization whose inbox receives messages sent to the WhatsApp
   * number (one number per installation). Unset: the oldest organization.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'WHATSAPP_ORGANIZATION_ID must be an organization id (a UUID)',
  })
  WHATSAPP_ORGANIZATION_ID?: string;
}

/** Variables whose values must never be printed. */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'KAPA_API_KEY',
  'METRICS_TOKEN',
  'JWT_SECRET',
  'ADMIN_PASSWORD',
  'SMTP_URL',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const;
