import { Injectable } from '@nestjs/common';
import { Liquid, Tag, type Template, type TagToken, type TopLevelToken } from 'liquidjs';
import { FieldError, ValidationProblem } from '../../../common/errors/problem';
import { isHttpUrl, TrackingUrls } from '../../tracking/tracking-tokens';
import {
  CampaignChannel,
  CompileContext,
  CompiledCampaignTemplate,
  EmailContent,
  RenderedEmail,
  RenderedWhatsApp,
  RenderEmailOptions,
  RenderLead,
  TEMPLATE_VARIABLES,
  WhatsAppContent,
} from './campaign-template.types';
import { decodeEntities, escapeHtml, htmlToText } from './html-text';

/** Templates are user input: these tags would read files (or other templates) and are refused at parse time. */
const FORBIDDEN_TAGS = ['include', 'render', 'layout'] as const;

const MAX_SUBJECT = 998;
const MAX_HTML = 512 * 1024;
const MAX_PARAMETER = 1024;

/** Not a partial loader: every lookup fails (defence in depth behind FORBIDDEN_TAGS). */
const NO_FILES = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: () => Promise.reject(new Error('templates cannot read files')),
  readFileSync: () => {
    throw new Error('templates cannot read files');
  },
  resolve: (_root: string, file: string) => file,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
  sep: '/',
};

