import { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadFieldDefinitions1795326794375 implements MigrationInterface {
  name = 'LeadFieldDefinitions1795326794375';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "lead_field_definitions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "key" text NOT NULL, "label" text NOT NULL, "type" text NOT NULL, "options" text array NOT NULL DEFAULT \'{}\', "required" boolean NOT NULL DEFAULT false, "position" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_24de05059cf47c022083cc70cc3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_lead_field_definitions_org_position" ON "lead_field_definitions"  ("organization_id", "position", "key") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_lead_field_definitions_org_key" ON "lead_field_definitions"  ("organization_id", "key") ',
    );
    // Custom field filters with eq/neq compile to containment (custom_fields @> '{"key": value}'): see lead-filter.ts.
    await queryRunner.query(
      'CREATE INDEX "idx_leads_custom_fields" ON "leads" USING gin ("custom_fields" jsonb_path_ops)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_leads_custom_fields"');
    await queryRunner.query('DROP INDEX "public"."uq_lead_field_definitions_org_key"');
    await queryRunner.query('DROP INDEX "public"."idx_lead_field_definitions_org_position"');
    await queryRunner.query('DROP TABLE "lead_field_definitions"');
  }
}
