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

/** One incoming message (issue 11): parsed by the webhook, not stored nor emitted yet. */
export interface WhatsAppIncomingMessage {
  providerMessageId: string;
  from: string;
  timestamp: Date;
  type: string;
  text: string | null;
}

export type WhatsAppStatusHandler = (events: WhatsAppStatusEvent[]) => Promise<void>;

/**
 * Hands verified, de-duplicated webhook events to whoever registered (the
 * campaigns ledger). The webhook awaits every handler before it answers, so
 * a handler that throws makes the webhook answer an error and Meta retry.
 */
@Injectable()
export class ChannelEventsService {
  private readonly statusHandlers: WhatsAppStatusHandler[] = [];

  onWhatsAppStatuses(handler: WhatsAppStatusHandler): void {
    this.statusHandlers.push(handler);
  }

  // issue 11: onWhatsAppMessages(handler) and emitWhatsAppMessages go here.

  /** Called by the webhook with the new (not replayed) events; runs the handlers one after another. */
  async emitWhatsAppStatuses(events: WhatsAppStatusEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.statusHandlers) await handler(events);
  }

  get statusHandlerCount(): number {
    return this.statusHandlers.length;
  }
}
