// A lean SMTP sink on loopback for the benches: accepts and discards, on plain net sockets. It speaks
// enough SMTP for a client that pipelines (RFC 2920): EHLO (PIPELINING, 8BITMIME, SIZE), HELO, MAIL,
// RCPT, DATA, RSET, NOOP, QUIT, with the replies of one read written in one write. A message counts as
// accepted at its end of data (CRLF "." CRLF, so a dot-stuffed line inside the content does not end it),
// when the sink answers 250. Out-of-order commands get 503, unknown ones 502, like a real server.
import net from 'node:net';

const END = Buffer.from('\r\n.\r\n');
const CRLF = Buffer.from('\r\n');
const EHLO = '250-sink.local\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n';

export async function startLeanSink() {
  let accepted = 0;
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let data = false;
    let line = '';
    // In DATA: the last (up to 4) bytes already read, so an end of data split across reads is found.
    let tail = CRLF;
    let mail = false;
    let rcpts = 0;
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.write('220 sink.local ESMTP\r\n');
    socket.on('data', (chunk) => {
      let out = '';
      let i = 0;
      let quit = false;
      while (i < chunk.length && !quit) {
        if (data) {
          let end = -1;
          const edge = Buffer.concat([tail, chunk.subarray(i, i + 4)]).indexOf(END);
          if (edge >= 0) end = i + edge + END.length - tail.length;
          else {
            const at = chunk.indexOf(END, i);
            if (at >= 0) end = at + END.length;
          }
          if (end < 0) {
            const rest = chunk.subarray(i);
            tail = Buffer.from(
              rest.length >= 4 ? rest.subarray(rest.length - 4) : Buffer.concat([tail, rest]).subarray(-4),
            );
            break;
          }
          accepted++;
          out += '250 2.0.0 accepted\r\n';
          data = false;
          mail = false;
          rcpts = 0;
          i = end;
          continue;
        }
        const nl = chunk.indexOf(10, i);
        if (nl < 0) {
          line += chunk.toString('latin1', i);
          break;
        }
        const command = (line + chunk.toString('latin1', i, nl)).replace(/\r$/, '');
        line = '';
        i = nl + 1;
        const verb = command.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          mail = false;
          rcpts = 0;
          out += EHLO;
        } else if (verb === 'HELO') out += '250 sink.local\r\n';
        else if (verb === 'MAIL') {
          if (mail) out += '503 5.5.1 nested MAIL\r\n';
          else {
            mail = true;
            out += '250 2.1.0 ok\r\n';
          }
        } else if (verb === 'RCPT') {
          if (!mail) out += '503 5.5.1 MAIL first\r\n';
          else {
            rcpts++;
            out += '250 2.1.5 ok\r\n';
          }
        } else if (verb === 'DATA') {
          if (!rcpts) out += '503 5.5.1 RCPT first\r\n';
          else {
            data = true;
            tail = CRLF; // "." CRLF right after DATA ends an empty message
            out += '354 end with <CRLF>.<CRLF>\r\n';
          }
        } else if (verb === 'RSET') {
          mail = false;
          rcpts = 0;
          out += '250 2.0.0 ok\r\n';
        } else if (verb === 'NOOP') out += '250 2.0.0 ok\r\n';
        else if (verb === 'QUIT') {
          out += '221 2.0.0 bye\r\n';
          quit = true;
        } else out += '502 5.5.2 not implemented\r\n';
      }
      if (quit) socket.end(out);
      else if (out) socket.write(out);
    });
  });
  server.on('error', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.address().port}`,
    accepted: () => accepted,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}
