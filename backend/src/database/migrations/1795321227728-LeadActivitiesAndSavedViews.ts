import { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadActivitiesAndSavedViews1795321227728 implements MigrationInterface {
  name = 'LeadActivitiesAndSavedViews1795321227728';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "lead_activities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "organization_id" uuid NOT NULL, "lead_id" uuid NOT NULL, "type" text NOT NULL, "actor_id" uuid, "actor_label" text NOT NULL, "data" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1aa1cc6988a817368568ca26bf1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_lead_activities_lead_seq" ON "lead_activities"  ("organization_id", "lead_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE TABLE "lead_saved_views" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "name" text NOT NULL, "shared" boolean NOT NULL DEFAULT false, "filter" jsonb NOT NULL, "sort" text NOT NULL DEFAULT \'createdAt\', "order" text NOT NULL DEFAULT \'desc\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8989cf23c1be2f51c7d999317be" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_lead_saved_views_org_created" ON "lead_saved_views"  ("organization_id", "created_at", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_lead_saved_views_org_created"');
    await queryRunner.query('DROP TABLE "lead_saved_views"');
    await queryRunner.query('DROP INDEX "public"."idx_lead_activities_lead_seq"');
    await queryRunner.query('DROP TABLE "lead_activities"');
  }
}
