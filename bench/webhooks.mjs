// Inbound WhatsApp webhook throughput (issue 11), printed as JSON. Needs PostgreSQL
// (DATABASE_URL, or the local default); REDIS_URL is passed on when set (live events then
// go through Redis pub/sub, as in production). A fresh database gets the migrations and an
// owner; then, at C connections for D seconds, every request is one signed Meta webhook
// with one new text message (unique wamid) from one of S senders:
//  - Meridian: POST /api/webhooks/whatsapp (signature check, replay keys, conversation,
//    lead on a sender's first message, timeline entry, live event),
//  - bare Fastify + pg in the same run: JSON parse + one INSERT per message.
// Messages/s persisted = rows in the table at the end / duration (not just 200 answers).
// Usage: npm run build && node bench/webhooks.mjs [--duration 10] [--connections 16] [--senders 500]
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import {
  createDatabase,
  freePort,
  numberArg,
  print,
  requireBuild,
  root,
  sleep,
  startApi,
  stop,
  tempDir,
} from './lib.mjs';

const duration = numberArg('duration', 10);
const connections = numberArg('connections', 16);
const senders = numberArg('senders', 500);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const APP_SECRET = 'bench-app-secret-0123';
const PHONE_ID = '106540352242922';

let seq = 0;
/** One Meta webhook with one new message, signed like Meta signs it. */
function nextWebhook() {
  seq += 1;
  const from = `4915${String(10_000_000 + (seq % senders)).padStart(9, '0')}`;
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: `Customer ${seq % senders}` }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.${randomBytes(18).toString('base64url')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `Message ${seq}: is the offer still on?` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { body, signature: `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` };
}

async function run(url) {
  const { default: autocannon } = await import('autocannon');
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const { body, signature } = nextWebhook();
              return {
                ...req,
                body,
                headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
              };
            },
          },
        ],
      },
      (err, r) =>
        err
          ? reject(err)
          : resolve({
              requestsPerSec: Math.round(r.requests.average),
              p50Ms: r.latency.p50,
              p99Ms: r.latency.p99,
              non2xx: r.non2xx,
              errors: r.errors,
            }),
    );
  });
}

async function count(dbUrl, sql) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const [{ n }] = (await client.query(sql)).rows;
  await client.end();
  return Number(n);
}

requireBuild();
const db = await createDatabase(adminUrl);
const data = tempDir('meridian-bench-webhooks-');
const result = { settings: { duration, connections, senders, redis: Boolean(process.env.REDIS_URL) } };
let api;
try {
  api = await startApi({
    DATA_DIR: data.dir,
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'bench-owner@example.com',
    ADMIN_PASSWORD: 'bench-password-0123',
    DATABASE_URL: db.url,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    DB_MIGRATE_ON_START: 'true',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_ACCESS_TOKEN: 'bench-token-not-used-0123456789',
  });
  // Warm-up: first messages of every sender (leads and conversations exist afterwards, as in steady state).
  const warm = seq;
  for (let i = 0; i < senders; i++) {
    const { body, signature } = nextWebhook();
    await fetch(`${api.url}/api/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
  }
  const before = await count(db.url, 'SELECT count(*) AS n FROM conversation_messages');
  if (before !== seq - warm) throw new Error(`warm-up stored ${before} of ${seq - warm} messages`);
  const meridianLoad = await run(`${api.url}/api/webhooks/whatsapp`);
  const stored = (await count(db.url, 'SELECT count(*) AS n FROM conversation_messages')) - before;
  const leads = await count(db.url, "SELECT count(*) AS n FROM leads WHERE source = 'whatsapp'");
  await api.stop();
  api = undefined;

  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(
    `CREATE TABLE bare_messages (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), wamid text UNIQUE, sender text, body text, created_at timestamptz DEFAULT now())`,
  );
  await setup.end();
  const port = await freePort();
  const bare = spawn(process.execPath, [join(root, 'bench/bare-webhook.mjs')], {
    env: { PATH: process.env.PATH, PORT: String(port), DATABASE_URL: db.url },
    stdio: 'ignore',
  });
  await sleep(1_000);
  const bareLoad = await run(`http://127.0.0.1:${port}/webhook`);
  const bareStored = await count(db.url, 'SELECT count(*) AS n FROM bare_messages');
  await stop(bare);

  const meridianPerSec = +(stored / duration).toFixed(1);
  const barePerSec = +(bareStored / duration).toFixed(1);
  result.meridian = {
    ...meridianLoad,
    messagesPersisted: stored,
    messagesPerSec: meridianPerSec,
    whatsappLeads: leads,
  };
  result.bareFastifyPg = { ...bareLoad, messagesPersisted: bareStored, messagesPerSec: barePerSec };
  result.ratio = +(meridianPerSec / barePerSec).toFixed(3);
} finally {
  if (api) await api.stop();
  data.remove();
  await db.drop();
}
print(result);
