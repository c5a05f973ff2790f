import { OnModuleDestroy } from '@nestjs/common';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection, { type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import type { OutgoingEmail, SendMeta, SendOutcome } from '../channel.types';
import { EmailSender } from '../email-sender';
import { buildMime, type BuiltMime } from '../mime';
import { redactSecrets } from '../redact';

export interface SmtpSenderOptions {
  url: string;
  poolSize: number;
  /** Defaults suit a real relay; tests shorten them. */
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** What nodemailer puts on its errors. */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const RATE_WORDING = /\b(rate|too many|throttl|limit|slow down|try again later)/i;
/** Unknown user / mailbox does not exist / not local / syntax of the mailbox: the address itself is bad. */
const BOUNCE_CODES = new Set([550, 551, 553]);
/** Failures of the link rather than of the message: the same message may go through later. */
const CONNECTION_ERRORS = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EAUTH',
  'ENOAUTH',
  'EMAXLIMIT',
]);

/** SMTP reply → what the campaigns engine should do with the recipient. */
export function classifySmtpError(err: SmtpError, secrets: readonly string[] = []): Exclude<SendOutcome, { ok: true }> {
  const error = redactSecrets(describe(err), secrets);
  const code = err.responseCode;
  if (code !== undefined && code >= 400 && code < 500) {
    const enhanced = /\b4\.7\.\d{1,3}\b/.test(err.response ?? '');
    if (enhanced || ((code === 421 || code === 451) && RATE_WORDING.test(err.response ?? '')))
      return { ok: false, kind: 'throttled', error };
    return { ok: false, kind: 'transient', error };
  }
  if (code !== undefined && code >= 500 && code < 600) {
    // A bad credential (535) or a refused sender at MAIL FROM is ours to fix, not the recipient's: not a bounce.
    if (code === 535 || err.code === 'EAUTH') return { ok: false, kind: 'transient', error };
    const atRecipient = err.command === 'RCPT TO';
    const bounce = atRecipient && (BOUNCE_CODES.has(code) || /\b5\.1\.[0-3]\b/.test(err.response ?? ''));
    return { ok: false, kind: 'permanent', bounce, error };
  }
  if (err.code && CONNECTION_ERRORS.has(err.code)) return { ok: false, kind: 'transient', error };
  if (err.code === 'EENVELOPE' || err.code === 'EMESSAGE')
    return { ok: false, kind: 'permanent', bounce: false, error };
  return { ok: false, kind: 'transient', error };
}

function describe(err: SmtpError): string {
  const parts = [
    err.command ? `${err.command}:` : null,
    err.response ?? err.message,
    err.code ? `(${err.code})` : null,
  ];
  return parts.filter(Boolean).join(' ');
}

/** What nodemailer's SMTPConnection needs to open one connection, from SMTP_URL. */
type ConnectionOptions = SMTPConnectionOptions & { auth?: { user: string; pass: string } };

/** A pooled connection and whether it already carried a message (a reused link may have been dropped by the server). */
interface Pooled {
  connection: SMTPConnection;
  used: boolean;
  idleTimer?: NodeJS.Timeout;
}

/** An idle connection is closed after this long; relays drop idle clients on their own (often after 30-60 s). */
const IDLE_MS = 15_000;
/** Stages before any byte of the content is written: a failure there may be retried on another connection. */
const ENVELOPE_STAGES = new Set(['MAIL FROM', 'RCPT TO', 'DATA', 'CONN', 'API']);
const LINK_ERRORS = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT']);

/**
 * SMTP_URL set: SMTP_POOL_SIZE connections kept open (nodemailer's
 * SMTPConnection: TLS, STARTTLS, AUTH, PIPELINING of the envelope), each
 * carrying messages one after the other for as long as it lives. The message
 * is a buffer prebuilt by mime.ts, so sending costs one envelope write, one
 * content write and the replies: no composer, no stream tree per message.
 */
export class SmtpEmailSender extends EmailSender implements OnModuleDestroy {
  readonly driver = 'smtp' as const;
  private readonly options: ConnectionOptions;
  private readonly secrets: string[];
  private readonly poolSize: number;
  private readonly idle: Pooled[] = [];
  private readonly waiting: { resolve: (p: Pooled) => void; reject: (e: Error) => void }[] = [];
  private open = 0;
  private closed = false;

  constructor(options: SmtpSenderOptions) {
    super();
    this.options = {
      ...(parseConnectionUrl(options.url) as ConnectionOptions),
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      logger: false,
    };
    this.poolSize = Math.max(1, options.poolSize);
    this.secrets = secretsOfUrl(options.url);
  }

