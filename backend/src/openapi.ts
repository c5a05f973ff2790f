import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { readPackageVersion } from './modules/system/version';

/**
 * Every tag an operation may use (`@ApiTags`), with what API consumers find
 * there. A new area of the product adds its tag here.
 */
export const API_TAGS: Record<string, string> = {
  Auth: 'Sign-in, sessions (access token and refresh cookie), MFA and your own password.',
  Users: 'People of your organization: roles, deactivation, password resets.',
  'API keys': "Keys for other systems, limited to their creator's permissions; shown once, revocable.",
  Organization: 'Your organization: its name, its time zone and whether MFA is required.',
  Audit: 'Who changed what, when and from where.',
  Leads:
    'Leads: keyset-paginated lists with filters, the timeline, custom fields, duplicates and merge, imports, exports and bulk changes.',
  Tasks: 'Background tasks (imports, exports, bulk changes): progress, cancel, and the files they produce.',
  Assistant: 'The help assistant (Kapa.ai or the local docs): questions, feedback, status and insights.',
  Help: 'The documentation pages the assistant answers from.',
  System: 'Health of every service with measured latency, version and capabilities, connectivity checks.',
  Health: 'Liveness and readiness probes for orchestrators and load balancers (no authentication).',
  Campaigns:
    'Email and WhatsApp campaigns: drafts, audiences (segments and filters) with live counts, previews, test sends, scheduling, pause/resume/cancel, retry of failed recipients and the per-recipient ledger.',
  Channels:
    'How messages leave: the email and WhatsApp drivers in use, and the outbox that keeps them when no provider is configured.',
  Suppressions:
    'Addresses that must not be contacted on a channel (unsubscribes, hard bounces, complaints, manual entries), and bounce/complaint intake from a mail provider.',
  Tracking:
    'Public links inside sent emails: the open pixel, signed click redirects and the one-click unsubscribe page (RFC 8058). No authentication: the signed token is the credential.',
  Analytics:
    "The dashboard (KPIs with the previous period, daily series, pipeline funnel, conversion by source, top campaigns) and campaign reports, in the organization's time zone, from rollups refreshed every few seconds.",
  Webhooks:
    "Public endpoints providers call: Meta's WhatsApp Cloud API messages and status notifications, authenticated by their signature.",
  Conversations:
    'The inbox: WhatsApp and website widget conversations with leads, replies (text within the 24-hour window, templates outside it), assignment, close, and live events.',
  Widget:
    "The website chat widget: its settings (public key, allowed origins) and the public routes its script calls with the public key (lead capture, messages, answers from the help assistant's sources).",
};

/** Operations missing what every operation must have (see .spectral.yaml), as "METHOD /path: what". */
export function undocumentedOperations(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, OperationObject>)) {
      if (!HTTP_METHODS.has(method)) continue;
      const missing = [
        !op.operationId && 'operationId',
        !op.summary && 'summary',
        !op.description && 'description',
        !op.tags?.length && 'a tag',
      ].filter(Boolean);
      if (missing.length > 0) problems.push(`${method.toUpperCase()} ${route}: no ${missing.join(', ')}`);
      for (const tag of op.tags ?? []) {
        if (!(tag in API_TAGS))
          problems.push(`${method.toUpperCase()} ${route}: tag "${tag}" is not declared in API_TAGS`);
      }
    }
  }
  return problems;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Meridian API')
    .setDescription(
      'Leads, campaigns, analytics, the help assistant, and the health of the platform. ' +
        'Errors are RFC 9457 `application/problem+json` with a stable `code` and the `requestId`.',
    )
    .setVersion(readPackageVersion())
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT or API key',
      description: 'Access token from /api/auth/login, or an API key (mk_...)',
    })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key (mk_...)' }, 'api-key');
  for (const [name, description] of Object.entries(API_TAGS)) builder.addTag(name, description);
  const config = builder.build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
}

export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Meridian API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
