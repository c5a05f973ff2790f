import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProblemException } from '../../common/errors/problem';
import type { Actor } from '../auth/actor';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { EmailEventDto, EmailEventResultDto } from '../consent/dto/suppression.dto';
import { SuppressionReason } from '../consent/suppression.entity';
import { SuppressionsService } from '../consent/suppressions.service';
import { LeadActivityType } from '../leads/lead-activity.entity';
import { LeadActivitiesService } from '../leads/lead-activities.service';
import { LeadScoringService } from '../leads/lead-scoring.service';
import { LeadsService } from '../leads/leads.service';
import { CampaignLedgerService, type LedgerRecipient } from '../campaigns/campaign-ledger.service';
import { isHttpUrl, TrackingTokens } from './tracking-tokens';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UnsubscribeState {
  recipient: LedgerRecipient;
  /** The address, partly hidden (the page may be seen by someone the email was forwarded to). */
  maskedAddress: string;
  organizationName: string | null;
}

export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return address;
  const local = address.slice(0, at);
  return `${local[0]}${'•'.repeat(Math.min(6, Math.max(1, local.length - 1)))}${address.slice(at)}`;
}

/**
 * What the public tracking routes and the email-events intake do: write the
 * ledger (campaigns module), the lead's timeline, suppressions, and ask for a
 * rescore. Tracking never fails the person: a pixel is always a pixel, a
 * valid click always redirects, even when recording failed (it is logged).
 */
