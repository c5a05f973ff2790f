import { OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { OutgoingEmail, SendMeta, SendOutcome } from '../channel.types';
import { EmailSender } from '../email-sender';
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

/** SMTP_URL set: a pooled nodemailer transport, SMTP_POOL_SIZE connections kept open. */
export class SmtpEmailSender extends EmailSender implements OnModuleDestroy {
  readonly driver = 'smtp' as const;
  private readonly transport: Transporter;
  private readonly secrets: string[];

  constructor(options: SmtpSenderOptions) {
    super();
    this.transport = createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.poolSize,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
    this.secrets = secretsOfUrl(options.url);
  }

  async send(message: OutgoingEmail, _meta: SendMeta): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({
        from: message.from,
        to: message.to,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers: message.headers,
        messageId: message.messageId,
      });
      return { ok: true, providerMessageId: message.messageId };
    } catch (err) {
      return classifySmtpError(err as SmtpError, this.secrets);
    }
  }

  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (err) {
      throw new Error(redactSecrets(describe(err as SmtpError), this.secrets));
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
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
