// The baseline for bench/leads.mjs: bare Fastify + pg serving the same SQL as
// GET /api/leads (no auth, validation, DTOs or logging), same pool size.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const org = process.env.ORG_ID;
const COLUMNS =
  'id, first_name, last_name, email, phone, company, title, source, status, score, owner_id, tags, custom_fields, consent_email, consent_whatsapp, unsubscribed_at, created_at, updated_at';
const TSV =
  "to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))";

const app = Fastify({ logger: false });
app.get('/leads', async (req) => {
  const { cursor, q, status } = req.query;
  const params = [org];
  let where = 'organization_id = $1 AND deleted_at IS NULL';
  if (status) {
    params.push(status);
    where += ` AND status = $${params.length}`;
  }
  if (q) {
    params.push(
      q
        .split(/\s+/)
        .map((w) => `${w}:*`)
        .join(' & '),
    );
    where += ` AND ${TSV} @@ to_tsquery('simple', $${params.length})`;
  }
  if (cursor) {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    params.push(at, id);
    where += ` AND (created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM leads WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 51`,
    params,
  );
  return { items: rows.slice(0, 50), nextCursor: null };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
