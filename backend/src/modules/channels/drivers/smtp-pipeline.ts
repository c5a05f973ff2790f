import type { Socket } from 'node:net';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * An SMTP error in the shape nodemailer gives its own (code, responseCode,
 * response, command), so one classifier reads both.
 */
export interface SmtpFailure extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** The command whose reply failed; `MESSAGE` is after the content went out (a retry may duplicate it). */
export type SmtpStage = 'CONN' | 'MAIL FROM' | 'RCPT TO' | 'DATA' | 'MESSAGE' | 'RSET';

export function smtpFailure(message: string, code: string, command: SmtpStage, response?: string): SmtpFailure {
  const err = new Error(message) as SmtpFailure;
  err.code = code;
  err.command = command;
  if (response !== undefined) {
    err.response = response;
    err.responseCode = Number(response.slice(0, 3));
  }
  return err;
}

interface Transaction {
  from: string;
  to: string;
  /** The DATA payload, dot-stuffed, ending with CRLF. */
  content: Buffer;
  resolve: () => void;
  reject: (err: SmtpFailure) => void;
  mailAccepted: boolean;
  failure: SmtpFailure | null;
  done: boolean;
}

/** A reply this connection waits for, in the order the commands went out. */
type Expectation =
  | { kind: 'MAIL FROM' | 'RCPT TO' | 'DATA'; tx: Transaction }
  | { kind: 'MESSAGE'; tx: Transaction; emptied: boolean }
  | { kind: 'RSET' };

const DOT = Buffer.from('.\r\n');
const CRLF_DOT = Buffer.from('\r\n.');

/**
 * The DATA payload as it goes on the wire (RFC 5321 4.5.2): every line that
 * starts with "." gets one more. The payload already has CRLF line breaks
 * and ends with one.
 */
export function dotStuff(raw: Buffer): Buffer {
  if (raw[0] !== 0x2e && raw.indexOf(CRLF_DOT) < 0) return raw;
  const text = raw.toString('latin1');
  return Buffer.from((text.startsWith('.') ? '.' : '') + text.replaceAll('\r\n.', '\r\n..'), 'latin1');
}

/** A mailbox for MAIL FROM / RCPT TO: one address, nothing that could end the command line. */
function pathOf(address: string): string {
  if (/[\r\n<>\s]/.test(address)) throw new Error(`not an SMTP address: ${JSON.stringify(address)}`);
  return `<${address}>`;
}

/** What nodemailer's SMTPConnection keeps privately and this module takes over after the session starts. */
interface NodemailerInternals {
  _socket?: Socket | false;
  _supportedExtensions?: string[];
  _onSocketData?: (...args: unknown[]) => void;
  _onSocketTimeout?: (...args: unknown[]) => void;
  _onSocketClose?: (...args: unknown[]) => void;
  _onSocketEnd?: (...args: unknown[]) => void;
  _onSocketError?: (...args: unknown[]) => void;
  _onConnectionSocketError?: (...args: unknown[]) => void;
  _clearPhase?: () => void;
  _responseActions?: unknown[];
}

/**
 * Takes the socket of a nodemailer SMTPConnection that has connected, done
 * STARTTLS and logged in: nodemailer stops listening to it, and the
 * returned pipeline sends the messages. nodemailer keeps what it does well
 * (TLS, STARTTLS, every AUTH mechanism, proxies, EHLO); this module only
 * sends transactions. Relies on nodemailer's private fields (checked here,
 * and by the driver's tests on every upgrade of nodemailer).
 */
export function takeOver(connection: SMTPConnection, socketTimeoutMs: number): SmtpPipeline {
  const c = connection as unknown as NodemailerInternals;
  const socket = c._socket;
  const listeners = [
    ['data', c._onSocketData],
    ['timeout', c._onSocketTimeout],
    ['close', c._onSocketClose],
    ['end', c._onSocketEnd],
    ['error', c._onSocketError],
    ['error', c._onConnectionSocketError],
  ] as const;
  if (!socket || !Array.isArray(c._supportedExtensions) || listeners.some(([, fn]) => typeof fn !== 'function'))
    throw smtpFailure('nodemailer changed: its SMTP connection cannot be taken over', 'EPROTOCOL', 'CONN');
  if ((c._responseActions?.length ?? 0) > 0)
    throw smtpFailure('the SMTP connection is still waiting for a reply', 'EPROTOCOL', 'CONN');
  c._clearPhase?.();
  socket.setTimeout(0);
  for (const [event, fn] of listeners) socket.removeListener(event, fn as (...args: unknown[]) => void);
  return new SmtpPipeline(socket, c._supportedExtensions.includes('PIPELINING'), socketTimeoutMs);
}

