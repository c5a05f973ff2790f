import { MigrationInterface, QueryRunner } from 'typeorm';

export class Analytics1796604543136 implements MigrationInterface {
  name = 'Analytics1796604543136';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "analytics_lead_daily" ("organization_id" uuid NOT NULL, "day" date NOT NULL, "source" text NOT NULL, "owner_id" uuid NOT NULL, "status" text NOT NULL, "leads" integer NOT NULL, CONSTRAINT "PK_cf87504323fcf0a99cb9c0d981b" PRIMARY KEY ("organization_id", "day", "source", "owner_id", "status"))',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_lead_source_daily" ("organization_id" uuid NOT NULL, "day" date NOT NULL, "source" text NOT NULL, "status" text NOT NULL, "leads" integer NOT NULL, CONSTRAINT "PK_9006c3644b6ba7541c0af5f54eb" PRIMARY KEY ("organization_id", "day", "source", "status"))',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_lead_tag_daily" ("organization_id" uuid NOT NULL, "day" date NOT NULL, "tag" text NOT NULL, "source" text NOT NULL, "owner_id" uuid NOT NULL, "status" text NOT NULL, "leads" integer NOT NULL, CONSTRAINT "PK_44992f9bf3542a31b4088cffa0f" PRIMARY KEY ("organization_id", "day", "tag", "source", "owner_id", "status"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_analytics_lead_tag_daily_tag" ON "analytics_lead_tag_daily"  ("organization_id", "tag", "day") ',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_campaign_daily" ("campaign_id" uuid NOT NULL, "day" date NOT NULL, "organization_id" uuid NOT NULL, "sent" integer NOT NULL DEFAULT \'0\', "delivered" integer NOT NULL DEFAULT \'0\', "opened" integer NOT NULL DEFAULT \'0\', "clicked" integer NOT NULL DEFAULT \'0\', "bounced" integer NOT NULL DEFAULT \'0\', "failed" integer NOT NULL DEFAULT \'0\', "unsubscribed" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_fc311b03e1458e83374fa0edab3" PRIMARY KEY ("campaign_id", "day"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_analytics_campaign_daily_org_day" ON "analytics_campaign_daily"  ("organization_id", "day") ',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_campaign_state" ("campaign_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "signature" text NOT NULL, "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f45880bd397c9468313235cdaa7" PRIMARY KEY ("campaign_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_analytics_campaign_state_org" ON "analytics_campaign_state"  ("organization_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_fold_state" ("organization_id" uuid NOT NULL, "time_zone" text NOT NULL, "leads_watermark" TIMESTAMP WITH TIME ZONE NOT NULL, "rebuilt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_88f1fed96ab57b6441c65c4ef4e" PRIMARY KEY ("organization_id"))',
    );
    // Clicks by campaign, for the campaign report's links (lead_activities belongs to leads; the index serves analytics).
    await queryRunner.query(
      'CREATE INDEX "idx_lead_activities_campaign" ON "lead_activities" ("organization_id", ("data"->>\'campaignId\')) WHERE "type" = \'campaign_clicked\'',
    );
    await queryRunner.query('ALTER TABLE "organizations" ADD "time_zone" text NOT NULL DEFAULT \'UTC\'');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "organizations" DROP COLUMN "time_zone"');
    await queryRunner.query('DROP INDEX "public"."idx_lead_activities_campaign"');
    await queryRunner.query('DROP TABLE "analytics_fold_state"');
    await queryRunner.query('DROP INDEX "public"."idx_analytics_campaign_state_org"');
    await queryRunner.query('DROP TABLE "analytics_campaign_state"');
    await queryRunner.query('DROP INDEX "public"."idx_analytics_campaign_daily_org_day"');
    await queryRunner.query('DROP TABLE "analytics_campaign_daily"');
    await queryRunner.query('DROP INDEX "public"."idx_analytics_lead_tag_daily_tag"');
    await queryRunner.query('DROP TABLE "analytics_lead_tag_daily"');
    await queryRunner.query('DROP TABLE "analytics_lead_source_daily"');
    await queryRunner.query('DROP TABLE "analytics_lead_daily"');
  }
}
