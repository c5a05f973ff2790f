import type { Pool, QueryResultRow } from 'pg';
import { types } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { dbQueryDuration, sqlOperation } from '../observability/metrics';

const TIMESTAMPTZ_OID = 1184;
/** `2026-12-07 00:46:39.676123+00`: PostgreSQL's ISO output in a UTC session. */
type TextParser = (text: string) => unknown;
const defaultParser = types.getTypeParser as unknown as (oid: number, format: 'text' | 'binary') => TextParser;
const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/**
 * timestamptz text as the ISO 8601 string the API answers with (what
 * `new Date(text).toISOString()` gives, milliseconds truncated), without
 * making a Date: a list of 50 leads has 150 of them. Other offsets, BC dates
 * and infinity go the long way.
 */
export function isoTimestamp(text: string): string {
  const m = UTC_TIMESTAMP.exec(text);
  if (m) return `${m[1]}T${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}Z`;
  const parsed = defaultParser(TIMESTAMPTZ_OID, 'text')(text);
  return parsed instanceof Date && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : String(text);
}

/** pg type parsers with timestamptz as ISO strings (see isoTimestamp); everything else as usual. */
const ISO_TIMESTAMP_TYPES = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text'): TextParser =>
    oid === TIMESTAMPTZ_OID && format === 'text'
      ? isoTimestamp
      : defaultParser(oid, format)) as typeof types.getTypeParser,
};

/** The pg pool behind a TypeORM data source (PostgreSQL driver, no replication). */
export function poolOf(source: DataSource | EntityManager): Pool {
  const connection = 'connection' in source ? source.connection : source;
  return (connection.driver as unknown as { master: Pool }).master;
}

/**
 * One read-only statement straight on the pool, for hot read paths: no
 * QueryRunner, timestamptz columns come back as ISO strings. Timed in
 * db_query_duration_seconds like every TypeORM query.
 */
export async function queryIsoRows<T extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const started = performance.now();
  let success = false;
  try {
    const { rows } = await pool.query<T>({ text, values, types: ISO_TIMESTAMP_TYPES });
    success = true;
    return rows;
  } finally {
    dbQueryDuration.observe(
      { operation: sqlOperation(text), success: String(success) },
      (performance.now() - started) / 1000,
    );
  }
}
