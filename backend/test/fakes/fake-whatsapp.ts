import { createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local WhatsApp Cloud API, after Meta's documentation: `POST
 * /:version/:phoneNumberId/messages` with a Bearer token and a template
 * message body, answering `{ messaging_product, contacts, messages: [{ id }] }`
 * or a Graph error `{ error: { message, type, code, error_subcode, fbtrace_id } }`.
 * It records every call, can throttle the next N calls (HTTP 429 or code
 * 130429), refuses chosen numbers (131026) and unknown templates (132001),
 * and signs and posts status webhooks to an app like Meta does.
 */
export interface FakeWhatsAppOptions {
  accessToken: string;
  phoneNumberId: string;
  /** Templates that exist; others answer 132001. Unset: every name exists. */
  templates?: string[];
}

export interface RecordedWhatsAppCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The wamid answered, when the call succeeded. */
  wamid: string | null;
}

export interface SentMessage {
  wamid: string;
  to: string;
  callbackData: string | null;
  /** The template name; null for a text message. */
  template: string | null;
  /** The body of a text message; null for a template. */
  text: string | null;
}

interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
}

type Failure = { remaining: number; status: number; error: GraphErrorBody; retryAfter?: number };

export type StatusName = 'sent' | 'delivered' | 'read' | 'failed';

const WABA_ID = '102290129340398';

export class FakeWhatsApp {
  readonly calls: RecordedWhatsAppCall[] = [];
  readonly sent: SentMessage[] = [];
  private readonly undeliverable = new Set<string>();
  /** When each customer (wa_id) last wrote, through sendInboundMessage: text replies need it within 24 h. */
  private readonly lastInbound = new Map<string, number>();
  private failure: Failure | null = null;
  private server?: http.Server;

  constructor(private readonly options: FakeWhatsAppOptions) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `count` calls answer a throttling error: HTTP 429 (`http`), or 400 with code 130429 (`code`). */
  throttleNext(count: number, how: 'http' | 'code' = 'code', retryAfterSeconds?: number): void {
    this.failure = {
      remaining: count,
      status: how === 'http' ? 429 : 400,
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: how === 'http' ? 80007 : 130429,
      },
      retryAfter: retryAfterSeconds,
    };
  }

  /** The next `count` calls answer this status and Graph error code (e.g. 500 / 131000). */
  failNext(count: number, status: number, code: number, message = 'Something went wrong'): void {
    this.failure = {
      remaining: count,
      status,
      error: { message: `(#${code}) ${message}`, type: 'OAuthException', code },
    };
  }

  /** Messages to this number (digits, with or without '+') answer 131026 "Message undeliverable". */
  rejectNumber(phone: string): void {
    this.undeliverable.add(phone.replace(/\D/g, ''));
  }

  /** A customer writes to the business number: the fake opens their 24 h window and posts the webhook, like Meta. */
  sendInboundMessage(appWebhookUrl: string, appSecret: string, message: InboundMessage): Promise<Response> {
    const wamid = message.wamid ?? `wamid.${randomBytes(24).toString('base64url')}`;
    const at = (message.timestamp ?? Math.floor(Date.now() / 1000)) * 1000;
    this.lastInbound.set(message.from, Math.max(this.lastInbound.get(message.from) ?? 0, at));
    return postWhatsAppWebhook(
      appWebhookUrl,
      messageWebhookPayload(this.options.phoneNumberId, [{ ...message, wamid }]),
      appSecret,
    );
  }

  reset(): void {
    this.calls.length = 0;
    this.sent.length = 0;
    this.undeliverable.clear();
    this.lastInbound.clear();
    this.failure = null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0];
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const call: RecordedWhatsAppCall = { method: req.method ?? '', path, headers: req.headers, body, wamid: null };
    this.calls.push(call);

    const route = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path);
    if (req.method !== 'POST' || !route)
      return this.error(res, 400, {
        message: 'Unsupported request',
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    if (req.headers.authorization !== `Bearer ${this.options.accessToken}`)
      return this.error(res, 401, {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
      });
    if (route[2] !== this.options.phoneNumberId)
      return this.error(res, 400, {
        message: `Unsupported post request. Object with ID '${route[2]}' does not exist`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    const problem = validateTemplateMessage(body);
    if (problem) return this.error(res, 400, { message: `(#100) ${problem}`, type: 'OAuthException', code: 100 });

    const failure = this.failure;
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      if (failure.remaining === 0) this.failure = null;
      if (failure.retryAfter !== undefined) res.setHeader('Retry-After', String(failure.retryAfter));
      return this.error(res, failure.status, failure.error);
    }
    const message = body as TemplateMessage | TextMessage;
    if (message.type === 'text') {
      const last = this.lastInbound.get(message.to);
      if (last === undefined || Date.now() - last > 24 * 3600_000)
        return this.error(res, 400, {
          message: '(#131047) Re-engagement message: more than 24 hours have passed since the recipient last replied',
          type: 'OAuthException',
          code: 131047,
        });
    }
    if (
      message.type === 'template' &&
      this.options.templates &&
      !this.options.templates.includes(message.template.name)
    )
      return this.error(res, 404, {
        message: '(#132001) Template name does not exist in the translation',
        type: 'OAuthException',
        code: 132001,
      });
    if (this.undeliverable.has(message.to))
      return this.error(res, 400, { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026 });

    const wamid = `wamid.${randomBytes(24).toString('base64url')}`;
    call.wamid = wamid;
    this.sent.push({
      wamid,
      to: message.to,
      callbackData: message.biz_opaque_callback_data ?? null,
      template: message.type === 'template' ? message.template.name : null,
      text: message.type === 'text' ? message.text.body : null,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: message.to, wa_id: message.to }],
        messages: [{ id: wamid, message_status: 'accepted' }],
      }),
    );
  }

  private error(res: http.ServerResponse, status: number, error: GraphErrorBody): void {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 401) headers['www-authenticate'] = 'OAuth "Facebook Platform" "invalid_token"';
    res.writeHead(status, headers);
    res.end(JSON.stringify({ error: { ...error, fbtrace_id: `A${randomBytes(8).toString('hex')}` } }));
  }
}

