/** The shapes the campaigns module stores and the template engine renders (brief: "templates → campaigns"). */

export type CampaignChannel = 'email' | 'whatsapp';

export interface EmailContent {
  subject: string;
  preheader?: string | null;
  html: string;
  /** null: derived from the HTML. */
  text?: string | null;
  fromName?: string | null;
  fromEmail?: string | null;
  replyTo?: string | null;
}

export interface WhatsAppContent {
  templateName: string;
  language: string;
  bodyParameters: string[];
  headerParameters?: string[];
  /** The approved body with {{1}}.. for previews. */
  previewText?: string | null;
}

/** What a template may read of a lead. */
export interface RenderLead {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: string;
  status: string;
  customFields: Record<string, unknown>;
}

export interface CompileContext {
  organizationName: string;
  campaignName: string;
  customFieldKeys: readonly string[];
}

export interface RenderEmailOptions {
  /** Default true: click rewrite + open pixel. Off for previews. */
  tracking?: boolean;
  /** A test send: "[Test]" subject prefix is the caller's; here it only turns tracking off. */
  test?: boolean;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  messageId: string;
}

export interface RenderedWhatsApp {
  bodyParameters: string[];
  headerParameters: string[];
  previewText: string | null;
}

export interface CompiledCampaignTemplate {
  readonly channel: CampaignChannel;
  /** Tracking on: links rewritten to signed click URLs, open pixel appended, List-Unsubscribe + List-Unsubscribe-Post headers, Message-ID. */
  renderEmail(
    lead: RenderLead,
    recipient: { id: string; campaignId: string },
    options?: RenderEmailOptions,
  ): RenderedEmail;
  renderWhatsApp(lead: RenderLead): RenderedWhatsApp;
}

/** The variables a template may use, besides `custom.<key>`. */
export const TEMPLATE_VARIABLES: readonly string[] = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'phone',
  'company',
  'title',
  'source',
  'status',
  'organization.name',
  'campaign.name',
  'unsubscribeUrl',
];
