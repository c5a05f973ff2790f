import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readPackageVersion } from './modules/system/version';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
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
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key (mk_...)' }, 'api-key')
    .build();
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
