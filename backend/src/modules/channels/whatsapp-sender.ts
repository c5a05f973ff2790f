import type {
  OutgoingWhatsApp,
  OutgoingWhatsAppText,
  SendMeta,
  SendOutcome,
  WhatsAppDriverName,
} from './channel.types';

/**
 * Sends one WhatsApp message: a template (campaigns, or a conversation
 * outside the 24-hour window) or free-form text (conversation replies). Inject it by this class; the module
 * picks the driver (WHATSAPP_ACCESS_TOKEN + WHATSAPP_PHONE_NUMBER_ID set:
 * cloud-api, otherwise outbox). `send` never throws for a delivery failure.
 */
export abstract class WhatsAppSender {
  abstract readonly driver: WhatsAppDriverName;
  abstract send(message: OutgoingWhatsApp, meta: SendMeta): Promise<SendOutcome>;
  abstract sendText(message: OutgoingWhatsAppText, meta: SendMeta): Promise<SendOutcome>;
}
