import net, { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import type { OutgoingEmail, SendOutcome } from '../channel.types';
import { dotStuff } from './smtp-pipeline';
import { SmtpEmailSender } from './smtp-email.sender';

const meta = { organizationId: 'o', campaignId: 'c', recipientId: 'r' };

function message(i: number, extra: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: `lead-${i}@example.com`,
    from: 'Meridian <news@meridian.example>',
    replyTo: null,
    subject: `Hello ${i}`,
    html: `<p>Hi ${i}</p>`,
    text: `Hi ${i}\n.a line that starts with a dot\n.\nand one that is only a dot`,
    headers: {},
    messageId: `<m-${i}@meridian.example>`,
    ...extra,
  };
}

/**
 * A scripted SMTP server on raw sockets, to see what the client writes and
 * when: greeting and EHLO (with or without PIPELINING) for nodemailer's
 * session set-up, then each command line or message body handed to `answer`,
 * which replies (or not). It records, per connection, every command that
 * arrived while the reply to an earlier one was still owed.
 */
class ScriptedServer {
  readonly early: string[] = [];
  readonly commands: string[] = [];
  readonly bodies: string[] = [];
  private server?: net.Server;
  readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly opts: {
      pipelining: boolean;
      /** The reply to a command or to the end of a body (`.`); undefined: never answer. */
      answer: (command: string, socket: net.Socket) => string | undefined;
      /** Reply this many ms after the command (to catch a client that does not wait). */
      delayMs?: number;
      /** Write replies one byte at a time. */
      trickle?: boolean;
    },
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffer = '';
      let inData = false;
      let body = '';
      let owed = 0;
      let session = false;
      const send = (reply: string) => {
        const out = () => {
          owed--;
          if (socket.destroyed) return;
          if (!this.opts.trickle) return socket.write(reply);
          for (const ch of reply) socket.write(ch);
        };
        if (this.opts.delayMs && session) setTimeout(out, this.opts.delayMs);
        else out();
      };
      socket.write('220 scripted ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('latin1');
        for (;;) {
          const nl = buffer.indexOf('\r\n');
          if (nl < 0) return;
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 2);
          if (inData) {
            if (line !== '.') {
              body += `${line.startsWith('.') ? line.slice(1) : line}\r\n`;
              continue;
            }
            inData = false;
            this.bodies.push(body);
            body = '';
          }
          const command = line;
          if (owed > 0 && session) this.early.push(command);
          if (/^EHLO /i.test(command)) {
            owed++;
            send(
              `250-scripted\r\n${this.opts.pipelining ? '250-PIPELINING\r\n' : ''}250-8BITMIME\r\n250 SIZE 1000000\r\n`,
            );
            session = true;
            continue;
          }
          this.commands.push(command);
          const reply = this.opts.answer(command, socket);
          if (/^DATA$/i.test(command) && reply?.startsWith('354')) inData = true;
          if (reply === undefined) continue;
          owed++;
          send(reply);
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Ordinary answers: everything accepted. */
function accepting(command: string): string | undefined {
  if (/^MAIL FROM:/i.test(command)) return '250 2.1.0 ok\r\n';
  if (/^RCPT TO:/i.test(command)) return '250 2.1.5 ok\r\n';
  if (/^DATA$/i.test(command)) return '354 go ahead\r\n';
  if (command === '.') return '250 2.0.0 queued\r\n';
  if (/^RSET$/i.test(command)) return '250 2.0.0 ok\r\n';
  if (/^QUIT$/i.test(command)) return '221 bye\r\n';
  return '502 5.5.2 what\r\n';
}

const sendAll = (sender: SmtpEmailSender, msgs: OutgoingEmail[]) => Promise.all(msgs.map((m) => sender.send(m, meta)));

describe('dotStuff', () => {
  it('doubles the dot at the start of every line, and leaves other content as it is (same buffer)', () => {
    const plain = Buffer.from('a\r\nb.c\r\n');
    expect(dotStuff(plain)).toBe(plain);
    expect(dotStuff(Buffer.from('.x\r\na\r\n.\r\n..y\r\n')).toString()).toBe('..x\r\na\r\n..\r\n...y\r\n');
  });
});

describe('SMTP driver: pipelined sending (smtp-server, PIPELINING advertised)', () => {
  let sink: SmtpSink;
  let sender: SmtpEmailSender;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
  });
  afterAll(async () => {
    await sink.stop();
  });
  beforeEach(() => {
    sink.reset();
    sender = new SmtpEmailSender({ url: sink.url, poolSize: 2, socketTimeoutMs: 5_000 });
  });
  afterEach(() => sender.onModuleDestroy());

  it('delivers 300 messages sent at once over 2 connections, each once and intact (dot-stuffed lines come back)', async () => {
    const msgs = Array.from({ length: 300 }, (_, i) => message(i));
    const outcomes = await sendAll(sender, msgs);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sink.accepted).toBe(300);
    const ids = sink.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(300);
    const m7 = sink.byMessageId('<m-7@meridian.example>');
    expect(m7?.envelopeTo).toEqual(['lead-7@example.com']);
    expect(m7?.envelopeFrom).toBe('news@meridian.example');
    expect(m7?.raw).toContain('\r\n.a line that starts with a dot\r\n.\r\nand one that is only a dot');
  });

