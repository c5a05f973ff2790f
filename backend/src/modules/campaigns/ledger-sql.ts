/** SQL shared by the ledger's writers: rank of a status, and the counter moves of a batch of changed rows. */

/** Delivery rank of `expr` (a recipient status): -1 for the terminal statuses. */
export function rankSql(expr: string): string {
  return `(CASE ${expr} WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'opened' THEN 4 WHEN 'clicked' THEN 5 ELSE -1 END)`;
}

/**
 * Counter deltas of rows moving from `before` to `after` (columns of the CTE
 * `rel`), as SET assignments of the campaigns row: each counter counts the
 * rows currently at or beyond its rank, or in its terminal status, so
 * total = queued + sending + sent + failed + bounced + skipped + cancelled.
 */
export function counterMoves(rel: string, before: string, after: string): string {
  const reach = (rank: number) =>
    `(SELECT count(*) FILTER (WHERE ${rankSql(after)} >= ${rank}) - count(*) FILTER (WHERE ${rankSql(before)} >= ${rank}) FROM ${rel})`;
  const into = (status: string) =>
    `(SELECT count(*) FILTER (WHERE ${after} = '${status}') - count(*) FILTER (WHERE ${before} = '${status}') FROM ${rel})`;
  return [
    `sent = sent + ${reach(2)}`,
    `delivered = delivered + ${reach(3)}`,
    `opened = opened + ${reach(4)}`,
    `clicked = clicked + ${reach(5)}`,
    `failed = failed + ${into('failed')}`,
    `bounced = bounced + ${into('bounced')}`,
    `skipped = skipped + ${into('skipped')}`,
    `cancelled = cancelled + ${into('cancelled')}`,
  ].join(', ');
}
