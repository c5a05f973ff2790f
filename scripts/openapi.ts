/**
 * Writes libs/api-client/openapi.json from the app's decorators, without
 * connecting to anything or listening (Nest preview mode), with stable key
 * order so the committed file only changes when the API does.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppModule } from '../backend/src/app.module';
import { AppConfig } from '../backend/src/config/app-config';
import { buildOpenApiDocument, undocumentedOperations } from '../backend/src/openapi';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

async function main(): Promise<void> {
  // The spec must not depend on the machine: fixed, feature-complete config.
  const config = AppConfig.load({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const document = buildOpenApiDocument(app);
  const undocumented = undocumentedOperations(document);
  if (undocumented.length > 0)
    throw new Error(
      `Every operation needs @ApiOperation({ operationId, summary, description }) and an @ApiTags tag declared in API_TAGS (backend/src/openapi.ts):\n  ${undocumented.join('\n  ')}`,
    );
  const operationIds = new Map<string, string>();
  for (const [route, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { operationId?: string }>)) {
      if (!op?.operationId) continue;
      const other = operationIds.get(op.operationId);
      if (other)
        throw new Error(
          `operationId "${op.operationId}" is used by ${other} and ${method.toUpperCase()} ${route}: method names must be unique`,
        );
      operationIds.set(op.operationId, `${method.toUpperCase()} ${route}`);
    }
  }
  const out = path.join(__dirname, '..', 'libs', 'api-client', 'openapi.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(sortKeys(document), null, 2)}\n`);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), out)} (${operationIds.size} operations)\n`);
  await app.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
