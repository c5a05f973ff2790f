// The baseline for bench/webhooks.mjs: bare Fastify + pg taking the same Meta webhook
// bodies (JSON parse, one INSERT per message; no signature check, replay keys, leads,
// timeline or live events), same pool size as the API's default.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });
app.post('/webhook', async (req) => {
  for (const entry of req.body.entry)
    for (const change of entry.changes)
      for (const m of change.value.messages ?? [])
        await pool.query(
          'INSERT INTO bare_messages (wamid, sender, body) VALUES ($1, $2, $3) ON CONFLICT (wamid) DO NOTHING',
          [m.id, m.from, m.text?.body ?? ''],
        );
  return { received: 1 };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
