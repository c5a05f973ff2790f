import { randomUUID } from 'node:crypto';
import { ValidationProblem } from '../../../common/errors/problem';
import { TrackingTokens, TrackingUrls } from '../../tracking/tracking-tokens';
import type { EmailContent, RenderLead, WhatsAppContent } from './campaign-template.types';
import { CampaignTemplatesService, levenshtein, suggest } from './campaign-templates.service';

const BASE = 'https://mail.example.com';
const tokens = new TrackingTokens('a-test-secret-that-is-long-enough');
const urls = new TrackingUrls(tokens, BASE);
const service = new CampaignTemplatesService(urls);
const ctx = { organizationName: 'Acme & Co', campaignName: 'Spring', customFieldKeys: ['plan', 'renewal_date'] };

const lead: RenderLead = {
  id: randomUUID(),
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  phone: '+4915112345678',
  company: '<Analytical> Engines',
  title: null,
  source: 'web',
  status: 'new',
  customFields: { plan: 'pro' },
};
const recipient = { id: randomUUID(), campaignId: randomUUID() };

const email = (over: Partial<EmailContent> = {}): EmailContent => ({
  subject: 'Hello {{ firstName }}',
  html: '<html><body><p>Hi {{ firstName }}</p></body></html>',
  text: null,
  ...over,
});

describe('CampaignTemplatesService.validate', () => {
  it('accepts the documented variables, custom fields and fallbacks', () => {
    const errors = service.validate(
      'email',
      email({
        subject: '{{ firstName | default: "there" }}, news from {{ organization.name }}',
        html: '<p>{{ fullName }} {{ custom.plan | upcase }} {{ custom.renewal_date | default: "soon" }} {{ campaign.name }}</p><a href="{{ unsubscribeUrl }}">unsubscribe</a>',
      }),
      ctx.customFieldKeys,
    );
    expect(errors).toEqual([]);
  });

  it('names the field and suggests the closest variable for a typo', () => {
    const errors = service.validate('email', email({ subject: 'Hi {{ frstName }}' }), []);
    expect(errors).toEqual([
      { field: 'email.subject', reason: 'unknown variable "frstName" (line 1, column 7): did you mean "firstName"?' },
    ]);
  });

  it('suggests a custom field and rejects unknown custom keys', () => {
    const errors = service.validate('email', email({ html: '<p>{{ custom.plna }}</p>' }), ['plan']);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('email.html');
    expect(errors[0].reason).toContain('did you mean "custom.plan"?');
  });

  it('reports syntax errors with line and column', () => {
    const errors = service.validate('email', email({ html: '<p>ok</p>\n  {% if firstName %}never closed' }), []);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('email.html');
    expect(errors[0].reason).toMatch(/not closed \(line 2, column 3\)/);
  });

  it('rejects unknown filters', () => {
    const errors = service.validate('email', email({ subject: '{{ firstName | defualt: "x" }}' }), []);
    expect(errors[0]).toMatchObject({ field: 'email.subject' });
    expect(errors[0].reason).toContain('undefined filter: defualt');
  });

  it.each(['{% include "secrets" %}', '{% render "x" %}', '{% layout "x" %}', '{% liquid\n include "x" %}'])(
    'refuses tags that read other templates or files: %s',
    (source) => {
      const errors = service.validate('email', email({ html: source }), []);
      expect(errors).toHaveLength(1);
      expect(errors[0].field).toBe('email.html');
      expect(errors[0].reason).toMatch(/is not allowed in campaign templates/);
    },
  );

  it('requires a subject and an HTML body', () => {
    expect(service.validate('email', email({ subject: ' ', html: '' }), [])).toEqual([
      { field: 'email.subject', reason: 'must not be empty' },
      { field: 'email.html', reason: 'must not be empty' },
    ]);
  });

  it('names the WhatsApp parameter by index; unsubscribeUrl is email only', () => {
    const content: WhatsAppContent = {
      templateName: 'spring_offer',
      language: 'en_US',
      bodyParameters: ['{{ firstName }}', '{{ compnay }}', '{{ unsubscribeUrl }}'],
    };
    const errors = service.validate('whatsapp', content, []);
    expect(errors.map((e) => e.field)).toEqual(['whatsapp.bodyParameters[1]', 'whatsapp.bodyParameters[2]']);
    expect(errors[0].reason).toContain('did you mean "company"?');
  });

  it('compile throws the same errors as a ValidationProblem', () => {
    expect(() => service.compile('email', email({ subject: '{{ nope }}' }), ctx)).toThrow(ValidationProblem);
  });
});

