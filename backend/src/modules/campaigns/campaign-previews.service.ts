import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { CacheService } from '../../cache/cache.service';
import { ProblemException, ValidationProblem } from '../../common/errors/problem';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { EmailSender } from '../channels/email-sender';
import { WhatsAppSender } from '../channels/whatsapp-sender';
import { LeadFieldsService } from '../leads/lead-fields.service';
import { LeadsService, parsePhone } from '../leads/leads.service';
import type { Lead } from '../leads/lead.entity';
import { OrganizationsService } from '../organizations/organizations.service';
import type { RenderLead } from './templates/campaign-template.types';
import { CampaignTemplatesService } from './templates/campaign-templates.service';
import type { Campaign } from './campaign.entity';
import type { CampaignChannel } from './campaign.types';
import type { EmailContentDto, WhatsAppContentDto } from './dto/campaign-content.dto';
import type { PreviewDto, TestSendResultDto } from './dto/preview.dto';

export const TEST_SENDS_PER_MINUTE = 10;

/** What a preview without a chosen lead shows. */
const SAMPLE_LEAD: RenderLead = {
  id: '00000000-0000-4000-8000-000000000000',
  firstName: 'Ana',
  lastName: 'Lima',
  email: 'ana.lima@example.com',
  phone: '+14155550123',
  company: 'Example Ltd',
  title: 'Head of Marketing',
  source: 'web',
  status: 'new',
  customFields: {},
};

export function toRenderLead(
  l: Pick<
    Lead,
    'id' | 'firstName' | 'lastName' | 'email' | 'phone' | 'company' | 'title' | 'source' | 'status' | 'customFields'
  >,
): RenderLead {
  return {
    id: l.id,
    firstName: l.firstName,
    lastName: l.lastName,
    email: l.email,
    phone: l.phone,
    company: l.company,
    title: l.title,
    source: l.source,
    status: l.status,
    customFields: l.customFields ?? {},
  };
}

const displayName = (l: RenderLead) =>
  [l.firstName, l.lastName].filter(Boolean).join(' ') || l.email || l.phone || l.company || l.id;