interface TextMessage {
  messaging_product: 'whatsapp';
  to: string;
  type: 'text';
  text: { body: string; preview_url?: boolean };
  biz_opaque_callback_data?: string;
}

interface TemplateMessage {
  messaging_product: 'whatsapp';
  to: string;
  type: 'template';
  template: { name: string; language: { code: string }; components?: unknown[] };
  biz_opaque_callback_data?: string;
}

/** The checks Meta makes on a template message, with its wording; null when the body is fine. */
export function validateTemplateMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return 'The parameter messaging_product is required.';
  const b = body as Record<string, unknown>;
  if (b.messaging_product !== 'whatsapp') return 'The parameter messaging_product is required.';
  if (b.recipient_type !== undefined && b.recipient_type !== 'individual') return 'Param recipient_type is invalid.';
  if (typeof b.to !== 'string' || !/^\d{6,15}$/.test(b.to)) return 'Param to must be a phone number (digits only).';
  if (b.type === 'text') {
    const text = b.text as Record<string, unknown> | undefined;
    if (!text || typeof text.body !== 'string' || !text.body) return 'The parameter text[body] is required.';
    if (text.body.length > 4096) return 'Param text[body] must be at most 4096 characters.';
    return null;
  }
  if (b.type !== 'template') return 'Param type must be template or text for this test double.';
  const t = b.template as Record<string, unknown> | undefined;
  if (!t || typeof t.name !== 'string' || !t.name) return 'The parameter template[name] is required.';
  const lang = t.language as Record<string, unknown> | undefined;
  if (!lang || typeof lang.code !== 'string' || !lang.code)
    return 'The parameter template[language][code] is required.';
  if (t.components !== undefined) {
    if (!Array.isArray(t.components)) return 'Param template[components] must be an array.';
    for (const c of t.components as Record<string, unknown>[]) {
      if (!['header', 'body', 'button'].includes(c?.type as string))
        return 'Param template[components][type] is invalid.';
      if (!Array.isArray(c.parameters)) return 'Param template[components][parameters] must be an array.';
      for (const p of c.parameters as Record<string, unknown>[])
        if (p?.type !== 'text' || typeof p.text !== 'string')
          return 'Param template[components][parameters][text] is required.';
    }
  }
  if (b.biz_opaque_callback_data !== undefined && typeof b.biz_opaque_callback_data !== 'string')
    return 'Param biz_opaque_callback_data must be a string.';
  return null;
}