describe('CompiledCampaignTemplate.renderEmail', () => {
  it('escapes lead data in the HTML only, and uses fallbacks and custom fields', () => {
    const compiled = service.compile(
      'email',
      email({
        subject: '{{ company }} & {{ title | default: "friend" }}',
        html: '<body><p>{{ company }} / {{ custom.plan }} / {{ custom.renewal_date | default: "n/a" }} / {{ company | raw }}</p></body>',
      }),
      ctx,
    );
    const out = compiled.renderEmail(lead, recipient);
    expect(out.subject).toBe('<Analytical> Engines & friend');
    expect(out.html).toContain('<p>&lt;Analytical&gt; Engines / pro / n/a / &lt;Analytical&gt; Engines</p>');
    expect(out.text).toBe('<Analytical> Engines / pro / n/a / <Analytical> Engines');
  });

  it('rewrites http(s) links to signed click URLs, but not mailto: or the unsubscribe link', () => {
    const compiled = service.compile(
      'email',
      email({
        html:
          '<body><a href="https://shop.example.com/a?x=1&amp;y=2">Shop</a> <a href="mailto:help@example.com">Mail</a> ' +
          '<a href=\'{{ unsubscribeUrl }}\'>Unsubscribe</a> <a href="#top">Top</a> <a href="javascript:alert(1)">x</a></body>',
      }),
      ctx,
    );
    const out = compiled.renderEmail(lead, recipient);
    const token = tokens.sign(recipient.id);
    const click = /href="([^"]+)">Shop/.exec(out.html)?.[1] ?? '';
    const clickUrl = new URL(click.replace(/&#38;/g, '&'));
    expect(clickUrl.origin + clickUrl.pathname).toBe(`${BASE}/t/c/${token}`);
    expect(clickUrl.searchParams.get('u')).toBe('https://shop.example.com/a?x=1&y=2');
    expect(tokens.verifyClick(token, 'https://shop.example.com/a?x=1&y=2', clickUrl.searchParams.get('s') ?? '')).toBe(
      true,
    );
    expect(out.html).toContain('href="mailto:help@example.com"');
    expect(out.html).toContain(`href='${BASE}/u/${token}'`);
    expect(out.html).toContain('href="#top"');
    expect(out.html).toContain('href="javascript:alert(1)"');
  });

  it('adds the open pixel before </body>, the List-Unsubscribe headers and a deterministic Message-ID', () => {
    const compiled = service.compile('email', email(), ctx);
    const out = compiled.renderEmail(lead, recipient);
    const token = tokens.sign(recipient.id);
    expect(out.html).toMatch(new RegExp(`<img src="${BASE}/t/o/${token}" width="1" height="1" alt=""[^>]*/></body>`));
    expect(out.headers).toEqual({
      'List-Unsubscribe': `<${BASE}/u/${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(out.messageId).toBe(`<${recipient.id}@mail.example.com>`);
    expect(compiled.renderEmail(lead, recipient)).toEqual(out);
  });

  it('leaves links and the pixel alone without tracking (previews, test sends)', () => {
    const compiled = service.compile('email', email({ html: '<body><a href="https://x.example">x</a></body>' }), ctx);
    const out = compiled.renderEmail(lead, recipient, { test: true });
    expect(out.html).toBe('<body><a href="https://x.example">x</a></body>');
    expect(out.headers['List-Unsubscribe']).toBeDefined();
  });

  it('puts the preheader first in the body, hidden, and keeps it out of the text part', () => {
    const compiled = service.compile(
      'email',
      email({ preheader: 'Offer for {{ firstName }}', html: '<html><body class="x"><p>Body</p></body></html>' }),
      ctx,
    );
    const out = compiled.renderEmail(lead, recipient, { tracking: false });
    expect(out.html).toMatch(/^<html><body class="x"><div data-preheader style="display:none;[^"]*">Offer for Ada/);
    expect(out.text).toBe('Body');
  });

  it('derives the text part from the HTML: links as "text (url)", blocks as lines', () => {
    const compiled = service.compile(
      'email',
      email({
        html: `<html><head><style>p{color:red}</style></head><body>
          <h1>Hello   {{ firstName }}</h1>
          <p>Line one<br>line two &amp; more</p>
          <ul><li>First</li><li>Second</li></ul>
          <table><tr><td>A</td><td>B</td></tr></table>
          <p><a href="https://example.com/offer">See the offer</a> or <a href="https://example.com">https://example.com</a></p>
          <p><a href="{{ unsubscribeUrl }}">Unsubscribe</a></p>
        </body></html>`,
      }),
      ctx,
    );
    const out = compiled.renderEmail(lead, recipient);
    const token = tokens.sign(recipient.id);
    expect(out.text).toBe(
      [
        'Hello Ada',
        '',
        'Line one',
        'line two & more',
        '',
        '- First',
        '- Second',
        'A B',
        '',
        'See the offer (https://example.com/offer) or https://example.com',
        '',
        `Unsubscribe (${BASE}/u/${token})`,
      ].join('\n'),
    );
  });

  it('uses the given text part when there is one, unescaped', () => {
    const compiled = service.compile('email', email({ text: 'Hi {{ company }}' }), ctx);
    expect(compiled.renderEmail(lead, recipient).text).toBe('Hi <Analytical> Engines');
  });

  it('keeps header injection out of the subject', () => {
    const compiled = service.compile('email', email({ subject: 'Hi {{ custom.plan }}' }), ctx);
    const out = compiled.renderEmail({ ...lead, customFields: { plan: 'a\r\nBcc: x@evil.example' } }, recipient);
    expect(out.subject).toBe('Hi a Bcc: x@evil.example');
  });

  it('renders many recipients from one compiled template (micro-check of correctness)', () => {
    const compiled = service.compile(
      'email',
      email({ html: '<body><a href="https://e.example">{{ firstName }}</a></body>' }),
      ctx,
    );
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const outs = ids.map((id, i) => compiled.renderEmail({ ...lead, firstName: `N${i}` }, { id, campaignId: 'c' }));
    outs.forEach((out, i) => {
      expect(out.messageId).toBe(`<${ids[i]}@mail.example.com>`);
      expect(out.html).toContain(`>N${i}</a>`);
      expect(out.html).toContain(`/t/o/${tokens.sign(ids[i])}`);
    });
  });
});

describe('CompiledCampaignTemplate.renderWhatsApp', () => {
  it('renders the parameters without escaping, on one line, and fills the preview', () => {
    const compiled = service.compile(
      'whatsapp',
      {
        templateName: 'spring_offer',
        language: 'en',
        bodyParameters: ['{{ firstName | default: "there" }}', '{{ company }}\n{{ custom.plan }}'],
        headerParameters: ['{{ organization.name }}'],
        previewText: 'Hi {{1}}, {{2}} {{3}}',
      },
      ctx,
    );
    expect(compiled.renderWhatsApp({ ...lead, firstName: null })).toEqual({
      bodyParameters: ['there', '<Analytical> Engines pro'],
      headerParameters: ['Acme & Co'],
      previewText: 'Hi there, <Analytical> Engines pro {{3}}',
    });
  });
});

describe('suggestions', () => {
  it('measures edit distance and picks a close name only', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(suggest('first_name', ['firstName', 'lastName'])).toBe('firstName');
    expect(suggest('zzzzzz', ['firstName', 'lastName'])).toBeNull();
  });
});
