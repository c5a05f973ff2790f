import type { OutgoingWhatsApp, OutgoingWhatsAppText, SendMeta, SendOutcome } from '../channel.types';
import { OutboxService } from '../outbox.service';
import { WhatsAppSender } from '../whatsapp-sender';

/** The outbox's message id of a WhatsApp message: one row per callbackData (the recipient id). */
export const whatsAppOutboxMessageId = (callbackData: string) => `whatsapp:${callbackData}`;

/** Readable summary of a template message, as the outbox list and preview show it. */
export function describeTemplateMessage(message: OutgoingWhatsApp): string {
  const lines = [`Template ${message.templateName} (${message.language})`];
  (message.headerParameters ?? []).forEach((value, i) => lines.push(`header {{${i + 1}}}: ${value}`));
  message.bodyParameters.forEach((value, i) => lines.push(`body {{${i + 1}}}: ${value}`));
  return lines.join('\n');
}

/** No WhatsApp credentials: every message is kept in the outbox, exactly once per callbackData. */
export class OutboxWhatsAppSender extends WhatsAppSender {
  readonly driver = 'outbox' as const;

  constructor(
    private readonly outbox: OutboxService,
    private readonly from: string,
  ) {
    super();
  }

  async send(message: OutgoingWhatsApp, meta: SendMeta): Promise<SendOutcome> {
    const stored = await this.outbox.store(
      {
        channel: 'whatsapp',
        to: message.to,
        from: this.from,
        subject: null,
        html: null,
        text: describeTemplateMessage(message),
        headers: {
          'X-WhatsApp-Template': message.templateName,
          'X-WhatsApp-Language': message.language,
          'X-WhatsApp-Body-Parameters': JSON.stringify(message.bodyParameters),
          'X-WhatsApp-Header-Parameters': JSON.stringify(message.headerParameters ?? []),
          'X-WhatsApp-Callback-Data': message.callbackData,
        },
        messageId: whatsAppOutboxMessageId(message.callbackData),
      },
      meta,
    );
    if (!stored) return { ok: false, kind: 'permanent', bounce: false, error: 'This callbackData is already used.' };
    return { ok: true, providerMessageId: stored.id };
  }

  async sendText(message: OutgoingWhatsAppText, meta: SendMeta): Promise<SendOutcome> {
    const stored = await this.outbox.store(
      {
        channel: 'whatsapp',
        to: message.to,
        from: this.from,
        subject: null,
        html: null,
        text: message.body,
        headers: { 'X-WhatsApp-Type': 'text', 'X-WhatsApp-Callback-Data': message.callbackData },
        messageId: whatsAppOutboxMessageId(message.callbackData),
      },
      meta,
    );
    if (!stored) return { ok: false, kind: 'permanent', bounce: false, error: 'This callbackData is already used.' };
    return { ok: true, providerMessageId: stored.id };
  }
}
