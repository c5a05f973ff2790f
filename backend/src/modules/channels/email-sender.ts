import type { EmailDriverName, OutgoingEmail, SendMeta, SendOutcome } from './channel.types';

/**
 * Sends one email. Inject it by this class; the module picks the driver
 * (SMTP_URL set: smtp, unset: outbox). `send` never throws for a delivery
 * failure: it answers a SendOutcome the caller can act on.
 */
export abstract class EmailSender {
  abstract readonly driver: EmailDriverName;
  abstract send(message: OutgoingEmail, meta: SendMeta): Promise<SendOutcome>;
  /** Health: SMTP connection check (throws when the server cannot be reached); outbox: no-op. */
  abstract verify(): Promise<void>;
}
