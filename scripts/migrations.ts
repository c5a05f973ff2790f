/**
 * Compares entities with the schema that the migrations build, on a scratch
 * database (a throwaway PGlite, or DATABASE_URL when set: use a disposable one).
 *
 *   check                 exit 1 and print the SQL when entities and migrations disagree
 *   generate <Name>       write backend/src/database/migrations/<timestamp>-<Name>.ts
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../backend/src/database/data-source-options';
import { startEmbeddedPostgres } from '../backend/src/database/embedded-postgres';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command !== 'check' && !(command === 'generate' && name && /^[A-Za-z][A-Za-z0-9]*$/.test(name))) {
    process.stderr.write('usage: migrations check | migrations generate <PascalCaseName>\n');
    process.exit(2);
  }
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-migrations-'));
  const embedded = await startEmbeddedPostgres(scratchDir);
  const dataSource = new DataSource({ ...dataSourceOptions(embedded.url, 1), logging: false });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (command === 'check') {
      if (sql.upQueries.length === 0) {
        process.stdout.write('Entities and migrations agree.\n');
        return;
      }
      process.stderr.write(
        'Entities and migrations disagree. Run `npm run migration:generate -- <Name>`. Missing SQL:\n',
      );
      for (const q of sql.upQueries) process.stderr.write(`  ${q.query};\n`);
      process.exitCode = 1;
      return;
    }
    if (sql.upQueries.length === 0) {
      process.stdout.write('No changes: nothing to generate.\n');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const lines = (queries: { query: string; parameters?: unknown[] }[]) =>
      queries
        .map(
          (q) =>
            `    await queryRunner.query(${JSON.stringify(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`,
        )
        .join('\n');
    const file = path.join(__dirname, '..', 'backend', 'src', 'database', 'migrations', `${timestamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(sql.upQueries)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines([...sql.downQueries].reverse())}
  }
}
`,
    );
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded.stop();
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

void main();
