import type { OutgoingWhatsApp, OutgoingWhatsAppText, SendMeta, SendOutcome } from '../channel.types';
import { redactSecrets } from '../redact';
import { WhatsAppSender } from '../whatsapp-sender';

export interface CloudApiOptions {
  apiUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs?: number;
}

/** Meta's error object (Graph API): `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  error_data?: { details?: string };
}

/** 4: app rate limit, 80007: WABA rate limit, 130429: throughput, 131056: pair rate limit (same recipient too often). */
const THROTTLE_CODES = new Set([4, 80007, 130429, 131056]);
/** 1: unknown error, 2: service unavailable, 131000: something went wrong. */
const TRANSIENT_CODES = new Set([1, 2, 131000]);

/** The Cloud API's template message, as Meta documents it. */
export function templateMessageBody(message: OutgoingWhatsApp): Record<string, unknown> {
  const components: { type: 'header' | 'body'; parameters: { type: 'text'; text: string }[] }[] = [];
  const header = message.headerParameters ?? [];
  if (header.length > 0)
    components.push({ type: 'header', parameters: header.map((text) => ({ type: 'text', text })) });
  if (message.bodyParameters.length > 0)
    components.push({ type: 'body', parameters: message.bodyParameters.map((text) => ({ type: 'text', text })) });
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to.replace(/\D/g, ''),
    type: 'template',
    template: {
      name: message.templateName,
      language: { code: message.language },
      ...(components.length > 0 ? { components } : {}),
    },
    biz_opaque_callback_data: message.callbackData,
  };
}

/** The Cloud API's text message (no link preview: links are shown as typed). */
export function textMessageBody(message: OutgoingWhatsAppText): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to.replace(/\D/g, ''),
    type: 'text',
    text: { preview_url: false, body: message.body },
    biz_opaque_callback_data: message.callbackData,
  };
}

/** Retry-After in seconds or as an HTTP date → milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** HTTP status + Graph error → what the campaigns engine should do with the recipient. */
export function classifyGraphError(
  status: number,
  error: GraphError | undefined,
  retryAfterMs: number | undefined,
): Exclude<SendOutcome, { ok: true }> {
  const code = error?.code;
  const text = [
    `HTTP ${status}`,
    code !== undefined ? `code ${code}${error?.error_subcode !== undefined ? `/${error.error_subcode}` : ''}` : null,
    error?.message ?? null,
    error?.error_data?.details ?? null,
    error?.fbtrace_id ? `fbtrace_id ${error.fbtrace_id}` : null,
  ]
    .filter(Boolean)
    .join(': ');
  if (status === 429 || (code !== undefined && THROTTLE_CODES.has(code)))
    return { ok: false, kind: 'throttled', error: text, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code)))
    return { ok: false, kind: 'transient', error: text };
  return { ok: false, kind: 'permanent', bounce: false, error: text };
}

/** WHATSAPP_ACCESS_TOKEN + WHATSAPP_PHONE_NUMBER_ID set: template and text messages through Meta's Cloud API. */
export class CloudApiWhatsAppSender extends WhatsAppSender {
  readonly driver = 'cloud-api' as const;
  private readonly endpoint: string;

  constructor(private readonly options: CloudApiOptions) {
    super();
    this.endpoint = `${options.apiUrl.replace(/\/+$/, '')}/${options.apiVersion}/${options.phoneNumberId}/messages`;
  }

  send(message: OutgoingWhatsApp, _meta: SendMeta): Promise<SendOutcome> {
    return this.post(templateMessageBody(message));
  }

  sendText(message: OutgoingWhatsAppText, _meta: SendMeta): Promise<SendOutcome> {
    return this.post(textMessageBody(message));
  }

  private async post(payload: Record<string, unknown>): Promise<SendOutcome> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' ? 'request timed out' : (e.cause?.code ?? e.message);
      return { ok: false, kind: 'transient', error: this.redact(`WhatsApp Cloud API unreachable: ${reason}`) };
    }
    let body: { messages?: { id?: string }[]; error?: GraphError } | undefined;
    try {
      body = (await res.json()) as typeof body;
    } catch {
      body = undefined;
    }
    const id = body?.messages?.[0]?.id;
    if (res.ok && typeof id === 'string' && id) return { ok: true, providerMessageId: id };
    if (res.ok)
      return { ok: false, kind: 'transient', error: `HTTP ${res.status}: the answer holds no messages[0].id` };
    const outcome = classifyGraphError(res.status, body?.error, parseRetryAfter(res.headers.get('retry-after')));
    return { ...outcome, error: this.redact(outcome.error) };
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.options.accessToken]);
  }
}
