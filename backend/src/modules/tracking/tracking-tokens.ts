import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 128 bits of MAC: unforgeable in practice, and keeps the links short. */
const MAC_BYTES = 16;

/**
 * Signed, stateless tracking tokens: a recipient id (16 bytes) followed by
 * its HMAC-SHA256, base64url. The key is derived by HKDF from the JWT secret
 * with a purpose label, so a tracking token never verifies as anything else
 * and the JWT secret itself never signs links. No expiry: an unsubscribe link
 * in a years-old email must still work.
 */
export class TrackingTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'meridian', 'tracking-tokens/v1', 32));
  }

  /** The token of a recipient (ledger row) id. */
  sign(recipientId: string): string {
    if (!UUID.test(recipientId)) throw new Error('recipient id must be a uuid');
    const id = Buffer.from(recipientId.replace(/-/g, ''), 'hex');
    return Buffer.concat([id, this.mac('r', id)]).toString('base64url');
  }

  /** The recipient id, or null for anything that is not a token we signed. */
  verify(token: string): string | null {
    if (typeof token !== 'string' || token.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    // Canonical encoding only: base64url's unused trailing bits must not make two spellings of one token.
    if (raw.length !== 16 + MAC_BYTES || raw.toString('base64url') !== token) return null;
    const id = raw.subarray(0, 16);
    if (!timingSafeEqual(raw.subarray(16), this.mac('r', id))) return null;
    const hex = id.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Signature of a click target for a token: the redirect follows only URLs we put in the email. */
  signClick(token: string, url: string): string {
    return this.mac('c', Buffer.from(`${token}\n${url}`, 'utf8')).toString('base64url');
  }

  verifyClick(token: string, url: string, signature: string): boolean {
    if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(signature)) return false;
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) return false;
    return timingSafeEqual(given, this.mac('c', Buffer.from(`${token}\n${url}`, 'utf8')));
  }

  private mac(purpose: string, data: Buffer): Buffer {
    return createHmac('sha256', this.key).update(purpose).update(':').update(data).digest().subarray(0, MAC_BYTES);
  }
}

/** Only these targets are ever redirected to (no javascript:, data:, file:...). */
export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Builds the public tracking URLs of one installation. */
export class TrackingUrls {
  readonly baseUrl: string;
  readonly host: string;

  constructor(
    readonly tokens: TrackingTokens,
    baseUrl: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.host = new URL(this.baseUrl).hostname;
  }

  openUrl(token: string): string {
    return `${this.baseUrl}/t/o/${token}`;
  }

  clickUrl(token: string, url: string): string {
    return `${this.baseUrl}/t/c/${token}?u=${encodeURIComponent(url)}&s=${this.tokens.signClick(token, url)}`;
  }

  unsubscribeUrl(token: string): string {
    return `${this.baseUrl}/u/${token}`;
  }

  /** Deterministic per recipient: every re-send carries the same id (mailbox providers de-duplicate on it). */
  messageId(recipientId: string): string {
    return `<${recipientId}@${this.host}>`;
  }
}
