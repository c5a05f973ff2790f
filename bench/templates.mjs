// Campaign template rendering (issue 9), printed as JSON: how many personalised emails one
// process renders per second from one compiled template (the sender compiles once per
// campaign). A typical email: ~4 KB of table HTML, 8 variables with fallbacks, a custom field,
// 6 links (rewritten to signed click URLs), the open pixel, the preheader, the text part derived
// from the HTML, the List-Unsubscribe headers. Also: the same email with an explicit text part,
// and a WhatsApp template. No database, no network.
// Usage: npm run build:backend && node bench/templates.mjs [--renders 20000]
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { numberArg, print, root } from './lib.mjs';

const require = createRequire(import.meta.url);
const dist = (p) => join(root, 'dist/backend', p);
let CampaignTemplatesService, TrackingTokens, TrackingUrls;
try {
  ({ CampaignTemplatesService } = require(dist('modules/campaigns/templates/campaign-templates.service.js')));
  ({ TrackingTokens, TrackingUrls } = require(dist('modules/tracking/tracking-tokens.js')));
} catch {
  throw new Error('dist/backend is missing or old: run `npm run build:backend` first');
}

const renders = numberArg('renders', 20_000);
const service = new CampaignTemplatesService(
  new TrackingUrls(new TrackingTokens('bench-secret-0123456789abcdef'), 'https://mail.example.com'),
);
const ctx = { organizationName: 'Acme', campaignName: 'Spring sale', customFieldKeys: ['plan', 'region'] };

const row = (i) => `<tr><td style="padding:8px 24px;font-family:Arial,sans-serif;font-size:15px;color:#333">
  <p>Offer {{ forloop.index }}: our {{ custom.plan | default: "starter" | capitalize }} plan for {{ company | default: "your team" }}.</p>
  <p><a href="https://shop.example.com/offers/${i}?utm_source=meridian&amp;utm_campaign=spring" style="color:#3b5bdb">See offer ${i}</a></p>
</td></tr>`;
const html = `<!doctype html><html><head><meta charset="utf-8"><title>{{ campaign.name }}</title>
<style>body{margin:0}</style></head><body style="background:#f4f4f4">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#fff">
<tr><td style="padding:24px"><h1 style="font-family:Arial,sans-serif">Hello {{ firstName | default: "there" }},</h1>
<p>{{ organization.name }} has news for {{ fullName | default: "you" }} in {{ custom.region | default: "your region" }}.</p></td></tr>
{% for i in (1..5) %}${row('{{ i }}')}{% endfor %}
<tr><td style="padding:24px"><a href="https://acme.example.com">acme.example.com</a> ·
<a href="mailto:hello@acme.example.com">hello@acme.example.com</a></td></tr>
<tr><td style="padding:24px;font-size:12px;color:#777">You get this because {{ email }} subscribed.
<a href="{{ unsubscribeUrl }}">Unsubscribe</a></td></tr>
</table></td></tr></table></body></html>`;

const lead = (i) => ({
  id: randomUUID(),
  firstName: i % 7 === 0 ? null : `First${i}`,
  lastName: `Last${i}`,
  email: `lead${i}@example.com`,
  phone: '+4915112345678',
  company: i % 3 === 0 ? null : `Company <${i}> & Co`,
  title: null,
  source: 'web',
  status: 'new',
  customFields: { plan: i % 2 ? 'pro' : null, region: 'EMEA' },
});
const leads = Array.from({ length: 1000 }, (_, i) => lead(i));
const recipients = Array.from({ length: 1000 }, () => ({ id: randomUUID(), campaignId: randomUUID() }));

function measure(name, renderOne) {
  for (let i = 0; i < 3000; i++) renderOne(i); // warm-up (JIT)
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < renders; i++) bytes += renderOne(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name,
    renders,
    seconds: +seconds.toFixed(3),
    rendersPerSecond: Math.round(renders / seconds),
    avgBytes: Math.round(bytes / renders),
  };
}

const compileStarted = process.hrtime.bigint();
const email = service.compile(
  'email',
  {
    subject: '{{ firstName | default: "Hi" }}, spring offers from {{ organization.name }}',
    preheader: 'Up to 30% for {{ company | default: "you" }}',
    html,
    text: null,
  },
  ctx,
);
const compileMs = Number(process.hrtime.bigint() - compileStarted) / 1e6;
const withText = service.compile(
  'email',
  {
    subject: 'Offers for {{ firstName | default: "you" }}',
    html,
    text: 'Hello {{ firstName | default: "there" }}, see {{ unsubscribeUrl }}',
  },
  ctx,
);
const whatsapp = service.compile(
  'whatsapp',
  {
    templateName: 'spring_offer',
    language: 'en',
    bodyParameters: ['{{ firstName | default: "there" }}', '{{ custom.plan | default: "starter" | upcase }}'],
  },
  ctx,
);

const sizeOf = (m) => m.html.length + m.text.length + m.subject.length;
print({
  benchmark: 'templates',
  node: process.version,
  // Figures scale with the free CPU: read them next to the load when this ran.
  cpus: cpus().length,
  loadAverage1m: +loadavg()[0].toFixed(2),
  compileMs: +compileMs.toFixed(2),
  results: [
    measure('email (derived text part, tracking on)', (i) =>
      sizeOf(email.renderEmail(leads[i % 1000], recipients[i % 1000])),
    ),
    measure('email (explicit text part, tracking on)', (i) =>
      sizeOf(withText.renderEmail(leads[i % 1000], recipients[i % 1000])),
    ),
    measure('email (preview: tracking off)', (i) =>
      sizeOf(email.renderEmail(leads[i % 1000], recipients[i % 1000], { tracking: false })),
    ),
    measure('whatsapp', (i) => whatsapp.renderWhatsApp(leads[i % 1000]).bodyParameters.join('').length),
  ],
});
