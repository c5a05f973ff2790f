import { randomUUID } from 'node:crypto';
import { isHttpUrl, TrackingTokens, TrackingUrls } from './tracking-tokens';

const tokens = new TrackingTokens('a-test-secret-that-is-long-enough');

describe('TrackingTokens', () => {
  it('round-trips a recipient id through a short base64url token', () => {
    const id = randomUUID();
    const token = tokens.sign(id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.verify(token)).toBe(id);
    expect(tokens.sign(id)).toBe(token);
  });

  it('rejects a tampered token, a token of another secret and garbage', () => {
    const token = tokens.sign(randomUUID());
    const flipped = (token[5] === 'A' ? 'B' : 'A') + '';
    expect(tokens.verify(token.slice(0, 5) + flipped + token.slice(6))).toBeNull();
    expect(tokens.verify(token.slice(0, 42) + (token[42] === 'A' ? 'Q' : 'A'))).toBeNull();
    expect(new TrackingTokens('another-secret-entirely-different').verify(token)).toBeNull();
    expect(tokens.verify('')).toBeNull();
    expect(tokens.verify('not a token')).toBeNull();
    expect(tokens.verify(token + 'x')).toBeNull();
  });

  it('signs a click target for one token only', () => {
    const token = tokens.sign(randomUUID());
    const other = tokens.sign(randomUUID());
    const sig = tokens.signClick(token, 'https://example.com/a');
    expect(tokens.verifyClick(token, 'https://example.com/a', sig)).toBe(true);
    expect(tokens.verifyClick(token, 'https://evil.example/a', sig)).toBe(false);
    expect(tokens.verifyClick(other, 'https://example.com/a', sig)).toBe(false);
    expect(tokens.verifyClick(token, 'https://example.com/a', sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A'))).toBe(
      false,
    );
    expect(tokens.verifyClick(token, 'https://example.com/a', '')).toBe(false);
  });

  it('accepts only http(s) redirect targets', () => {
    expect(isHttpUrl('https://example.com/x?y=1')).toBe(true);
    expect(isHttpUrl('http://example.com')).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      '//evil.example',
      'mailto:a@b.c',
      'nope',
    ])
      expect(isHttpUrl(bad)).toBe(false);
  });

  it('builds the public URLs and the Message-ID from the base URL', () => {
    const urls = new TrackingUrls(tokens, 'https://mail.example.com/');
    const id = randomUUID();
    const token = tokens.sign(id);
    expect(urls.openUrl(token)).toBe(`https://mail.example.com/t/o/${token}`);
    expect(urls.unsubscribeUrl(token)).toBe(`https://mail.example.com/u/${token}`);
    expect(urls.clickUrl(token, 'https://a.example/?q=1&r=2')).toBe(
      `https://mail.example.com/t/c/${token}?u=${encodeURIComponent('https://a.example/?q=1&r=2')}&s=${tokens.signClick(token, 'https://a.example/?q=1&r=2')}`,
    );
    expect(urls.messageId(id)).toBe(`<${id}@mail.example.com>`);
  });
});
