import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merging (leads.merged_into_id) and finding duplicates. The index
 * expressions are those of lead-duplicates.sql.ts, written out here so that
 * this migration never changes. pg_trgm gives similarity() for names and
 * companies; it is a trusted extension (PostgreSQL 13+): the database owner
 * may create it without being a superuser.
 */
export class LeadMerge1795326552260 implements MigrationInterface {
  name = 'LeadMerge1795326552260';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "leads" ADD "merged_into_id" uuid');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    // INCLUDE the columns under the expressions: PostgreSQL then scans these indexes without the table
    // (an index-only scan needs every column the query names, even inside the indexed expression).
    await queryRunner.query(
      `CREATE INDEX "idx_leads_dup_email" ON "leads" ("organization_id", (CASE WHEN split_part(lower(email), '@', 2) IN ('gmail.com', 'googlemail.com') THEN replace(coalesce(nullif(split_part(split_part(lower(email), '@', 1), '+', 1), ''), split_part(lower(email), '@', 1)), '.', '') || '@gmail.com' ELSE coalesce(nullif(split_part(split_part(lower(email), '@', 1), '+', 1), ''), split_part(lower(email), '@', 1)) || '@' || split_part(lower(email), '@', 2) END), "id") INCLUDE ("email") WHERE "deleted_at" IS NULL AND "email" IS NOT NULL`,
    );
    await queryRunner.query(
      'CREATE INDEX "idx_leads_dup_phone" ON "leads" ("organization_id", "phone", "id") WHERE "deleted_at" IS NULL AND "phone" IS NOT NULL',
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_dup_name_company" ON "leads" ("organization_id", (nullif(regexp_replace(lower(coalesce(first_name, '') || coalesce(last_name, '')), '[^[:alnum:]]+', '', 'g'), '')), (nullif(regexp_replace(regexp_replace(lower(coalesce(company, '')), '\\m(ltd|limited|inc|llc|gmbh|plc|corp|corporation|co|company|sa|sarl|srl|bv|ag)\\M', '', 'g'), '[^[:alnum:]]+', '', 'g'), '')), "id") INCLUDE ("first_name", "last_name", "company") WHERE "deleted_at" IS NULL AND "company" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_dup_company" ON "leads" ("organization_id", (nullif(regexp_replace(regexp_replace(lower(coalesce(company, '')), '\\m(ltd|limited|inc|llc|gmbh|plc|corp|corporation|co|company|sa|sarl|srl|bv|ag)\\M', '', 'g'), '[^[:alnum:]]+', '', 'g'), '')), "id") WHERE "deleted_at" IS NULL AND "company" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'idx_leads_dup_company',
      'idx_leads_dup_name_company',
      'idx_leads_dup_phone',
      'idx_leads_dup_email',
    ]) {
      await queryRunner.query(`DROP INDEX "public"."${index}"`);
    }
    // pg_trgm stays: other objects may use it.
    await queryRunner.query('ALTER TABLE "leads" DROP COLUMN "merged_into_id"');
  }
}
