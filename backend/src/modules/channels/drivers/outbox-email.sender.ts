import { Injectable } from '@nestjs/common';
import type { OutgoingEmail, SendMeta, SendOutcome } from '../channel.types';
import { EmailSender } from '../email-sender';
import { OutboxService } from '../outbox.service';

/** No SMTP_URL: every email is kept in the outbox, exactly once per Message-ID, and never leaves the server. */
@Injectable()
export class OutboxEmailSender extends EmailSender {
  readonly driver = 'outbox' as const;

  constructor(private readonly outbox: OutboxService) {
    super();
  }

  async send(message: OutgoingEmail, meta: SendMeta): Promise<SendOutcome> {
    const headers: Record<string, string> = { ...message.headers, 'Message-ID': message.messageId };
    if (message.replyTo) headers['Reply-To'] = message.replyTo;
    const stored = await this.outbox.store(
      {
        channel: 'email',
        to: message.to,
        from: message.from,
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers,
        messageId: message.messageId,
      },
      meta,
    );
    if (!stored) return { ok: false, kind: 'permanent', bounce: false, error: 'This Message-ID is already used.' };
    return { ok: true, providerMessageId: stored.id };
  }

  async verify(): Promise<void> {
    // Nothing to reach: the outbox is a table.
  }
}
