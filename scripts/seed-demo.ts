/**
 * Fills the first organization with realistic demo leads, in batches of
 * generated SQL (fast enough for a million rows).
 *   npm run seed:demo                      2,000 leads
 *   npm run seed:demo -- --leads 1000000   for benchmarks
 * Uses DATABASE_URL, or the embedded database under DATA_DIR (stop the app first).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../backend/src/config/app-config';
import { dataSourceOptions } from '../backend/src/database/data-source-options';
import { startEmbeddedPostgres } from '../backend/src/database/embedded-postgres';

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Femi',
  'Grace',
  'Hiro',
  'Inès',
  'Jonas',
  'Kavya',
  'Lucas',
  'Mei',
  'Noah',
  'Olga',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomás',
];
const LAST = [
  'Lima',
  'Okafor',
  'Dubois',
  'Ivanov',
  'Yılmaz',
  'Adeyemi',
  'Hopper',
  'Tanaka',
  'Moreau',
  'Berg',
  'Nair',
  'Silva',
  'Chen',
  'Schmidt',
  'Novak',
  'Patel',
  'Roux',
  'García',
  'Lund',
  'Costa',
];
const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark Industries',
  'Wayne Enterprises',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
];
const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

async function main(): Promise<void> {
  const i = process.argv.indexOf('--leads');
  const total = i > 0 ? Number(process.argv[i + 1]) : 2_000;
  if (!Number.isInteger(total) || total < 1 || total > 10_000_000)
    throw new Error('--leads must be a whole number from 1 to 10,000,000');
  const config = AppConfig.load();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const ds = new DataSource({
    ...dataSourceOptions(config.databaseUrl ?? (embedded as { url: string }).url, 1),
    logging: false,
  });
  await ds.initialize();
  try {
    await ds.runMigrations();
    const [org] = await ds.query<{ id: string }[]>('SELECT id FROM organizations ORDER BY created_at LIMIT 1');
    if (!org) throw new Error('No organization yet: start Meridian once so it creates the first one.');
    const started = Date.now();
    const batch = 50_000;
    for (let done = 0; done < total; done += batch) {
      const n = Math.min(batch, total - done);
      await ds.query(
        `INSERT INTO leads (organization_id, first_name, last_name, email, phone, company, title, source, status, score, tags, consent_email, created_at, updated_at)
         SELECT $1,
                (${sqlArray(FIRST)})[1 + (g % 20)],
                (${sqlArray(LAST)})[1 + ((g / 20) % 20)],
                'lead' || g || '.' || $3 || '@' || lower(replace((${sqlArray(COMPANIES)})[1 + (g % 10)], ' ', '')) || '.example',
                CASE WHEN g % 3 = 0 THEN '+4420' || lpad((7900000 + g % 99999)::text, 8, '0') END,
                (${sqlArray(COMPANIES)})[1 + (g % 10)],
                (ARRAY['CEO','CTO','Head of Marketing','Buyer','Engineer'])[1 + (g % 5)],
                (ARRAY['web','import','api','whatsapp','referral','campaign','other'])[1 + (g % 7)],
                (ARRAY['new','contacted','qualified','converted','lost'])[1 + ((g / 7) % 5)],
                (g * 37) % 101,
                CASE WHEN g % 4 = 0 THEN ARRAY['vip'] WHEN g % 4 = 1 THEN ARRAY['emea'] ELSE '{}' END,
                g % 2 = 0,
                now() - ((g % 1000000) || ' seconds')::interval,
                now() - ((g % 500000) || ' seconds')::interval
           FROM generate_series($2::bigint, $2::bigint + $4 - 1) AS g`,
        [org.id, done, Date.now().toString(36), n],
      );
      process.stdout.write(`\r${(done + n).toLocaleString()} / ${total.toLocaleString()} leads`);
    }
    await ds.query('ANALYZE leads');
    process.stdout.write(
      `\nSeeded ${total.toLocaleString()} leads in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
