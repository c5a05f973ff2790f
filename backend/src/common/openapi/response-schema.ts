import type { Type } from '@nestjs/common';

/** What @nestjs/swagger's @ApiProperty stores on a DTO's prototype. */
interface PropertyMeta {
  type?: unknown;
  isArray?: boolean;
  nullable?: boolean;
  items?: { type?: unknown };
  additionalProperties?: unknown;
}

export type JsonSchema = Record<string, unknown>;

const PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const PROPERTIES = 'swagger/apiModelProperties';
const SCALARS: Record<string, string> = { string: 'string', number: 'number', integer: 'integer', boolean: 'boolean' };

function isClass(fn: unknown): fn is Type<unknown> {
  return typeof fn === 'function' && fn.prototype !== undefined && fn !== Object;
}

function typeSchema(type: unknown, meta: PropertyMeta, where: string): JsonSchema {
  if (type === String || type === Date) return { type: 'string' };
  if (type === Number) return { type: 'number' };
  if (type === Boolean) return { type: 'boolean' };
  if (typeof type === 'string' && SCALARS[type]) return { type: SCALARS[type] };
  if (type === 'object' || type === Object) {
    // Free-form objects (custom fields, event data): serialized as JSON.stringify would.
    if (meta.additionalProperties === true) return { type: 'object', additionalProperties: true };
    throw new Error(`${where}: an object needs additionalProperties: true or a DTO class`);
  }
  if (type === 'array' && meta.items?.type) return { type: 'array', items: typeSchema(meta.items.type, {}, where) };
  if (isClass(type) && type !== String) return responseSchemaOf(type);
  if (typeof type === 'function') return typeSchema((type as () => unknown)(), meta, where); // lazy: () => Dto
  throw new Error(`${where}: no response schema for type ${String(type)}`);
}

/**
 * The JSON schema of a response DTO, read from its @ApiProperty metadata, for
 * Fastify's response serializer (fast-json-stringify): one compiled function
 * per route instead of JSON.stringify. Every property is listed (the
 * serializer writes nothing else), nullable ones also accept null. Types it
 * cannot express throw at startup rather than serialize wrongly.
 */
export function responseSchemaOf(dto: Type<unknown>): JsonSchema {
  const proto = dto.prototype as object;
  const keys = (Reflect.getMetadata(PROPERTIES_ARRAY, proto) as string[] | undefined) ?? [];
  if (keys.length === 0) throw new Error(`${dto.name} has no @ApiProperty: no response schema`);
  const properties: Record<string, JsonSchema> = {};
  for (const key of keys.map((k) => k.slice(1))) {
    const meta = (Reflect.getMetadata(PROPERTIES, proto, key) ?? {}) as PropertyMeta;
    const where = `${dto.name}.${key}`;
    const type: unknown = meta.type ?? Reflect.getMetadata('design:type', proto, key);
    let schema = typeSchema(type, meta, where);
    if (meta.isArray && type !== 'array') schema = { type: 'array', items: schema };
    if (meta.nullable) {
      // A type list is a null check for the serializer; anyOf would run a schema validation per value.
      schema =
        typeof schema.type === 'string' && schema.type !== 'object' && schema.type !== 'array'
          ? { ...schema, type: [schema.type, 'null'] }
          : { anyOf: [schema, { type: 'null' }] };
    }
    properties[key] = schema;
  }
  return { type: 'object', properties };
}
