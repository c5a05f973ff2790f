import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `lead_audience`: what the audience count reads, one narrow row per live
 * lead (not deleted, not merged), kept by triggers in the same transaction
 * as the change to `leads` or `suppressions`.
 *
 * Why: the count scans every matching lead. A `leads` row is about 200 bytes
 * and the columns the count tests (deleted_at, merged_into_id, consent...)
 * sit behind the names, company, tags and custom fields, so PostgreSQL walks
 * every variable-length column of every row to reach them. Here the row is
 * about 115 bytes with the fixed-width columns first, and the address tests
 * (present, suppressed) are stored as booleans: no per-lead lookup of the
 * suppression list. Measured in bench/audience-count-sql.mjs.
 *
 * Kept in step by:
 *  - leads INSERT / UPDATE (statement triggers with the new rows): live rows
 *    upserted (unchanged ones are not rewritten), rows that stopped being
 *    live removed;
 *  - leads DELETE and TRUNCATE: their rows removed. (No foreign key: its
 *    check would lock every lead row as the copy is written, which made the
 *    backfill of a million leads and every import slower.)
 *  - suppressions INSERT / UPDATE / DELETE: the suppressed flags of the live
 *    leads with an affected address recomputed, found through the address
 *    indexes of `leads` (lower(email), phone).
 */
/** The copy's columns, in the order of the table. */
const COLUMNS = [
  'organization_id',
  'score',
  'has_email',
  'has_phone',
  'consent_email',
  'consent_whatsapp',
  'subscribed',
  'email_suppressed',
  'whatsapp_suppressed',
  'created_at',
  'lead_id',
  'owner_id',
  'status',
  'source',
  'tags',
];
/** What an upsert may change: every column but the lead and its organization. */
const CHANGING = COLUMNS.filter((c) => c !== 'lead_id' && c !== 'organization_id');

/** The copy of the lead rows aliased `x`, in COLUMNS order (its flags as the suppression list is now). */
const copyOf = (x: string) => `${x}.organization_id, ${x}.score, ${x}.email IS NOT NULL, ${x}.phone IS NOT NULL,
        ${x}.consent_email, ${x}.consent_whatsapp, ${x}.unsubscribed_at IS NULL,
        EXISTS (SELECT 1 FROM suppressions s
                WHERE s.organization_id = ${x}.organization_id AND s.channel = 'email' AND s.address = lower(${x}.email)),
        EXISTS (SELECT 1 FROM suppressions s
                WHERE s.organization_id = ${x}.organization_id AND s.channel = 'whatsapp' AND s.address = ${x}.phone),
        ${x}.created_at, ${x}.id, ${x}.owner_id, ${x}.status, ${x}.source, ${x}.tags`;