/**
 * One SMTP connection sending messages one after the other. With PIPELINING
 * (RFC 2920) the next message's MAIL FROM, RCPT TO and DATA go out in the
 * same write as the previous message's content and end of data, so each
 * message costs one write and one round trip. Without it, one command per
 * round trip. Replies come back in order and are matched to what is waited
 * for; a refused message does not stop the next (RSET where the refused
 * transaction had started). A 421, a closed socket or a timeout fails every
 * message on the connection, with the stage each one had reached.
 */
export class SmtpPipeline {
  /** Messages whose envelope has not gone out yet. */
  private readonly queue: Transaction[] = [];
  private readonly expected: Expectation[] = [];
  /** A message's MAIL FROM is out and its DATA not yet answered: the next envelope waits. */
  private envelopeInFlight = false;
  private needsReset = false;
  private outstanding = 0;
  private partial = '';
  private lines: string[] = [];
  private closed = false;
  private onGone: (() => void) | null = null;
  /** Messages this connection carried to the end (a reused link may have been dropped by the server). */
  delivered = 0;

  constructor(
    private readonly socket: Socket,
    private readonly pipelining: boolean,
    socketTimeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(socketTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('timeout', () => {
      if (this.expected.length > 0) this.fail(smtpFailure('Timeout waiting for the SMTP server', 'ETIMEDOUT', 'CONN'));
    });
    socket.on('error', (err: Error) => this.fail(smtpFailure(err.message, 'ESOCKET', 'CONN')));
    socket.on('close', () => this.fail(smtpFailure('Connection closed unexpectedly', 'ECONNECTION', 'CONN')));
  }

  /** Messages handed to this connection that have no answer yet. */
  get pending(): number {
    return this.outstanding;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Called once when the connection can no longer send (closed by either side, or failed). */
  onClose(fn: () => void): void {
    this.onGone = fn;
  }

  /** Sends one message; resolves when the server accepted it (2xx after the end of data). */
  send(from: string, to: string, content: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(smtpFailure('The SMTP connection is closed', 'ECONNECTION', 'CONN'));
      let fromPath: string;
      let toPath: string;
      try {
        fromPath = pathOf(from);
        toPath = pathOf(to);
      } catch (err) {
        return reject(smtpFailure((err as Error).message, 'EENVELOPE', 'MAIL FROM'));
      }
      this.outstanding++;
      this.queue.push({
        from: fromPath,
        to: toPath,
        content,
        resolve,
        reject,
        mailAccepted: false,
        failure: null,
        done: false,
      });
      this.startNext();
    });
  }

