import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FieldError } from '../../common/errors/problem';
import {
  WHATSAPP_STATUSES,
  type WhatsAppIncomingMessage,
  type WhatsAppStatus,
  type WhatsAppStatusEvent,
} from './channel-events.service';

/** `sha256=<hex>` of HMAC-SHA256(raw body, app secret), as Meta signs webhooks. */
export function signWebhookBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Timing-safe check of X-Hub-Signature-256 against the raw body. */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, appSecret).slice('sha256='.length), 'hex');
  const given = Buffer.from(header.trim().slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Timing-safe equality of two strings (the verify token). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ParsedWebhook {
  statuses: WhatsAppStatusEvent[];
  messages: WhatsAppIncomingMessage[];
}

export const statusEventKey = (e: Pick<WhatsAppStatusEvent, 'providerMessageId' | 'status'>) =>
  `status:${e.providerMessageId}:${e.status}`;
export const messageEventKey = (m: Pick<WhatsAppIncomingMessage, 'providerMessageId'>) =>
  `message:${m.providerMessageId}`;

/** The first of each wamid (one delivery may repeat a message). */
export function dedupeMessages(messages: WhatsAppIncomingMessage[]): WhatsAppIncomingMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => !seen.has(m.providerMessageId) && seen.add(m.providerMessageId));
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function unixTime(v: unknown): Date | null {
  const seconds = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

/**
 * Meta's webhook payload (`object: whatsapp_business_account`,
 * entry[].changes[].value.statuses[] / messages[]) → events, or the field
 * errors of a payload that does not have that shape. Status values this code
 * does not know are skipped (Meta adds some over time), not refused.
 */
export function parseWhatsAppWebhook(
  payload: unknown,
): { ok: true; value: ParsedWebhook } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const statuses: WhatsAppStatusEvent[] = [];
  const messages: WhatsAppIncomingMessage[] = [];
  if (!isObject(payload)) return { ok: false, errors: [{ field: 'body', reason: 'must be a JSON object' }] };
  if (payload.object !== 'whatsapp_business_account')
    errors.push({ field: 'object', reason: 'must be "whatsapp_business_account"' });
  if (!Array.isArray(payload.entry)) {
    errors.push({ field: 'entry', reason: 'must be an array' });
    return { ok: false, errors };
  }
  payload.entry.forEach((entry: unknown, i) => {
    const at = `entry[${i}]`;
    if (!isObject(entry)) return errors.push({ field: at, reason: 'must be an object' });
    if (!Array.isArray(entry.changes)) return errors.push({ field: `${at}.changes`, reason: 'must be an array' });
    entry.changes.forEach((change: unknown, j) => {
      const cat = `${at}.changes[${j}]`;
      if (!isObject(change) || !isObject(change.value))
        return errors.push({ field: `${cat}.value`, reason: 'must be an object' });
      const value = change.value;
      if (value.statuses !== undefined) {
        if (!Array.isArray(value.statuses))
          return errors.push({ field: `${cat}.value.statuses`, reason: 'must be an array' });
        value.statuses.forEach((s: unknown, k) => {
          const sat = `${cat}.value.statuses[${k}]`;
          const event = parseStatus(s, sat, errors);
          if (event) statuses.push(event);
        });
      }
      if (value.messages !== undefined) {
        if (!Array.isArray(value.messages))
          return errors.push({ field: `${cat}.value.messages`, reason: 'must be an array' });
        const phoneNumberId = isObject(value.metadata) ? str(value.metadata.phone_number_id) : null;
        const names = new Map<string, string>();
        if (Array.isArray(value.contacts))
          for (const c of value.contacts as unknown[]) {
            const waId = isObject(c) ? str(c.wa_id) : null;
            const name = isObject(c) && isObject(c.profile) ? str(c.profile.name) : null;
            if (waId && name) names.set(waId, name);
          }
        value.messages.forEach((m: unknown, k) => {
          const message = parseMessage(m, `${cat}.value.messages[${k}]`, errors);
          if (message) messages.push({ ...message, profileName: names.get(message.from) ?? null, phoneNumberId });
        });
      }
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { statuses, messages } };
}

function parseStatus(s: unknown, at: string, errors: FieldError[]): WhatsAppStatusEvent | null {
  if (!isObject(s)) {
    errors.push({ field: at, reason: 'must be an object' });
    return null;
  }
  const id = str(s.id);
  const status = str(s.status);
  const timestamp = unixTime(s.timestamp);
  const recipient = str(s.recipient_id);
  if (!id) errors.push({ field: `${at}.id`, reason: 'must be the message id (wamid)' });
  if (!status) errors.push({ field: `${at}.status`, reason: 'must be a string' });
  if (!timestamp) errors.push({ field: `${at}.timestamp`, reason: 'must be a Unix time in seconds' });
  if (!recipient) errors.push({ field: `${at}.recipient_id`, reason: 'must be a string' });
  if (s.errors !== undefined && !Array.isArray(s.errors))
    errors.push({ field: `${at}.errors`, reason: 'must be an array' });
  if (!id || !status || !timestamp || !recipient) return null;
  if (!WHATSAPP_STATUSES.includes(status as WhatsAppStatus)) return null;
  const first = Array.isArray(s.errors) && isObject(s.errors[0]) ? s.errors[0] : null;
  return {
    providerMessageId: id,
    status: status as WhatsAppStatus,
    timestamp,
    recipientPhone: recipient,
    callbackData: str(s.biz_opaque_callback_data),
    error: first
      ? {
          code: typeof first.code === 'number' ? first.code : Number(first.code) || 0,
          title: str(first.title) ?? str(first.message) ?? 'Unknown error',
        }
      : null,
  };
}

function parseMessage(
  m: unknown,
  at: string,
  errors: FieldError[],
): Omit<WhatsAppIncomingMessage, 'profileName' | 'phoneNumberId'> | null {
  if (!isObject(m)) {
    errors.push({ field: at, reason: 'must be an object' });
    return null;
  }
  const id = str(m.id);
  const from = str(m.from);
  const timestamp = unixTime(m.timestamp);
  if (!id) errors.push({ field: `${at}.id`, reason: 'must be the message id (wamid)' });
  if (!from) errors.push({ field: `${at}.from`, reason: 'must be a string' });
  if (!timestamp) errors.push({ field: `${at}.timestamp`, reason: 'must be a Unix time in seconds' });
  if (!id || !from || !timestamp) return null;
  const type = str(m.type) ?? 'unknown';
  return { providerMessageId: id, from, timestamp, type, text: messageText(m, type) };
}

/** What a person reads of a message: its text, a media caption, a button or list reply title. */
function messageText(m: Json, type: string): string | null {
  const value = m[type];
  const part = isObject(value) ? value : null;
  if (type === 'text') return isObject(m.text) ? str(m.text.body) : null;
  if (type === 'button' && part) return str(part.text) ?? str(part.payload);
  if (type === 'interactive' && part) {
    const reply = isObject(part.button_reply) ? part.button_reply : isObject(part.list_reply) ? part.list_reply : null;
    return reply ? str(reply.title) : null;
  }
  if (type === 'location' && part) return str(part.name) ?? str(part.address);
  return part ? str(part.caption) : null;
}
