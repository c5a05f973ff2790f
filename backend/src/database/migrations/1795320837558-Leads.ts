import { MigrationInterface, QueryRunner } from 'typeorm';

export class Leads1795320837558 implements MigrationInterface {
  name = 'Leads1795320837558';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "leads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "first_name" text, "last_name" text, "email" text, "phone" text, "company" text, "title" text, "source" text NOT NULL DEFAULT \'other\', "status" text NOT NULL DEFAULT \'new\', "score" smallint NOT NULL DEFAULT \'0\', "owner_id" uuid, "tags" text array NOT NULL DEFAULT \'{}\', "custom_fields" jsonb NOT NULL DEFAULT \'{}\', "consent_email" boolean NOT NULL DEFAULT false, "consent_whatsapp" boolean NOT NULL DEFAULT false, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_cd102ed7a9a4ca7d4d8bfeba406" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_leads_org_score" ON "leads"  ("organization_id", "score", "id") ');
    await queryRunner.query(
      'CREATE INDEX "idx_leads_org_updated" ON "leads"  ("organization_id", "updated_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_leads_org_created" ON "leads"  ("organization_id", "created_at", "id") ',
    );
    // Expression indexes (see lead.entity.ts): one email per organization among live leads,
    // the name order, full-text search (same expression as LEAD_SEARCH_TSV) and tags.
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_leads_org_email" ON "leads" ("organization_id", lower("email")) WHERE "deleted_at" IS NULL AND "email" IS NOT NULL',
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_org_name" ON "leads" ("organization_id", (lower(coalesce(last_name, '') || ' ' || coalesce(first_name, ''))), "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_leads_search" ON "leads" USING gin ((to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))))`,
    );
    await queryRunner.query('CREATE INDEX "idx_leads_tags" ON "leads" USING gin ("tags")');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['idx_leads_tags', 'idx_leads_search', 'idx_leads_org_name', 'uq_leads_org_email']) {
      await queryRunner.query(`DROP INDEX "public"."${index}"`);
    }
    await queryRunner.query('DROP INDEX "public"."idx_leads_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_leads_org_updated"');
    await queryRunner.query('DROP INDEX "public"."idx_leads_org_score"');
    await queryRunner.query('DROP TABLE "leads"');
  }
}