export interface StatusUpdate {
  wamid: string;
  status: StatusName;
  recipientId: string;
  callbackData?: string | null;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** For `failed`: Meta's error (e.g. 131026 Message undeliverable). */
  error?: { code: number; title: string; details?: string };
}

export interface InboundMessage {
  /** wa_id of the customer: digits, no '+'. */
  from: string;
  text: string;
  /** Default: a fresh wamid. */
  wamid?: string;
  profileName?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

/** Meta's webhook payload for incoming text messages (value.contacts + value.messages). */
export function messageWebhookPayload(phoneNumberId: string, messages: InboundMessage[]): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              contacts: messages.map((m) => ({ profile: { name: m.profileName ?? 'Customer' }, wa_id: m.from })),
              messages: messages.map((m) => ({
                from: m.from,
                id: m.wamid ?? `wamid.${randomBytes(24).toString('base64url')}`,
                timestamp: String(m.timestamp ?? Math.floor(Date.now() / 1000)),
                type: 'text',
                text: { body: m.text },
              })),
            },
          },
        ],
      },
    ],
  };
}

/** Meta's webhook payload for status updates. */
export function statusWebhookPayload(phoneNumberId: string, updates: StatusUpdate[]): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              statuses: updates.map((u) => ({
                id: u.wamid,
                status: u.status,
                timestamp: String(u.timestamp ?? Math.floor(Date.now() / 1000)),
                recipient_id: u.recipientId,
                ...(u.callbackData ? { biz_opaque_callback_data: u.callbackData } : {}),
                ...(u.status !== 'failed'
                  ? {
                      conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'marketing' } },
                      pricing: { billable: true, pricing_model: 'CBP', category: 'marketing' },
                    }
                  : {}),
                ...(u.error
                  ? {
                      errors: [
                        {
                          code: u.error.code,
                          title: u.error.title,
                          message: u.error.title,
                          error_data: { details: u.error.details ?? u.error.title },
                        },
                      ],
                    }
                  : {}),
              })),
            },
          },
        ],
      },
    ],
  };
}

/** `sha256=<hex>` as Meta signs: HMAC-SHA256 of the exact body bytes with the app secret. */
export function metaSignature(body: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * POSTs a signed webhook to the app, like Meta. `signature: 'bad'` signs
 * with the wrong secret, `'none'` sends no signature header.
 */
export async function postWhatsAppWebhook(
  url: string,
  payload: unknown,
  appSecret: string,
  signature: 'good' | 'bad' | 'none' = 'good',
): Promise<Response> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' };
  if (signature === 'good') headers['x-hub-signature-256'] = metaSignature(body, appSecret);
  if (signature === 'bad') headers['x-hub-signature-256'] = metaSignature(body, `${appSecret}-wrong`);
  return fetch(url, { method: 'POST', headers, body });
}

/** Signs and posts status updates for messages the fake sent. */
export function sendStatusWebhook(
  appWebhookUrl: string,
  appSecret: string,
  phoneNumberId: string,
  updates: StatusUpdate[],
): Promise<Response> {
  return postWhatsAppWebhook(appWebhookUrl, statusWebhookPayload(phoneNumberId, updates), appSecret);
}
