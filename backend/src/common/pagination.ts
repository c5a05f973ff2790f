import { HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SelectQueryBuilder } from 'typeorm';
import { ProblemException } from './errors/problem';

export const MAX_PAGE_SIZE = 200;

/** Query of every keyset-paginated list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

/** Opaque cursor: base64url of the sort key values of the last row. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string')) {
      return values;
    }
  } catch {
    /* fall through */
  }
  throw invalidCursor();
}

/** The 400 of a cursor that no list of this kind produced. */
export function invalidCursor(): ProblemException {
  return new ProblemException(
    HttpStatus.BAD_REQUEST,
    'validation_failed',
    'cursor: is not a cursor this list produced',
    {
      errors: [{ field: 'cursor', reason: 'is not a cursor this list produced' }],
    },
  );
}

export class PageMetaDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page.',
  })
  nextCursor: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset pagination on (created_at, id) of `alias` (created_at with precision 3): the query must already
 * hold its filters; this adds the order, the cursor condition and the limit.
 * Needs an index on (organization_id, created_at, id).
 */
export async function pageByCreation<T extends { createdAt: Date; id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  order: 'ASC' | 'DESC',
  limit: number,
  cursor?: string,
): Promise<Page<T>> {
  qb.orderBy(`${alias}.created_at`, order)
    .addOrderBy(`${alias}.id`, order)
    .limit(limit + 1);
  if (cursor) {
    const [createdAt, id] = decodeCursor(cursor, 2);
    const op = order === 'ASC' ? '>' : '<';
    // A row comparison: exact (created_at has millisecond precision, like the cursor) and index-friendly.
    qb.andWhere(`(${alias}.created_at, ${alias}.id) ${op} (:cursorAt::timestamptz, :cursorId::uuid)`, {
      cursorAt: createdAt,
      cursorId: id,
    });
  }
  const rows = await qb.getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}
