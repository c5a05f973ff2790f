/** What every channel driver speaks: the campaigns engine and test sends build these, the drivers deliver them. */

export type ChannelName = 'email' | 'whatsapp';

export interface OutgoingEmail {
  to: string;
  from: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Extra headers passed through as given (List-Unsubscribe, List-Unsubscribe-Post, ...). */
  headers: Record<string, string>;
  /** '<recipientId@meridian>': deterministic, the same on every re-send, so providers keep one copy. */
  messageId: string;
}

export interface OutgoingWhatsApp {
  /** E.164 with '+'. */
  to: string;
  templateName: string;
  language: string;
  bodyParameters: string[];
  headerParameters?: string[];
  /** biz_opaque_callback_data: comes back on every status webhook (e.g. the recipient id). */
  callbackData: string;
}

/** A free-form text message: only inside the 24-hour customer service window Meta allows. */
export interface OutgoingWhatsAppText {
  /** E.164 with '+'. */
  to: string;
  body: string;
  /** biz_opaque_callback_data, and the outbox's idempotency key (e.g. the conversation message id). */
  callbackData: string;
}

export interface SendMeta {
  organizationId: string;
  campaignId?: string | null;
  recipientId?: string | null;
  test?: boolean;
}

export type SendOutcome =
  | { ok: true; providerMessageId: string }
  /** Slow down: 429, WhatsApp 130429/131056/80007/4, SMTP 421/451 with rate wording or 4.7.x. */
  | { ok: false; kind: 'throttled'; retryAfterMs?: number; error: string }
  /** Try again later: network, timeouts, 5xx, SMTP 4xx. */
  | { ok: false; kind: 'transient'; error: string }
  /** Never retry: SMTP 5xx (bounce=true for unknown-user style rejections at RCPT), bad number, unapproved template. */
  | { ok: false; kind: 'permanent'; error: string; bounce: boolean };

export type SendFailureKind = Exclude<SendOutcome, { ok: true }>['kind'];

export const EMAIL_DRIVERS = ['smtp', 'outbox'] as const;
export type EmailDriverName = (typeof EMAIL_DRIVERS)[number];
export const WHATSAPP_DRIVERS = ['cloud-api', 'outbox'] as const;
export type WhatsAppDriverName = (typeof WHATSAPP_DRIVERS)[number];
