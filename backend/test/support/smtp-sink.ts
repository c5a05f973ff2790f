import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server (smtp-server) on a random loopback port that records
 * what it accepts. It can refuse chosen recipients with 550 (user unknown),
 * defer the next N messages with 421/451, or only count messages (benches).
 */
export interface SinkMessage {
  envelopeFrom: string;
  envelopeTo: string[];
  messageId: string | null;
  subject: string | null;
  size: number;
  /** Unfolded header lines, names lower-cased (only when not discarding). */
  headers: Record<string, string>;
  raw: string;
}

export interface SmtpSinkOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (over plain TCP: it is a test server). */
  auth?: { user: string; pass: string };
  /** Count messages without keeping them. */
  discard?: boolean;
}

interface Deferral {
  remaining: number;
  code: 421 | 451;
  text: string;
}

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  /** Messages accepted in all (also when discarding). */
  accepted = 0;
  private readonly rejected = new Set<string>();
  private deferral: Deferral | null = null;
  private server?: SMTPServer;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  get port(): number {
    return (this.server?.server.address() as AddressInfo).port;
  }

  /** smtp://[user:pass@]127.0.0.1:<port>, for SMTP_URL. */
  get url(): string {
    const auth = this.options.auth
      ? `${encodeURIComponent(this.options.auth.user)}:${encodeURIComponent(this.options.auth.pass)}@`
      : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  /** RCPT TO these addresses answers `550 5.1.1 <address>: user unknown`. */
  rejectRecipients(...addresses: string[]): void {
    for (const a of addresses) this.rejected.add(a.toLowerCase());
  }

  /**
   * The next `count` messages are deferred at MAIL FROM. `rate` uses the
   * wording and enhanced code (4.7.x) of a rate limit; otherwise a plain
   * temporary failure.
   */
  deferNext(count: number, code: 421 | 451 = 451, kind: 'rate' | 'plain' = 'rate'): void {
    const text =
      kind === 'rate' ? '4.7.0 Too many messages, rate limit exceeded, slow down' : '4.3.0 Temporary local problem';
    this.deferral = { remaining: count, code, text };
  }

  reset(): void {
    this.messages.length = 0;
    this.accepted = 0;
    this.rejected.clear();
    this.deferral = null;
  }

  async start(): Promise<this> {
    const { auth } = this.options;
    this.server = new SMTPServer({
      logger: false,
      secure: false,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      size: 25 * 1024 * 1024,
      onAuth: (login, _session, callback) => {
        if (auth && login.username === auth.user && login.password === auth.pass)
          callback(null, { user: login.username });
        else callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
      onMailFrom: (_address: SMTPServerAddress, _session: SMTPServerSession, callback) => {
        const d = this.deferral;
        if (d && d.remaining > 0) {
          d.remaining--;
          if (d.remaining === 0) this.deferral = null;
          callback(smtpError(d.code, d.text));
          return;
        }
        callback();
      },
      onRcptTo: (address: SMTPServerAddress, _session: SMTPServerSession, callback) => {
        if (this.rejected.has(address.address.toLowerCase()))
          callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
        else callback();
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (!this.options.discard) chunks.push(chunk);
        });
        stream.on('end', () => {
          this.accepted++;
          if (!this.options.discard)
            this.messages.push(this.record(session, Buffer.concat(chunks).toString('utf8'), size));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The recorded message with this Message-ID header. */
  byMessageId(messageId: string): SinkMessage | undefined {
    return this.messages.find((m) => m.messageId === messageId);
  }

  private record(session: SMTPServerSession, raw: string, size: number): SinkMessage {
    const headerBlock = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
    const headers: Record<string, string> = {};
    for (const line of headerBlock.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const envelope = session.envelope;
    return {
      envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
      envelopeTo: envelope.rcptTo.map((r) => r.address),
      messageId: headers['message-id'] ?? null,
      subject: headers.subject ?? null,
      size,
      headers,
      raw,
    };
  }
}
