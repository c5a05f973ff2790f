import { OnModuleDestroy } from '@nestjs/common';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection, { type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import type { OutgoingEmail, SendMeta, SendOutcome } from '../channel.types';
import { EmailSender } from '../email-sender';
import { buildMime, type BuiltMime } from '../mime';
import { redactSecrets } from '../redact';
import { dotStuff, takeOver, type SmtpFailure, type SmtpPipeline } from './smtp-pipeline';

export interface SmtpSenderOptions {
  url: string;
  poolSize: number;
  /** Defaults suit a real relay; tests shorten them. */
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** What nodemailer puts on its errors, and smtp-pipeline.ts on its own. */
type SmtpError = SmtpFailure;

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

/** An idle connection is closed after this long; relays drop idle clients on their own (often after 30-60 s). */
const IDLE_MS = 15_000;
/** Stages before any byte of the content is written: a failure there may be retried on another connection. */
const ENVELOPE_STAGES = new Set(['MAIL FROM', 'RCPT TO', 'DATA', 'CONN', 'API']);
const LINK_ERRORS = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT']);

/** A pooled connection: opening (nodemailer's session set-up), then sending (the pipeline). */
interface Pooled {
  ready: Promise<SmtpPipeline>;
  pipeline?: SmtpPipeline;
  /** Messages handed to it and not answered yet, counted from the moment it was picked. */
  load: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * SMTP_URL set: up to SMTP_POOL_SIZE connections kept open. nodemailer's
 * SMTPConnection opens each one (TLS or STARTTLS, EHLO, AUTH); then
 * smtp-pipeline.ts sends on its socket, with the next message's envelope in
 * the same write as the content before it (RFC 2920 PIPELINING), so a
 * message costs one write and one round trip. The message is a buffer
 * prebuilt by mime.ts: no composer, no stream per message. A message goes to
 * the connection with the least waiting; a new connection opens while the
 * pool is under its size and every open one is busy.
 */
export class SmtpEmailSender extends EmailSender implements OnModuleDestroy {
  readonly driver = 'smtp' as const;
  private readonly options: ConnectionOptions;
  private readonly secrets: string[];
  private readonly poolSize: number;
  private readonly socketTimeoutMs: number;
  private readonly pool: Pooled[] = [];
  private closed = false;

  constructor(options: SmtpSenderOptions) {
    super();
    this.socketTimeoutMs = options.socketTimeoutMs ?? 30_000;
    this.options = {
      ...(parseConnectionUrl(options.url) as ConnectionOptions),
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: this.socketTimeoutMs,
      logger: false,
    };
    this.poolSize = Math.max(1, options.poolSize);
    this.secrets = secretsOfUrl(options.url);
  }

  async send(message: OutgoingEmail, _meta: SendMeta): Promise<SendOutcome> {
    let content: Buffer;
    let envelope: BuiltMime['envelope'];
    try {
      const built = buildMime(message);
      envelope = built.envelope;
      content = dotStuff(built.raw);
    } catch (err) {
      return {
        ok: false,
        kind: 'permanent',
        bounce: false,
        error: `the message could not be built: ${(err as Error).message}`,
      };
    }
    // A reused connection the server dropped (or closed with 421) fails before any content went out:
    // the message moves to another connection, at most once per pooled connection, then to a fresh one.
    for (let tries = 0; ; tries++) {
      if (this.closed) return classifySmtpError(poolClosed(), this.secrets);
      const pooled = this.pick(tries > this.poolSize);
      pooled.load++;
      let pipeline: SmtpPipeline | undefined;
      try {
        pipeline = await pooled.ready;
        await pipeline.send(envelope.from, envelope.to[0], content);
        return { ok: true, providerMessageId: message.messageId };
      } catch (e) {
        const err = e as SmtpFailure;
        const link = err.responseCode === 421 || LINK_ERRORS.has(err.code ?? '');
        const beforeContent = ENVELOPE_STAGES.has(err.command ?? 'CONN') && err.code !== 'EMESSAGE';
        if (link && beforeContent && pipeline && pipeline.delivered > 0 && !this.closed) continue;
        return classifySmtpError(err, this.secrets);
      } finally {
        pooled.load--;
        this.idleCheck(pooled);
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
    for (const pooled of this.pool.splice(0)) {
      clearTimeout(pooled.idleTimer);
      pooled.ready.then(
        (p) => p.quit(),
        () => undefined,
      );
    }
  }

  /** The open connection with the least waiting; a new one while under the pool size and all are busy. */
  private pick(fresh: boolean): Pooled {
    let best: Pooled | undefined;
    for (const p of this.pool) if (!best || p.load < best.load) best = p;
    if (best && !fresh && (best.load === 0 || this.pool.length >= this.poolSize)) {
      clearTimeout(best.idleTimer);
      return best;
    }
    return this.create();
  }

  private create(): Pooled {
    const connection = new SMTPConnection(this.options);
    const pooled = { load: 0 } as Pooled;
    const leave = () => {
      const i = this.pool.indexOf(pooled);
      if (i >= 0) this.pool.splice(i, 1);
      clearTimeout(pooled.idleTimer);
    };
    pooled.ready = connect(connection, this.options).then(
      () => {
        const pipeline = takeOver(connection, this.socketTimeoutMs);
        pooled.pipeline = pipeline;
        pipeline.onClose(leave);
        if (this.closed) pipeline.quit();
        return pipeline;
      },
      (err: unknown) => {
        leave();
        connection.close();
        throw err;
      },
    );
    this.pool.push(pooled);
    return pooled;
  }

  /** A connection with nothing to send closes after IDLE_MS unless it is picked again. */
  private idleCheck(pooled: Pooled): void {
    if (pooled.load > 0 || !pooled.pipeline) return;
    clearTimeout(pooled.idleTimer);
    pooled.idleTimer = setTimeout(() => {
      if (pooled.load > 0) return;
      const i = this.pool.indexOf(pooled);
      if (i >= 0) this.pool.splice(i, 1);
      pooled.pipeline?.quit();
    }, IDLE_MS);
    pooled.idleTimer.unref();
  }
}

function poolClosed(): SmtpError {
  return Object.assign(new Error('the SMTP pool is closed'), { code: 'ECONNECTION' });
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