  async send(message: OutgoingEmail, _meta: SendMeta): Promise<SendOutcome> {
    let raw: Buffer;
    let envelope: BuiltMime['envelope'];
    try {
      ({ raw, envelope } = buildMime(message));
    } catch (err) {
      return {
        ok: false,
        kind: 'permanent',
        bounce: false,
        error: `the message could not be built: ${(err as Error).message}`,
      };
    }
    // A reused connection the server dropped (or closed with 421) fails before any content went out:
    // the message moves to the next connection, at most once per pooled connection, then to a fresh one.
    for (let tries = 0; ; tries++) {
      let pooled: Pooled;
      try {
        pooled = await this.acquire(tries > this.poolSize);
      } catch (err) {
        return classifySmtpError(err as SmtpError, this.secrets);
      }
      try {
        await sendOn(pooled.connection, envelope, raw);
        this.release(pooled);
        return { ok: true, providerMessageId: message.messageId };
      } catch (e) {
        const err = e as SmtpError;
        const link = err.responseCode === 421 || LINK_ERRORS.has(err.code ?? '');
        const beforeContent = ENVELOPE_STAGES.has(err.command ?? 'CONN') && err.code !== 'EMESSAGE';
        if (link) this.destroy(pooled);
        else this.resetAndRelease(pooled);
        if (link && beforeContent && pooled.used && !this.closed) continue;
        return classifySmtpError(err, this.secrets);
      }
    }
  }

  async verify(): Promise<void> {
    const connection = new SMTPConnection(this.options);
    try {
      await connect(connection, this.options);
    } catch (err) {
      throw new Error(redactSecrets(describe(err as SmtpError), this.secrets));
    } finally {
      connection.quit();
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const pooled of this.idle.splice(0)) {
      clearTimeout(pooled.idleTimer);
      pooled.connection.quit();
    }
    for (const w of this.waiting.splice(0))
      w.reject(Object.assign(new Error('the SMTP pool is closed'), { code: 'ECONNECTION' }));
  }

  /** An idle connection, a new one while under the pool size, or the next one released. */
  private acquire(fresh = false): Promise<Pooled> {
    if (this.closed)
      return Promise.reject(Object.assign(new Error('the SMTP pool is closed'), { code: 'ECONNECTION' }));
    if (!fresh) {
      const pooled = this.idle.pop();
      if (pooled) {
        clearTimeout(pooled.idleTimer);
        return Promise.resolve(pooled);
      }
    }
    if (this.open < this.poolSize || fresh) return this.create();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private async create(): Promise<Pooled> {
    this.open++;
    const connection = new SMTPConnection(this.options);
    const pooled: Pooled = { connection, used: false };
    // A connection that ends or fails while idle leaves the pool (errors are also answered to the send in progress).
    const gone = () => {
      const i = this.idle.indexOf(pooled);
      if (i >= 0) {
        this.idle.splice(i, 1);
        clearTimeout(pooled.idleTimer);
        this.forget();
      }
    };
    connection.on('error', gone);
    connection.on('end', gone);
    try {
      await connect(connection, this.options);
      return pooled;
    } catch (err) {
      connection.close();
      this.forget();
      throw err;
    }
  }

  private release(pooled: Pooled): void {
    pooled.used = true;
    const next = this.waiting.shift();
    if (next) return next.resolve(pooled);
    if (this.closed) return this.destroy(pooled);
    pooled.idleTimer = setTimeout(() => {
      const i = this.idle.indexOf(pooled);
      if (i >= 0) this.idle.splice(i, 1);
      this.destroy(pooled);
    }, IDLE_MS);
    pooled.idleTimer.unref();
    this.idle.push(pooled);
  }

  /** After a refused message the link is fine: RSET, then back in the pool. */
  private resetAndRelease(pooled: Pooled): void {
    pooled.connection.reset((err) => (err ? this.destroy(pooled) : this.release(pooled)));
  }

  private destroy(pooled: Pooled): void {
    clearTimeout(pooled.idleTimer);
    pooled.connection.close();
    this.forget();
  }

  /** One connection fewer: a waiting send gets a new one. */
  private forget(): void {
    this.open--;
    const next = this.waiting.shift();
    if (next) this.create().then(next.resolve, next.reject);
  }
}

/** Connects (and logs in): SMTPConnection reports a failed connect as an 'error' or 'end' event, not to the callback. */
function connect(connection: SMTPConnection, options: ConnectionOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => {
      connection.removeListener('error', done);
      connection.removeListener('end', ended);
      if (err) reject(err);
      else resolve();
    };
    const ended = () =>
      done(Object.assign(new Error('Connection closed before the session started'), { code: 'ECONNECTION' }));
    connection.once('error', done);
    connection.once('end', ended);
    connection.connect((err) => {
      if (err) return done(err);
      if (!options.auth) return done();
      connection.login(options.auth, (loginErr) => done(loginErr));
    });
  });
}

function sendOn(connection: SMTPConnection, envelope: BuiltMime['envelope'], raw: Buffer): Promise<void> {
  return new Promise((resolve, reject) => connection.send(envelope, raw, (err) => (err ? reject(err) : resolve())));
}

/** The URL and its password, so an error message that echoes them can be cleaned. */
function secretsOfUrl(url: string): string[] {
  const out = [url];
  try {
    const parsed = new URL(url);
    if (parsed.password) out.push(parsed.password, decodeURIComponent(parsed.password));
  } catch {
    /* validated at boot */
  }
  return out;
}