@Injectable()
export class CampaignEventsService {
  private readonly logger = new Logger(CampaignEventsService.name);
  private readonly campaignNames = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TrackingTokens,
    private readonly ledger: CampaignLedgerService,
    private readonly leads: LeadsService,
    private readonly activities: LeadActivitiesService,
    private readonly scoring: LeadScoringService,
    private readonly suppressions: SuppressionsService,
    private readonly audit: AuditService,
  ) {}

  async recordOpen(token: string): Promise<void> {
    const recipientId = this.tokens.verify(token);
    if (!recipientId) return;
    try {
      const recipient = await this.ledger.findRecipient(recipientId);
      if (!recipient) return;
      const result = await this.ledger.recordOpen(recipientId, new Date());
      if (!result?.first) return;
      const label = await this.actorLabel(recipient.campaignId);
      await this.dataSource.transaction((manager) =>
        this.activities.recordSystem(
          manager,
          recipient.organizationId,
          label,
          recipient.leadId,
          LeadActivityType.CampaignOpened,
          { campaignId: recipient.campaignId, recipientId },
        ),
      );
      await this.rescore(recipient);
    } catch (err) {
      this.logger.warn(`Could not record an open of recipient ${recipientId}: ${(err as Error).message}`);
    }
  }

  /** The target to redirect to; a 400 problem for anything we did not sign (no open redirect). */
  async recordClick(token: string, url: unknown, signature: unknown): Promise<string> {
    const recipientId = this.tokens.verify(token);
    if (
      !recipientId ||
      typeof url !== 'string' ||
      typeof signature !== 'string' ||
      !isHttpUrl(url) ||
      !this.tokens.verifyClick(token, url, signature)
    ) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'invalid_tracking_link',
        'This link is not valid: it was changed or cut off. Open the link from the original email.',
        {},
        'Invalid link',
      );
    }
    try {
      const recipient = await this.ledger.findRecipient(recipientId);
      if (recipient && (await this.ledger.recordClick(recipientId, url, new Date()))) {
        const label = await this.actorLabel(recipient.campaignId);
        await this.dataSource.transaction((manager) =>
          this.activities.recordSystem(
            manager,
            recipient.organizationId,
            label,
            recipient.leadId,
            LeadActivityType.CampaignClicked,
            { campaignId: recipient.campaignId, recipientId, url },
          ),
        );
        await this.rescore(recipient);
      }
    } catch (err) {
      this.logger.warn(`Could not record a click of recipient ${recipientId}: ${(err as Error).message}`);
    }
    return url;
  }

  /** Null when the link is not one of ours or its recipient is gone. */
  async unsubscribeState(token: string): Promise<UnsubscribeState | null> {
    const recipientId = this.tokens.verify(token);
    if (!recipientId) return null;
    const recipient = await this.ledger.findRecipient(recipientId);
    if (!recipient) return null;
    const [org] = await this.dataSource.query<{ name: string }[]>('SELECT name FROM organizations WHERE id = $1', [
      recipient.organizationId,
    ]);
    return {
      recipient,
      maskedAddress: recipient.channel === 'email' ? maskEmail(recipient.address) : recipient.address,
      organizationName: org?.name ?? null,
    };
  }

  /**
   * Email always; WhatsApp only when the person asked. Idempotent: a second
   * POST changes nothing and answers the same confirmation.
   */
  async unsubscribe(
    token: string,
    options: { whatsapp: boolean; requestId: string | null; ip: string | null },
  ): Promise<UnsubscribeState | null> {
    const state = await this.unsubscribeState(token);
    if (!state) return null;
    const { recipient } = state;
    const label = await this.actorLabel(recipient.campaignId);
    const changed = await this.dataSource.transaction(async (manager) => {
      const lead = await this.leads.withdrawConsent(
        manager,
        recipient.organizationId,
        recipient.leadId,
        { email: true, whatsapp: options.whatsapp },
        label,
        { campaignId: recipient.campaignId, recipientId: recipient.id },
      );
      const refs = { campaignId: recipient.campaignId, leadId: recipient.leadId, detail: 'unsubscribe link' };
      const emailAddress = recipient.channel === 'email' ? recipient.address : lead?.email;
      const added: Record<string, boolean> = {};
      if (emailAddress)
        added.email = await this.suppressions.suppress(
          recipient.organizationId,
          'email',
          emailAddress,
          SuppressionReason.Unsubscribed,
          refs,
          manager,
        );
      const phone = recipient.channel === 'whatsapp' ? recipient.address : lead?.phone;
      if (options.whatsapp && phone)
        added.whatsapp = await this.suppressions.suppress(
          recipient.organizationId,
          'whatsapp',
          phone,
          SuppressionReason.Unsubscribed,
          refs,
          manager,
        );
      const channels = Object.keys(added).filter((c) => added[c]);
      if (channels.length > 0 || (lead?.changed.length ?? 0) > 0) {
        await this.systemAudit(manager, recipient.organizationId, label, options, {
          action: 'lead.unsubscribed',
          entityType: 'lead',
          entityId: recipient.leadId,
          changes: {
            reason: 'unsubscribed',
            suppressed: channels,
            consentWithdrawn: lead?.changed ?? [],
            campaignId: recipient.campaignId,
          },
        });
      }
      return lead?.changed.length ?? 0;
    });
    await this.ledger.recordUnsubscribe(recipient.id);
    if (changed > 0) await this.rescore(recipient);
    return state;
  }

  /** Bounces, complaints and deliveries reported by an ESP or a bounce processor. */
  async recordEmailEvent(actor: Actor, input: EmailEventDto): Promise<EmailEventResultDto> {
    const recipientId = this.recipientIdOf(input);
    const recipient = recipientId ? await this.ledger.findRecipient(recipientId) : null;
    // Another organization's recipient is exactly as unknown as a missing one.
    if (!recipient || recipient.organizationId !== actor.principal.organizationId || recipient.channel !== 'email') {
      throw new NotFoundException(`No email recipient ${input.recipientId ?? input.messageId}`);
    }
    const reason = input.reason?.trim() || input.type.replace('_', ' ');
    if (input.type === 'delivered') {
      await this.ledger.recordDelivered(recipient.id, new Date());
      return { recipientId: recipient.id, type: input.type, suppressed: false };
    }
    const kind = input.type === 'hard_bounce' ? 'hard' : input.type === 'soft_bounce' ? 'soft' : 'complaint';
    await this.ledger.recordBounce(recipient.id, kind, reason);
    if (kind === 'soft') return { recipientId: recipient.id, type: input.type, suppressed: false };

    const label = await this.actorLabel(recipient.campaignId);
    const suppressed = await this.dataSource.transaction(async (manager) => {
      const added = await this.suppressions.suppress(
        recipient.organizationId,
        'email',
        recipient.address,
        kind === 'hard' ? SuppressionReason.HardBounce : SuppressionReason.Complaint,
        { campaignId: recipient.campaignId, leadId: recipient.leadId, detail: reason.slice(0, 500) },
        manager,
      );
      if (kind === 'complaint') {
        // A spam complaint is the strongest unsubscribe there is.
        await this.leads.withdrawConsent(
          manager,
          recipient.organizationId,
          recipient.leadId,
          { email: true, whatsapp: false },
          label,
          { campaignId: recipient.campaignId, recipientId: recipient.id, reason: 'complaint' },
        );
      } else if (added) {
        await this.activities.recordSystem(
          manager,
          recipient.organizationId,
          label,
          recipient.leadId,
          LeadActivityType.Bounced,
          { campaignId: recipient.campaignId, recipientId: recipient.id, address: recipient.address, reason },
        );
      }
      if (added) {
        await this.audit.record(
          actor,
          {
            action: 'suppression.created',
            entityType: 'suppression',
            entityId: null,
            changes: {
              channel: 'email',
              address: recipient.address,
              reason: kind === 'hard' ? SuppressionReason.HardBounce : SuppressionReason.Complaint,
              campaignId: recipient.campaignId,
              recipientId: recipient.id,
            },
          },
          manager,
        );
      }
      return added;
    });
    if (suppressed) await this.rescore(recipient);
    return { recipientId: recipient.id, type: input.type, suppressed };
  }

  /** `<uuid@host>` (brackets optional) or the recipient id. */
  private recipientIdOf(input: EmailEventDto): string | null {
    if (input.recipientId) return input.recipientId;
    const local = /^<?([^@<>\s]+)@[^<>\s]+>?$/.exec(input.messageId?.trim() ?? '')?.[1];
    if (!input.messageId) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'messageId: give messageId or recipientId',
        {
          errors: [{ field: 'messageId', reason: 'give messageId or recipientId' }],
        },
      );
    }
    return local && UUID.test(local) ? local.toLowerCase() : null;
  }

  /** "Campaign <name>" for the timeline; the name is read once per campaign and process. */
  private async actorLabel(campaignId: string): Promise<string> {
    let name = this.campaignNames.get(campaignId);
    if (name === undefined) {
      try {
        const rows = await this.dataSource.query<{ name: string }[]>('SELECT name FROM campaigns WHERE id = $1', [
          campaignId,
        ]);
        name = rows[0]?.name ?? '';
      } catch {
        name = '';
      }
      if (this.campaignNames.size > 1000) this.campaignNames.clear();
      this.campaignNames.set(campaignId, name);
    }
    return name ? `Campaign ${name}` : 'Campaign';
  }

  private async rescore(recipient: LedgerRecipient): Promise<void> {
    try {
      await this.scoring.enqueueRescore(recipient.organizationId, recipient.leadId);
    } catch (err) {
      this.logger.warn(`Could not enqueue a rescore of lead ${recipient.leadId}: ${(err as Error).message}`);
    }
  }

  /** An audit entry made on a person's behalf through a signed link: no user, the system acts. */
  private async systemAudit(
    manager: EntityManager,
    organizationId: string,
    label: string,
    request: { requestId: string | null; ip: string | null },
    entry: { action: string; entityType: string; entityId: string | null; changes: Record<string, unknown> },
  ): Promise<void> {
    await manager.getRepository(AuditEvent).insert({
      organizationId,
      actorType: 'system',
      actorId: null,
      actorLabel: `${label} (unsubscribe link)`,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      changes: entry.changes as AuditEvent['changes'] & object,
      ip: request.ip,
      requestId: request.requestId,
    });
  }
}
