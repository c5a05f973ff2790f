import { classifyGraphError, parseRetryAfter, templateMessageBody } from './cloud-api-whatsapp.sender';
import { classifySmtpError } from './smtp-email.sender';

const smtp = (
  responseCode: number | undefined,
  response: string | undefined,
  command = 'RCPT TO',
  code = 'EENVELOPE',
) => classifySmtpError(Object.assign(new Error('failed'), { responseCode, response, command, code }));

describe('classifySmtpError', () => {
  it.each([
    [550, '550 5.1.1 <a@x.test>: User unknown'],
    [551, '551 User not local'],
    [553, '553 5.1.3 Mailbox name not allowed'],
    [554, '554 5.1.1 Mailbox does not exist'],
  ])('%i at RCPT TO naming the mailbox is a permanent bounce', (code, text) => {
    expect(smtp(code, text)).toMatchObject({ kind: 'permanent', bounce: true });
  });

  it('a 5xx after DATA or at MAIL FROM is permanent but not a bounce', () => {
    expect(smtp(554, '554 5.7.1 Message rejected as spam', 'DATA', 'EMESSAGE')).toMatchObject({
      kind: 'permanent',
      bounce: false,
    });
    expect(smtp(550, '550 5.7.1 Sender rejected', 'MAIL FROM')).toMatchObject({ kind: 'permanent', bounce: false });
    expect(smtp(552, '552 5.2.2 Mailbox full')).toMatchObject({ kind: 'permanent', bounce: false });
  });

  it('rate-limit wording or 4.7.x is throttled; other 4xx are transient', () => {
    expect(smtp(421, '421 4.7.0 Too many connections, slow down', 'MAIL FROM')).toMatchObject({ kind: 'throttled' });
    expect(smtp(451, '451 Rate limit exceeded', 'MAIL FROM')).toMatchObject({ kind: 'throttled' });
    expect(smtp(450, '450 4.7.1 Client host rejected: try again later')).toMatchObject({ kind: 'throttled' });
    expect(smtp(450, '450 4.2.1 Mailbox busy')).toMatchObject({ kind: 'transient' });
    expect(smtp(452, '452 4.3.1 Insufficient system storage')).toMatchObject({ kind: 'transient' });
    expect(smtp(421, '421 4.4.2 Service not available, closing channel', 'CONN')).toMatchObject({ kind: 'transient' });
  });

  it('connection failures and bad credentials are transient, never bounces', () => {
    expect(smtp(undefined, undefined, 'CONN', 'ECONNECTION')).toMatchObject({ kind: 'transient' });
    expect(smtp(undefined, undefined, 'CONN', 'ETIMEDOUT')).toMatchObject({ kind: 'transient' });
    expect(smtp(535, '535 5.7.8 Authentication failed', 'AUTH PLAIN', 'EAUTH')).toMatchObject({ kind: 'transient' });
  });

  it('removes secrets from the error text', () => {
    const outcome = classifySmtpError(
      Object.assign(new Error('x'), { code: 'ECONNECTION', message: 'connect to smtp://u:hunter22@h failed' }),
      ['hunter22'],
    );
    expect(outcome.error).not.toContain('hunter22');
  });
});

describe('classifyGraphError', () => {
  it.each([4, 80007, 130429, 131056])('code %i is throttled', (code) => {
    expect(classifyGraphError(400, { code, message: 'limit' }, undefined)).toMatchObject({ kind: 'throttled' });
  });

  it('HTTP 429 is throttled and carries Retry-After', () => {
    expect(classifyGraphError(429, undefined, 5000)).toEqual({
      ok: false,
      kind: 'throttled',
      retryAfterMs: 5000,
      error: 'HTTP 429',
    });
  });

  it.each([1, 2, 131000])('code %i is transient', (code) => {
    expect(classifyGraphError(400, { code }, undefined)).toMatchObject({ kind: 'transient' });
  });

  it('5xx is transient; 131026, 132000, 132001, 100, 190 are permanent', () => {
    expect(classifyGraphError(503, undefined, undefined)).toMatchObject({ kind: 'transient' });
    for (const code of [131026, 132000, 132001, 100, 190])
      expect(classifyGraphError(400, { code, message: 'no', fbtrace_id: 'Abc' }, undefined)).toMatchObject({
        kind: 'permanent',
        bounce: false,
      });
  });

  it('names the code, subcode, message and fbtrace_id', () => {
    const { error } = classifyGraphError(
      400,
      { code: 100, error_subcode: 2494010, message: '(#100) Invalid parameter', fbtrace_id: 'AbC123' },
      undefined,
    );
    expect(error).toBe('HTTP 400: code 100/2494010: (#100) Invalid parameter: fbtrace_id AbC123');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('templateMessageBody', () => {
  it('strips the + and everything but digits from the number', () => {
    const body = templateMessageBody({
      to: '+49 151 1234-5678',
      templateName: 't',
      language: 'de',
      bodyParameters: ['x'],
      callbackData: 'r1',
    });
    expect(body.to).toBe('4915112345678');
    expect(body.biz_opaque_callback_data).toBe('r1');
  });
});