function createEngine(escapeOutput: boolean): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    outputEscape: escapeOutput ? 'escape' : undefined,
    fs: NO_FILES,
    root: [],
    relativeReference: false,
    dynamicPartials: false,
    // Bounds for hostile templates (huge loops, string blow-ups).
    parseLimit: 1_000_000,
    renderLimit: 250,
    memoryLimit: 8_000_000,
    timezoneOffset: 0,
  });
  for (const name of FORBIDDEN_TAGS) {
    engine.registerTag(
      name,
      class extends Tag {
        constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
          super(token, remain, liquid);
          throw new Error(`the {% ${name} %} tag is not allowed in campaign templates`);
        }
        // eslint-disable-next-line require-yield
        *render(): Generator<unknown, void, unknown> {
          return;
        }
      },
    );
  }
  // `raw` would bypass HTML escaping of lead data; here it is a no-op (the output is still escaped).
  engine.registerFilter('raw', (value: unknown) => value);
  return engine;
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest known name, when it is close enough to be what was meant. */
export function suggest(name: string, known: readonly string[]): string | null {
  const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const exactish = known.find((k) => squash(k) === squash(name));
  if (exactish) return exactish;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/** LiquidJS appends ", line:1, col:4" to its messages; we say it our way. */
function describeLiquidError(err: unknown): string {
  const e = err as { message?: string; token?: { getPosition?: () => [number, number] } };
  let message = String(e.message ?? err).replace(/, line:\d+, col:\d+$/, '');
  message = message.replace(/^ENOENT: .*/, 'templates cannot include other files');
  const position = e.token?.getPosition?.();
  return position ? `${message} (line ${position[0]}, column ${position[1]})` : message;
}

interface Parsed {
  templates: Template[] | null;
  errors: FieldError[];
}

const SIMPLE_VARIABLES = TEMPLATE_VARIABLES.filter((v) => !v.includes('.'));
const NESTED_VARIABLES: Record<string, readonly string[]> = { organization: ['name'], campaign: ['name'] };

function fullName(lead: RenderLead): string | null {
  return [lead.firstName, lead.lastName].filter(Boolean).join(' ') || null;
}

/**
 * Campaign templates: LiquidJS with strict variables and filters, HTML
 * escaping in the HTML part only, no file access. A template is parsed once
 * per campaign (compile) and rendered per recipient.
 */
@Injectable()
export class CampaignTemplatesService {
  private readonly html = createEngine(true);
  private readonly plain = createEngine(false);

  constructor(private readonly urls: TrackingUrls) {}

  /** Field errors: syntax, unknown variable (with a suggestion), forbidden tag, empty. */
  validate(
    channel: CampaignChannel,
    content: EmailContent | WhatsAppContent,
    customFieldKeys: readonly string[],
  ): FieldError[] {
    return this.parseAll(channel, content, customFieldKeys).errors;
  }

  /** Parses once; throws a ValidationProblem (the errors of validate) when the content does not compile. */
  compile(
    channel: CampaignChannel,
    content: EmailContent | WhatsAppContent,
    ctx: CompileContext,
  ): CompiledCampaignTemplate {
    const parsed = this.parseAll(channel, content, ctx.customFieldKeys);
    if (parsed.errors.length > 0) throw new ValidationProblem(parsed.errors);
    return channel === 'email'
      ? new CompiledEmail(this.html, this.plain, this.urls, content as EmailContent, parsed.parts, ctx)
      : new CompiledWhatsApp(this.plain, content as WhatsAppContent, parsed.parts, ctx);
  }

  private parseAll(
    channel: CampaignChannel,
    content: EmailContent | WhatsAppContent,
    customFieldKeys: readonly string[],
  ): { errors: FieldError[]; parts: Map<string, Template[]> } {
    const errors: FieldError[] = [];
    const parts = new Map<string, Template[]>();
    const add = (field: string, source: string | null | undefined, escape: boolean, required: boolean, max: number) => {
      if (source === undefined || source === null || source.trim() === '') {
        if (required) errors.push({ field, reason: 'must not be empty' });
        return;
      }
      if (source.length > max) {
        errors.push({ field, reason: `must be at most ${max} characters` });
        return;
      }
      const result = this.parse(field, source, escape ? this.html : this.plain, channel, customFieldKeys);
      errors.push(...result.errors);
      if (result.templates) parts.set(field, result.templates);
    };
    if (channel === 'email') {
      const email = content as EmailContent;
      add('email.subject', email.subject, false, true, MAX_SUBJECT);
      add('email.preheader', email.preheader, true, false, MAX_SUBJECT);
      add('email.html', email.html, true, true, MAX_HTML);
      add('email.text', email.text, false, false, MAX_HTML);
    } else {
      const wa = content as WhatsAppContent;
      if (!wa.templateName || !/^[a-z0-9_]{1,512}$/.test(wa.templateName))
        errors.push({
          field: 'whatsapp.templateName',
          reason: 'must be the approved template name (lower case letters, digits, underscores)',
        });
      if (!wa.language || !/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/.test(wa.language))
        errors.push({ field: 'whatsapp.language', reason: 'must be a template language code such as en or en_US' });
      (wa.bodyParameters ?? []).forEach((p, i) => add(`whatsapp.bodyParameters[${i}]`, p, false, true, MAX_PARAMETER));
      (wa.headerParameters ?? []).forEach((p, i) =>
        add(`whatsapp.headerParameters[${i}]`, p, false, true, MAX_PARAMETER),
      );
    }
    return { errors, parts };
  }

  private parse(
    field: string,
    source: string,
    engine: Liquid,
    channel: CampaignChannel,
    customFieldKeys: readonly string[],
  ): Parsed {
    let templates: Template[];
    try {
      templates = engine.parse(source);
    } catch (err) {
      return { templates: null, errors: [{ field, reason: describeLiquidError(err) }] };
    }
    const errors: FieldError[] = [];
    let globals: Record<string, { segments: unknown[]; location: { row: number; col: number }; toString(): string }[]>;
    try {
      globals = engine.analyzeSync(templates, { partials: false }).globals;
    } catch (err) {
      return { templates: null, errors: [{ field, reason: describeLiquidError(err) }] };
    }
    const simple = channel === 'email' ? SIMPLE_VARIABLES : SIMPLE_VARIABLES.filter((v) => v !== 'unsubscribeUrl');
    const known = [
      ...simple,
      ...Object.entries(NESTED_VARIABLES).flatMap(([root, keys]) => keys.map((k) => `${root}.${k}`)),
      ...customFieldKeys.map((k) => `custom.${k}`),
    ];
    for (const occurrences of Object.values(globals)) {
      for (const variable of occurrences) {
        const problem = this.checkVariable(variable.segments, simple, customFieldKeys);
        if (!problem) continue;
        const name = variable.toString();
        const hint = suggest(problem, known);
        const where = `line ${variable.location.row}, column ${variable.location.col}`;
        errors.push({
          field,
          reason: `unknown variable "${name}" (${where})${hint ? `: did you mean "${hint}"?` : ''}`,
        });
      }
    }
    return { templates: errors.length ? null : templates, errors };
  }

  /** null when the path exists; otherwise the name to look for a suggestion with. */
  private checkVariable(segments: unknown[], simple: readonly string[], customFieldKeys: readonly string[]) {
    const [root, second, ...rest] = segments;
    const path = segments.filter((s) => typeof s === 'string' || typeof s === 'number').join('.');
    if (typeof root !== 'string') return path;
    if (simple.includes(root)) return second === undefined || (second === 'size' && rest.length === 0) ? null : path;
    if (root === 'custom') {
      if (second === undefined) return 'custom';
      if (typeof second !== 'string') return null; // custom[someVariable]: checked at render (strict)
      return customFieldKeys.includes(second) ? null : path;
    }
    const nested = NESTED_VARIABLES[root];
    if (nested) return typeof second === 'string' && nested.includes(second) && rest.length === 0 ? null : path;
    return path;
  }
}

/** What every channel puts in scope. Custom keys without a value are null, so strict mode does not throw on them. */
function baseScope(lead: RenderLead, ctx: CompileContext): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const key of ctx.customFieldKeys) custom[key] = lead.customFields?.[key] ?? null;
  return {
    firstName: lead.firstName,
    lastName: lead.lastName,
    fullName: fullName(lead),
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    title: lead.title,
    source: lead.source,
    status: lead.status,
    custom,
    organization: { name: ctx.organizationName },
    campaign: { name: ctx.campaignName },
  };
}

