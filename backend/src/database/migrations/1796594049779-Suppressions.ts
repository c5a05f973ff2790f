import { MigrationInterface, QueryRunner } from 'typeorm';

export class Suppressions1796594049779 implements MigrationInterface {
  name = 'Suppressions1796594049779';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "suppressions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "channel" text NOT NULL, "address" text NOT NULL, "reason" text NOT NULL, "campaign_id" uuid, "lead_id" uuid, "detail" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_suppressions_org_channel_address" UNIQUE ("organization_id", "channel", "address"), CONSTRAINT "PK_77bb19dbc77a4ce0ca8cb743f3b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_suppressions_org_created" ON "suppressions"  ("organization_id", "created_at", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_suppressions_org_created"');
    await queryRunner.query('DROP TABLE "suppressions"');
  }
}
