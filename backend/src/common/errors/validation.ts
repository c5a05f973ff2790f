import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationProblem } from './problem';

/** Flattens nested class-validator errors into `a.b[0].c`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      constraint,
      reason:
        constraint === 'whitelistValidation'
          ? 'is not an accepted field'
          : message.replace(new RegExp(`^${error.property} `), ''),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * A cheap parse of a hot GET query string into its DTO: the DTO the
 * ValidationPipe would produce, or undefined whenever the query is anything
 * but plainly valid (unknown keys, repeated or odd values). Undefined is not
 * a rejection: the query then takes the full pipe, which gives the usual
 * problem+json errors. So a fast parser may only ever accept.
 */
export type FastQueryParser<T> = (query: Readonly<Record<string, unknown>>) => T | undefined;

const fastQueryParsers = new Map<Type<unknown>, FastQueryParser<unknown>>();

/** Registers the fast parser of query DTO `type` (see FastQueryParser). */
export function registerFastQueryParser<T>(type: Type<T>, parse: FastQueryParser<T>): void {
  fastQueryParsers.set(type, parse);
}

/** Meridian's global pipe: class-validator, plus the fast parsers of hot query strings. */
class MeridianValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && metadata.metatype && typeof value === 'object' && value !== null) {
      const parsed = fastQueryParsers.get(metadata.metatype)?.(value as Record<string, unknown>);
      if (parsed !== undefined) return parsed;
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new MeridianValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