/** Renders content with a lead (or sample data) for the editor, and sends one test message outside the ledger. */
@Injectable()
export class CampaignPreviewsService {
  constructor(
    private readonly templates: CampaignTemplatesService,
    private readonly fields: LeadFieldsService,
    private readonly leads: LeadsService,
    private readonly organizations: OrganizationsService,
    private readonly email: EmailSender,
    private readonly whatsapp: WhatsAppSender,
    private readonly cache: CacheService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async preview(
    actor: Actor,
    input: {
      channel: CampaignChannel;
      email?: EmailContentDto;
      whatsapp?: WhatsAppContentDto;
      leadId?: string;
      campaignName?: string;
    },
  ): Promise<PreviewDto> {
    const organizationId = actor.principal.organizationId;
    const content = input.channel === 'email' ? input.email : input.whatsapp;
    if (!content)
      throw new ValidationProblem([{ field: input.channel, reason: `the ${input.channel} content is required` }]);
    const lead = input.leadId ? toRenderLead(await this.leads.get(organizationId, input.leadId)) : null;
    const compiled = await this.compile(organizationId, input.channel, content, input.campaignName ?? 'Preview');
    const subject = lead ?? SAMPLE_LEAD;
    if (input.channel === 'email') {
      const r = compiled.renderEmail(subject, { id: SAMPLE_LEAD.id, campaignId: SAMPLE_LEAD.id }, { tracking: false });
      return {
        email: { subject: r.subject, html: r.html, text: r.text },
        whatsapp: null,
        lead: lead ? { id: lead.id, name: displayName(lead) } : null,
      };
    }
    const r = compiled.renderWhatsApp(subject);
    return {
      email: null,
      whatsapp: { text: r.previewText, bodyParameters: r.bodyParameters },
      lead: lead ? { id: lead.id, name: displayName(lead) } : null,
    };
  }

  /** One message to `to`, "[Test]" in the subject, not in the ledger; 10 per minute per user. */
  async testSend(actor: Actor, campaign: Campaign, to: string, leadId?: string): Promise<TestSendResultDto> {
    const organizationId = actor.principal.organizationId;
    const address = this.testAddress(campaign.channel, to);
    const used = await this.cache.increment(`campaign-test-send:${actor.principal.id}`, 60);
    if (used > TEST_SENDS_PER_MINUTE) {
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        'rate_limited',
        `At most ${TEST_SENDS_PER_MINUTE} test sends per minute: try again in a minute.`,
      );
    }
    const content = campaign.channel === 'email' ? campaign.content.email : campaign.content.whatsapp;
    if (!content)
      throw new ValidationProblem([
        { field: campaign.channel, reason: `the campaign has no ${campaign.channel} content yet` },
      ]);
    const lead = leadId ? toRenderLead(await this.leads.get(organizationId, leadId)) : SAMPLE_LEAD;
    const compiled = await this.compile(organizationId, campaign.channel, content, campaign.name);
    const testId = randomUUID();
    const meta = { organizationId, campaignId: campaign.id, recipientId: null, test: true };
    let outcome;
    let driver: TestSendResultDto['driver'];
    if (campaign.channel === 'email') {
      const email = campaign.content.email!;
      const r = compiled.renderEmail(lead, { id: testId, campaignId: campaign.id }, { tracking: false, test: true });
      driver = this.email.driver;
      outcome = await this.email.send(
        {
          to: address,
          from: fromMailbox(
            email.fromName ?? this.config.email.fromName,
            email.fromEmail ?? this.config.email.fromAddress,
          ),
          replyTo: email.replyTo ?? null,
          subject: `[Test] ${r.subject}`,
          html: r.html,
          text: r.text,
          headers: r.headers,
          messageId: `<test-${testId}@meridian>`,
        },
        meta,
      );
    } else {
      const wa = campaign.content.whatsapp!;
      const r = compiled.renderWhatsApp(lead);
      driver = this.whatsapp.driver;
      outcome = await this.whatsapp.send(
        {
          to: address,
          templateName: wa.templateName,
          language: wa.language,
          bodyParameters: r.bodyParameters,
          headerParameters: r.headerParameters,
          callbackData: `test:${testId}`,
        },
        meta,
      );
    }
    if (!outcome.ok) {
      throw new ProblemException(
        HttpStatus.BAD_GATEWAY,
        'test_send_failed',
        `The ${driver} driver did not accept the message: ${outcome.error}`,
        {
          kind: outcome.kind,
        },
      );
    }
    await this.audit.record(actor, {
      action: 'campaign.test_sent',
      entityType: 'campaign',
      entityId: campaign.id,
      changes: { to: address, driver },
    });
    return { driver, providerMessageId: outcome.providerMessageId, to: address };
  }

  private testAddress(channel: CampaignChannel, to: string): string {
    if (channel === 'email') {
      const email = to.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new ValidationProblem([{ field: 'to', reason: 'must be an email address' }]);
      return email;
    }
    const parsed = parsePhone(to.trim());
    if ('reason' in parsed || !parsed.phone)
      throw new ValidationProblem([
        { field: 'to', reason: 'must be a phone number in E.164 (+ and the country code)' },
      ]);
    return parsed.phone;
  }

  private async compile(
    organizationId: string,
    channel: CampaignChannel,
    content: EmailContentDto | WhatsAppContentDto,
    campaignName: string,
  ) {
    const [org, fields] = await Promise.all([
      this.organizations.get(organizationId),
      this.fields.validatorFor(organizationId),
    ]);
    return this.templates.compile(channel, content, {
      organizationName: org.name,
      campaignName,
      customFieldKeys: [...fields.keys],
    });
  }
}

/** `Name <address>` (the name quoted when it needs to be), or the bare address. */
export function fromMailbox(name: string | null | undefined, address: string): string {
  if (!name) return address;
  const safe = /^[\w .'-]+$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
  return `${safe} <${address}>`;
}