  /** QUIT, then close; whatever is still waiting fails as a closed connection. */
  quit(): void {
    if (this.closed) return;
    this.socket.end('QUIT\r\n');
    const timer = setTimeout(() => this.socket.destroy(), 1_000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Starts the next queued message when the protocol allows a new envelope now. */
  private startNext(): void {
    if (this.closed || (this.queue.length === 0 && !this.needsReset)) return;
    // Without PIPELINING every command waits for the reply before it.
    if (this.pipelining ? this.envelopeInFlight : this.expected.length > 0) return;
    this.write(this.nextEnvelope());
  }

  /**
   * The commands that start the next queued message (after an RSET when the
   * last transaction stopped half-way), or '' when none is queued.
   */
  private nextEnvelope(): string {
    let out = '';
    if (this.needsReset) {
      this.needsReset = false;
      this.expected.push({ kind: 'RSET' });
      out += 'RSET\r\n';
      if (!this.pipelining) return out; // the envelope waits for RSET's reply
    }
    const tx = this.queue.shift();
    if (!tx) return out;
    this.envelopeInFlight = true;
    this.expected.push({ kind: 'MAIL FROM', tx });
    out += `MAIL FROM:${tx.from}\r\n`;
    if (this.pipelining) {
      this.expected.push({ kind: 'RCPT TO', tx }, { kind: 'DATA', tx });
      out += `RCPT TO:${tx.to}\r\nDATA\r\n`;
    }
    return out;
  }

  private read(chunk: Buffer): void {
    const text = this.partial + chunk.toString('latin1');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const line = text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
      start = nl + 1;
      // A reply ends at a line whose fourth character is not "-" (RFC 5321 4.2.1).
      if (line.length > 3 && line.charCodeAt(3) === 45) {
        this.lines.push(line);
        continue;
      }
      let reply = line;
      if (this.lines.length > 0) {
        this.lines.push(line);
        reply = this.lines.join('\n');
        this.lines = [];
      }
      this.reply(reply);
      if (this.closed) return;
    }
    this.partial = text.slice(start);
    if (this.partial.length > 64 * 1024) this.fail(smtpFailure('Reply line too long', 'EPROTOCOL', 'CONN'));
  }

  private reply(reply: string): void {
    const code = Number(reply.slice(0, 3));
    const e = this.expected.shift();
    if (!e) return this.fail(smtpFailure(`Unexpected reply: ${reply}`, 'EPROTOCOL', 'CONN', reply));
    if (code === 421) {
      // The server is closing the link: what waited for this reply fails at its stage, the rest as not sent.
      if (e.kind !== 'RSET') this.settle(e.tx, smtpFailure(reply, 'ECONNECTION', e.kind, reply));
      return this.fail(smtpFailure(`The server closed the connection: ${reply}`, 'ECONNECTION', 'CONN', reply));
    }
    const ok = code >= 200 && code < 300;
    switch (e.kind) {
      case 'RSET':
        if (!ok) return this.fail(smtpFailure(`RSET refused: ${reply}`, 'EPROTOCOL', 'RSET', reply));
        return this.startNext();
      case 'MAIL FROM':
        if (ok) e.tx.mailAccepted = true;
        else e.tx.failure = smtpFailure(reply, 'EENVELOPE', 'MAIL FROM', reply);
        if (this.pipelining) return;
        if (!ok) return this.abandon(e.tx);
        this.expected.push({ kind: 'RCPT TO', tx: e.tx });
        return this.write(`RCPT TO:${e.tx.to}\r\n`);
      case 'RCPT TO':
        if (!ok) e.tx.failure ??= smtpFailure(reply, 'EENVELOPE', 'RCPT TO', reply);
        if (this.pipelining) return;
        if (!ok) return this.abandon(e.tx);
        this.expected.push({ kind: 'DATA', tx: e.tx });
        return this.write('DATA\r\n');
      case 'DATA':
        if (code !== 354) {
          e.tx.failure ??= smtpFailure(reply, 'EENVELOPE', 'DATA', reply);
          return this.abandon(e.tx);
        }
        if (e.tx.failure) {
          // 354 although the recipient was refused: end an empty message at once (RFC 2920 3.1).
          this.expected.push({ kind: 'MESSAGE', tx: e.tx, emptied: true });
          return this.write('.\r\n');
        }
        this.expected.push({ kind: 'MESSAGE', tx: e.tx, emptied: false });
        this.envelopeInFlight = false;
        return this.writeContent(e.tx.content);
      case 'MESSAGE':
        if (e.emptied) {
          this.envelopeInFlight = false;
          this.settle(e.tx, e.tx.failure);
        } else if (ok) {
          this.delivered++;
          this.settle(e.tx, null);
        } else this.settle(e.tx, smtpFailure(reply, 'EMESSAGE', 'MESSAGE', reply));
        return this.startNext();
    }
  }

  /** The content and its end of data, and with PIPELINING the next message's envelope: one write. */
  private writeContent(content: Buffer): void {
    const next = this.pipelining ? this.nextEnvelope() : '';
    this.socket.write(Buffer.concat([content, next ? Buffer.from(`.\r\n${next}`, 'latin1') : DOT]));
  }

  /** A message refused before its content: it fails; an RSET clears what the server had accepted of it. */
  private abandon(tx: Transaction): void {
    this.envelopeInFlight = false;
    if (tx.mailAccepted) this.needsReset = true;
    this.settle(tx, tx.failure);
    this.startNext();
  }

  private settle(tx: Transaction, failure: SmtpFailure | null): void {
    if (tx.done) return;
    tx.done = true;
    this.outstanding--;
    if (failure) tx.reject(failure);
    else tx.resolve();
  }

  private write(data: string): void {
    if (data) this.socket.write(data, 'latin1');
  }

  /** The connection is over: every message on it fails, with the stage it had reached. */
  private fail(err: SmtpFailure): void {
    if (this.closed) return;
    this.closed = true;
    const failed = (stage: SmtpStage) =>
      Object.assign(smtpFailure(err.message, err.code ?? 'ECONNECTION', stage), {
        response: err.response,
        responseCode: err.responseCode,
      });
    for (const e of this.expected.splice(0)) {
      if (e.kind === 'RSET') continue;
      this.settle(e.tx, e.tx.failure ?? failed(e.kind === 'MESSAGE' && e.emptied ? 'DATA' : e.kind));
    }
    for (const tx of this.queue.splice(0)) this.settle(tx, failed('CONN'));
    this.socket.destroy();
    this.onGone?.();
  }
}