export class LeadAudience1796710000000 implements MigrationInterface {
  name = 'LeadAudience1796710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "lead_audience" (
      "organization_id" uuid NOT NULL,
      "score" smallint NOT NULL,
      "has_email" boolean NOT NULL,
      "has_phone" boolean NOT NULL,
      "consent_email" boolean NOT NULL,
      "consent_whatsapp" boolean NOT NULL,
      "subscribed" boolean NOT NULL,
      "email_suppressed" boolean NOT NULL,
      "whatsapp_suppressed" boolean NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
      "lead_id" uuid NOT NULL,
      "owner_id" uuid,
      "status" text NOT NULL,
      "source" text NOT NULL,
      "tags" text[] NOT NULL,
      CONSTRAINT "pk_lead_audience" PRIMARY KEY ("lead_id")
    )`);
    await queryRunner.query(
      'CREATE INDEX "idx_lead_audience_org_created" ON "lead_audience" ("organization_id", "created_at")',
    );

    // Upsert of the live rows among `changed` (the statement's new rows); removal of the others.
    await queryRunner.query(`CREATE FUNCTION "lead_audience_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        DELETE FROM lead_audience a USING changed n
        WHERE a.lead_id = n.id AND (n.deleted_at IS NOT NULL OR n.merged_into_id IS NOT NULL);
      END IF;
      INSERT INTO lead_audience AS a (${COLUMNS.join(', ')})
      SELECT ${copyOf('n')}
      FROM changed n
      WHERE n.deleted_at IS NULL AND n.merged_into_id IS NULL
      ON CONFLICT (lead_id) DO UPDATE SET ${CHANGING.map((c) => `${c} = excluded.${c}`).join(', ')}
      WHERE (${CHANGING.map((c) => `a.${c}`).join(', ')})
        IS DISTINCT FROM (${CHANGING.map((c) => `excluded.${c}`).join(', ')});
      RETURN NULL;
    END $$`);
    for (const op of ['INSERT', 'UPDATE']) {
      await queryRunner.query(
        `CREATE TRIGGER "trg_lead_audience_${op.toLowerCase()}" AFTER ${op} ON "leads"
         REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "lead_audience_sync"()`,
      );
    }

    await queryRunner.query(`CREATE FUNCTION "lead_audience_forget"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE lead_audience;
      ELSE
        DELETE FROM lead_audience a USING changed o WHERE a.lead_id = o.id;
      END IF;
      RETURN NULL;
    END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "trg_lead_audience_delete" AFTER DELETE ON "leads"
       REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "lead_audience_forget"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "trg_lead_audience_truncate" AFTER TRUNCATE ON "leads"
       FOR EACH STATEMENT EXECUTE FUNCTION "lead_audience_forget"()`,
    );

    // The suppressed flags of the live leads whose address is among `changed` (suppression rows added,
    // removed, or their new and old versions), recomputed from the list as it is now.
    await queryRunner.query(`CREATE FUNCTION "lead_audience_suppressions"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE lead_audience a SET email_suppressed = EXISTS (
          SELECT 1 FROM suppressions s
          WHERE s.organization_id = l.organization_id AND s.channel = 'email' AND s.address = lower(l.email))
      FROM changed c JOIN leads l ON l.organization_id = c.organization_id AND lower(l.email) = c.address
        AND l.email IS NOT NULL AND l.deleted_at IS NULL
      WHERE c.channel = 'email' AND a.lead_id = l.id;
      UPDATE lead_audience a SET whatsapp_suppressed = EXISTS (
          SELECT 1 FROM suppressions s
          WHERE s.organization_id = l.organization_id AND s.channel = 'whatsapp' AND s.address = l.phone)
      FROM changed c JOIN leads l ON l.organization_id = c.organization_id AND l.phone = c.address
        AND l.phone IS NOT NULL AND l.deleted_at IS NULL
      WHERE c.channel = 'whatsapp' AND a.lead_id = l.id;
      RETURN NULL;
    END $$`);
    const suppressionTriggers: [string, string][] = [
      ['insert', 'AFTER INSERT ON "suppressions" REFERENCING NEW TABLE AS changed'],
      ['update_new', 'AFTER UPDATE ON "suppressions" REFERENCING NEW TABLE AS changed'],
      ['update_old', 'AFTER UPDATE ON "suppressions" REFERENCING OLD TABLE AS changed'],
      ['delete', 'AFTER DELETE ON "suppressions" REFERENCING OLD TABLE AS changed'],
    ];
    for (const [name, when] of suppressionTriggers) {
      await queryRunner.query(
        `CREATE TRIGGER "trg_lead_audience_suppressions_${name}" ${when}
         FOR EACH STATEMENT EXECUTE FUNCTION "lead_audience_suppressions"()`,
      );
    }

    // Existing leads, with their flags as of now: one statement over the whole table, which may take
    // longer than the application's statement timeout on a large installation.
    await queryRunner.query('SET LOCAL statement_timeout = 0');
    await queryRunner.query(`INSERT INTO lead_audience (${COLUMNS.join(', ')})
      SELECT ${copyOf('l')}
      FROM leads l WHERE l.deleted_at IS NULL AND l.merged_into_id IS NULL`);
    await queryRunner.query('ANALYZE "lead_audience"');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['insert', 'update_new', 'update_old', 'delete'])
      await queryRunner.query(`DROP TRIGGER "trg_lead_audience_suppressions_${name}" ON "suppressions"`);
    await queryRunner.query('DROP FUNCTION "lead_audience_suppressions"()');
    await queryRunner.query('DROP TRIGGER "trg_lead_audience_truncate" ON "leads"');
    await queryRunner.query('DROP TRIGGER "trg_lead_audience_delete" ON "leads"');
    await queryRunner.query('DROP FUNCTION "lead_audience_forget"()');
    await queryRunner.query('DROP TRIGGER "trg_lead_audience_update" ON "leads"');
    await queryRunner.query('DROP TRIGGER "trg_lead_audience_insert" ON "leads"');
    await queryRunner.query('DROP FUNCTION "lead_audience_sync"()');
    await queryRunner.query('DROP TABLE "lead_audience"');
  }
}