const HREF = /(<a\b[^>]*?\shref\s*=\s*)("([^"]*)"|'([^']*)')/gi;

class CompiledEmail implements CompiledCampaignTemplate {
  readonly channel = 'email' as const;

  constructor(
    private readonly html: Liquid,
    private readonly plain: Liquid,
    private readonly urls: TrackingUrls,
    private readonly content: EmailContent,
    private readonly parts: Map<string, Template[]>,
    private readonly ctx: CompileContext,
  ) {}

  renderEmail(lead: RenderLead, recipient: { id: string; campaignId: string }, options: RenderEmailOptions = {}) {
    const tracking = (options.tracking ?? true) && !options.test;
    const token = this.urls.tokens.sign(recipient.id);
    const unsubscribeUrl = this.urls.unsubscribeUrl(token);
    const scope = { ...baseScope(lead, this.ctx), unsubscribeUrl };

    // No line breaks in a header, whatever the data.
    const subject = this.renderPart('email.subject', this.plain, scope)
      .replace(/\s*[\r\n]+\s*/g, ' ')
      .trim();
    let body = this.renderPart('email.html', this.html, scope);
    const text = this.parts.has('email.text') ? this.renderPart('email.text', this.plain, scope) : htmlToText(body);
    const preheader = this.parts.has('email.preheader')
      ? this.renderPart('email.preheader', this.html, scope).trim()
      : '';
    if (tracking) body = this.trackLinks(body, token, unsubscribeUrl);
    if (preheader) body = insertPreheader(body, preheader);
    if (tracking) body = insertBeforeBodyEnd(body, openPixel(this.urls.openUrl(token)));

    const result: RenderedEmail = {
      subject,
      html: body,
      text,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      messageId: this.urls.messageId(recipient.id),
    };
    return result;
  }

  renderWhatsApp(): RenderedWhatsApp {
    throw new Error('this template is an email template');
  }

  private renderPart(field: string, engine: Liquid, scope: object): string {
    const templates = this.parts.get(field);
    return templates ? String(engine.renderSync(templates, scope)) : '';
  }

  /** http(s) links only; mailto:, tel:, anchors and the unsubscribe link stay as they are. */
  private trackLinks(html: string, token: string, unsubscribeUrl: string): string {
    const unsubscribePrefix = `${this.urls.baseUrl}/u/`;
    return html.replace(HREF, (whole, start: string, _quoted: string, dq?: string, sq?: string) => {
      const url = decodeEntities((dq ?? sq ?? '').trim());
      if (!isHttpUrl(url) || url === unsubscribeUrl || url.startsWith(unsubscribePrefix)) return whole;
      return `${start}"${escapeHtml(this.urls.clickUrl(token, url))}"`;
    });
  }
}

function openPixel(url: string): string {
  return `<img src="${escapeHtml(url)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" />`;
}

function insertBeforeBodyEnd(html: string, fragment: string): string {
  const end = html.toLowerCase().lastIndexOf('</body');
  return end === -1 ? html + fragment : html.slice(0, end) + fragment + html.slice(end);
}

/** Preview text shown by mail clients next to the subject, hidden in the message itself. */
function insertPreheader(html: string, preheader: string): string {
  const hidden =
    `<div data-preheader style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">` +
    `${preheader}${'&#847;&zwnj;&nbsp;'.repeat(20)}</div>`;
  const body = /<body\b[^>]*>/i.exec(html);
  if (!body) return hidden + html;
  const at = body.index + body[0].length;
  return html.slice(0, at) + hidden + html.slice(at);
}

class CompiledWhatsApp implements CompiledCampaignTemplate {
  readonly channel = 'whatsapp' as const;

  constructor(
    private readonly plain: Liquid,
    private readonly content: WhatsAppContent,
    private readonly parts: Map<string, Template[]>,
    private readonly ctx: CompileContext,
  ) {}

  renderEmail(): RenderedEmail {
    throw new Error('this template is a WhatsApp template');
  }

  renderWhatsApp(lead: RenderLead): RenderedWhatsApp {
    const scope = baseScope(lead, this.ctx);
    const render = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) =>
        // The Cloud API refuses parameters with new lines, tabs or more than 4 spaces in a row.
        whatsAppParameter(String(this.plain.renderSync(this.parts.get(`${prefix}[${i}]`) ?? [], scope))),
      );
    const bodyParameters = render('whatsapp.bodyParameters', this.content.bodyParameters.length);
    const headerParameters = render('whatsapp.headerParameters', this.content.headerParameters?.length ?? 0);
    const previewText = this.content.previewText
      ? this.content.previewText.replace(
          /\{\{\s*(\d+)\s*\}\}/g,
          (whole, n: string) => bodyParameters[Number(n) - 1] ?? whole,
        )
      : null;
    return { bodyParameters, headerParameters, previewText };
  }
}

export function whatsAppParameter(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {5,}/g, '    ')
    .trim();
}
