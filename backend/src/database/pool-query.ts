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

/** Statements prepared by name, by text: at most PREPARED_MAX, as each connection keeps them for good. */
const prepared = new Map<string, string>();
const PREPARED_MAX = 64;
/** `cached plan must not change result type`, `prepared statement does not exist`. */
const STALE_PLAN = new Set(['0A000', '26000']);
let preparing = true;

/** The name to prepare `text` under, while there is room for one more statement. */
function statementName(text: string): string | undefined {
  let name = prepared.get(text);
  if (!name && prepared.size < PREPARED_MAX) prepared.set(text, (name = `meridian_hot_${prepared.size}`));
  return name;
}

/**
 * One read-only statement straight on the pool, for hot read paths: no
 * QueryRunner, timestamptz columns come back as ISO strings. Timed in
 * db_query_duration_seconds like every TypeORM query. `prepare`: the
 * statement is parsed and planned once per connection, not on every call;
 * only for the few statement texts that recur (not one per filter
 * combination) and whose plan does not depend on the values.
 */
export async function queryIsoRows<T extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: unknown[],
  options: { prepare?: boolean } = {},
): Promise<T[]> {
  const started = performance.now();
  let success = false;
  try {
    const name = options.prepare && preparing ? statementName(text) : undefined;
    let rows: T[];
    try {
      ({ rows } = await pool.query<T>({ name, text, values, types: ISO_TIMESTAMP_TYPES }));
    } catch (err) {
      // A migration changed a table under a prepared plan (a rolling deploy): PostgreSQL refuses
      // the old plan on that connection for good. Stop preparing in this process; run it plainly.
      if (!name || !STALE_PLAN.has((err as { code?: string }).code ?? '')) throw err;
      preparing = false;
      ({ rows } = await pool.query<T>({ text, values, types: ISO_TIMESTAMP_TYPES }));
    }
    success = true;
    return rows;
  } finally {
    dbQueryDuration.observe(
      { operation: sqlOperation(text), success: String(success) },
      (performance.now() - started) / 1000,
    );
  }
}
