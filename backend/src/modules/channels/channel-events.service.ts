import { Injectable } from '@nestjs/common';

export type WhatsAppStatus = 'sent' | 'delivered' | 'read' | 'failed';
export const WHATSAPP_STATUSES: readonly WhatsAppStatus[] = ['sent', 'delivered', 'read', 'failed'];

/** One status webhook entry, verified and de-duplicated. */
export interface WhatsAppStatusEvent {
  /** The wamid the send answered. */
  providerMessageId: string;
  status: WhatsAppStatus;
  timestamp: Date;
  /** wa_id as Meta sends it (digits, no '+'). */
  recipientPhone: string;
  callbackData: string | null;
  error: { code: number; title: string } | null;
}

/** One incoming message from a customer, verified and de-duplicated. */
export interface WhatsAppIncomingMessage {
  providerMessageId: string;
  /** wa_id of the sender (digits, no '+'). */
  from: string;
  timestamp: Date;
  /** text, image, audio, document, location, button, interactive, ... */
  type: string;
  /** The text (text messages), a caption, or a button / list reply title; null for media without caption. */
  text: string | null;
  /** The sender's WhatsApp profile name (contacts[].profile.name), when Meta gives it. */
  profileName: string | null;
  /** metadata.phone_number_id: the business number the message was sent to. */
  phoneNumberId: string | null;
}

export type WhatsAppStatusHandler = (events: WhatsAppStatusEvent[]) => Promise<void>;
/** Answers how many of the messages were new (not stored before); they are unique by wamid. */
export type WhatsAppMessageHandler = (messages: WhatsAppIncomingMessage[]) => Promise<number>;

/**
 * Hands verified, de-duplicated webhook events to whoever registered (the
 * campaigns ledger, the conversations inbox). The webhook awaits every handler before it answers, so
 * a handler that throws makes the webhook answer an error and Meta retry.
 */
@Injectable()
export class ChannelEventsService {
  private readonly statusHandlers: WhatsAppStatusHandler[] = [];
  private readonly messageHandlers: WhatsAppMessageHandler[] = [];

  onWhatsAppStatuses(handler: WhatsAppStatusHandler): void {
    this.statusHandlers.push(handler);
  }

  /** Incoming customer messages (the conversations inbox). */
  onWhatsAppMessages(handler: WhatsAppMessageHandler): void {
    this.messageHandlers.push(handler);
  }

  /**
   * Called by the webhook with every message of a delivery: the handler stores each
   * once (unique by wamid), so a replay is recognised there, in the same statement,
   * without a separate replay key. Answers how many were new.
   */
  async emitWhatsAppMessages(messages: WhatsAppIncomingMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    let fresh = this.messageHandlers.length === 0 ? messages.length : 0;
    for (const handler of this.messageHandlers) fresh = Math.max(fresh, await handler(messages));
    return fresh;
  }

  /** Called by the webhook with the new (not replayed) events; runs the handlers one after another. */
  async emitWhatsAppStatuses(events: WhatsAppStatusEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.statusHandlers) await handler(events);
  }

  get statusHandlerCount(): number {
    return this.statusHandlers.length;
  }
}