  it('a refused recipient in the middle fails only that message; the ones pipelined after it go through', async () => {
    sink.rejectRecipients('lead-5@example.com', 'lead-6@example.com');
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 40 }, (_, i) => message(i)),
    );
    const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [{ i, o }]));
    expect(failed.map((f) => f.i)).toEqual([5, 6]);
    expect(failed[0].o).toMatchObject({ kind: 'permanent', bounce: true });
    expect(sink.accepted).toBe(38);
  });

  it('a deferred MAIL FROM (451) fails that message as transient; the rest are delivered', async () => {
    const first = await sender.send(message(0), meta);
    expect(first.ok).toBe(true);
    sink.deferNext(1, 451, 'plain');
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 20 }, (_, i) => message(i + 1)),
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([expect.objectContaining({ kind: 'transient' })]);
    expect(sink.accepted).toBe(20);
  });

  it('a 421 closing a used connection: the messages not yet sent on it move to another one, none twice', async () => {
    expect((await sender.send(message(0), meta)).ok).toBe(true);
    sink.deferNext(1, 421, 'plain');
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 30 }, (_, i) => message(i + 1)),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sink.accepted).toBe(31);
    expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(31);
  });
});

describe('SMTP driver: TLS sessions opened by nodemailer, then pipelined (smtp-server)', () => {
  const USER = 'relay-user';
  const PASS = 'relay-pass';

  /** smtp-server with its built-in test certificate; records whether each message came over TLS and who logged in. */
  async function relay(secure: boolean) {
    const seen: { secure: boolean; user: unknown }[] = [];
    const server = new SMTPServer({
      logger: false,
      secure,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, cb) =>
        auth.username === USER && auth.password === PASS
          ? cb(null, { user: auth.username })
          : cb(Object.assign(new Error('5.7.8 bad credentials'), { responseCode: 535 })),
      onData: (stream, session, cb) => {
        stream.resume();
        stream.on('end', () => {
          seen.push({ secure: session.secure, user: session.user });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    return { server, seen, port };
  }

  it.each([
    ['STARTTLS on a plain port (requireTLS)', false, 'smtp', '&requireTLS=true'],
    ['TLS from the first byte (smtps)', true, 'smtps', ''],
  ])('%s: every message goes over the encrypted, logged-in session', async (_name, secure, scheme, extra) => {
    const { server, seen, port } = await relay(secure);
    const sender = new SmtpEmailSender({
      url: `${scheme}://${USER}:${PASS}@127.0.0.1:${port}/?tls.rejectUnauthorized=false${extra}`,
      poolSize: 2,
    });
    try {
      const outcomes = await sendAll(
        sender,
        Array.from({ length: 40 }, (_, i) => message(i)),
      );
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(seen).toHaveLength(40);
      expect(seen.every((m) => m.secure && m.user === USER)).toBe(true);
    } finally {
      sender.onModuleDestroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('SMTP driver: what goes on the wire (scripted server)', () => {
  const servers: ScriptedServer[] = [];
  const senders: SmtpEmailSender[] = [];
  const start = async (opts: ConstructorParameters<typeof ScriptedServer>[0], socketTimeoutMs = 5_000) => {
    const server = await new ScriptedServer(opts).start();
    servers.push(server);
    const sender = new SmtpEmailSender({ url: server.url, poolSize: 1, socketTimeoutMs });
    senders.push(sender);
    return { server, sender };
  };
  afterEach(async () => {
    for (const s of senders.splice(0)) s.onModuleDestroy();
    for (const s of servers.splice(0)) await s.stop();
  });

  it('without PIPELINING, sends one command at a time and waits for each reply, also for messages handed over mid-way', async () => {
    const { server, sender } = await start({ pipelining: false, answer: accepting, delayMs: 15 });
    const pending: Promise<SendOutcome>[] = [];
    // Some at once, some while earlier ones wait for a reply at each stage.
    for (let i = 0; i < 12; i++) {
      pending.push(sender.send(message(i), meta));
      if (i >= 3) await new Promise((r) => setTimeout(r, 7));
    }
    const outcomes = await Promise.all(pending);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.bodies).toHaveLength(12);
    expect(server.early).toEqual([]);
  });

  it('with PIPELINING, the next envelope follows the end of data without waiting for its reply', async () => {
    const { server, sender } = await start({ pipelining: true, answer: accepting, delayMs: 15 });
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 5 }, (_, i) => message(i)),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.bodies).toHaveLength(5);
    // RCPT and DATA went out before MAIL's reply; the next MAIL before the end of data's reply.
    expect(server.early.filter((c) => c.startsWith('MAIL FROM')).length).toBeGreaterThanOrEqual(4);
    expect(server.early.filter((c) => c === 'DATA')).toHaveLength(5);
  });

  it('a refused recipient with the server still answering 354 ends an empty message at once; the next one follows', async () => {
    const { server, sender } = await start({
      pipelining: true,
      answer: (c) => (c === 'RCPT TO:<lead-1@example.com>' ? '550 5.1.1 no such user\r\n' : accepting(c)),
    });
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 3 }, (_, i) => message(i)),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ kind: 'permanent', bounce: true });
    expect(server.bodies.map((b) => b.length > 0)).toEqual([true, false, true]);
  });

  it('a refused DATA after an accepted MAIL FROM: RSET before the next message, which the server then accepts', async () => {
    let open = false;
    let refused = false;
    const { server, sender } = await start({
      pipelining: true,
      answer: (c) => {
        // Like a real server: a second MAIL FROM inside an open transaction is refused.
        if (c.startsWith('MAIL FROM')) {
          if (open) return '503 5.5.1 nested MAIL command\r\n';
          open = true;
        }
        if (c === 'RSET' || c === '.') open = false;
        if (c === 'RCPT TO:<lead-1@example.com>') {
          refused = true;
          return '550 5.1.1 no such user\r\n';
        }
        if (c === 'DATA' && refused) {
          refused = false;
          return '554 5.5.1 no valid recipients\r\n';
        }
        return accepting(c);
      },
    });
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 3 }, (_, i) => message(i)),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ kind: 'permanent', bounce: true });
    const after = server.commands.slice(server.commands.indexOf('RCPT TO:<lead-1@example.com>'));
    expect(after.slice(1, 4)).toEqual(['DATA', 'RSET', 'MAIL FROM:<news@meridian.example>']);
    expect(server.bodies).toHaveLength(2);
  });

  it('reads multi-line replies and replies split into single bytes', async () => {
    const { sender } = await start({
      pipelining: true,
      trickle: true,
      answer: (c) => (c === '.' ? '250-2.0.0 queued as A1\r\n250-and more\r\n250 done\r\n' : accepting(c)),
    });
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 4 }, (_, i) => message(i)),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  it('a content refused after the end of data (554) fails that message as permanent, not a bounce', async () => {
    let n = 0;
    const { sender } = await start({
      pipelining: true,
      answer: (c) => (c === '.' && n++ === 1 ? '554 5.6.0 content rejected\r\n' : accepting(c)),
    });
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 3 }, (_, i) => message(i)),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ kind: 'permanent', bounce: false });
  });

  it('a server that stops answering after the content: transient after the socket timeout, not sent again at once', async () => {
    const { server, sender } = await start(
      { pipelining: true, answer: (c) => (c === '.' ? undefined : accepting(c)) },
      300,
    );
    const outcome: SendOutcome = await sender.send(message(0), meta);
    expect(outcome).toMatchObject({ ok: false, kind: 'transient' });
    expect((outcome as { error: string }).error).toMatch(/ETIMEDOUT/);
    expect(server.bodies).toHaveLength(1);
  });

  it('a connection dropped after the content: that message fails (it may have arrived), the ones queued behind it are sent on a new connection', async () => {
    let dropped = false;
    const { server, sender } = await start({
      pipelining: true,
      answer: (c, socket) => {
        if (c === '.' && server.bodies.length === 2 && !dropped) {
          dropped = true;
          socket.destroy();
          return undefined;
        }
        return accepting(c);
      },
    });
    const outcomes = await sendAll(
      sender,
      Array.from({ length: 6 }, (_, i) => message(i)),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true, true, true]);
    expect(outcomes[1]).toMatchObject({ kind: 'transient' });
    expect(server.bodies).toHaveLength(6);
  });
});
