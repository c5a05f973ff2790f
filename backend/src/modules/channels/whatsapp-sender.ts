import type { OutgoingWhatsApp, SendMeta, SendOutcome, WhatsAppDriverName } from './channel.types';

/**
 * Sends one WhatsApp template message. Inject it by this class; the module
 * picks the driver (WHATSAPP_ACCESS_TOKEN + WHATSAPP_PHONE_NUMBER_ID set:
 * cloud-api, otherwise outbox). `send` never throws for a delivery failure.
 */
export abstract class WhatsAppSender {
  abstract readonly driver: WhatsAppDriverName;
  abstract send(message: OutgoingWhatsApp, meta: SendMeta): Promise<SendOutcome>;
}
