/** Anything TypeORM can run SQL on: a DataSource, an EntityManager, a QueryRunner. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * The rows of a statement. TypeORM's postgres driver answers an UPDATE or
 * DELETE with `[rows, rowCount]` and anything else with the rows: this
 * always gives the rows (RETURNING, or a final SELECT of a CTE).
 */
export async function queryRows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await q.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return result as T[];
}
