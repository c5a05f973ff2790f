import { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796593832893 implements MigrationInterface {
  name = 'Campaigns1796593832893';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "campaign_recipients" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "lead_id" uuid NOT NULL, "channel" text NOT NULL, "address" text NOT NULL, "status" text NOT NULL DEFAULT \'queued\', "attempts" integer NOT NULL DEFAULT \'0\', "claim_token" uuid, "claimed_until" TIMESTAMP WITH TIME ZONE, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "provider_message_id" text, "error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "opened_at" TIMESTAMP WITH TIME ZONE, "clicked_at" TIMESTAMP WITH TIME ZONE, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "open_count" integer NOT NULL DEFAULT \'0\', "click_count" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_campaign_recipients_campaign_lead" UNIQUE ("campaign_id", "lead_id"), CONSTRAINT "PK_30d346f6af084aa7b916945a4f1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_campaign_recipients_provider_id" ON "campaign_recipients"  ("provider_message_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_campaign_recipients_list" ON "campaign_recipients"  ("campaign_id", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_campaign_recipients_claim" ON "campaign_recipients"  ("campaign_id", "status", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" text NOT NULL, "channel" text NOT NULL, "status" text NOT NULL DEFAULT \'draft\', "audience" jsonb NOT NULL DEFAULT \'{"segmentId": null, "filter": null}\', "content" jsonb NOT NULL DEFAULT \'{}\', "send_at" TIMESTAMP WITH TIME ZONE, "time_zone" text NOT NULL DEFAULT \'UTC\', "materialized" boolean NOT NULL DEFAULT false, "materialize_cursor" jsonb, "total" integer NOT NULL DEFAULT \'0\', "sent" integer NOT NULL DEFAULT \'0\', "delivered" integer NOT NULL DEFAULT \'0\', "opened" integer NOT NULL DEFAULT \'0\', "clicked" integer NOT NULL DEFAULT \'0\', "failed" integer NOT NULL DEFAULT \'0\', "bounced" integer NOT NULL DEFAULT \'0\', "skipped" integer NOT NULL DEFAULT \'0\', "cancelled" integer NOT NULL DEFAULT \'0\', "unsubscribed" integer NOT NULL DEFAULT \'0\', "audience_excluded" jsonb NOT NULL DEFAULT \'{"noAddress": 0, "noConsent": 0, "suppressed": 0}\', "last_error" text, "created_by" uuid, "created_by_label" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_campaigns_status" ON "campaigns"  ("status", "send_at") ');
    await queryRunner.query(
      'CREATE INDEX "idx_campaigns_org_created" ON "campaigns"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "segments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" text NOT NULL, "description" text, "filter" jsonb NOT NULL DEFAULT \'{}\', "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_beff1eec19679fe8ad4f291f04e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_segments_org_created" ON "segments"  ("organization_id", "created_at", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_segments_org_created"');
    await queryRunner.query('DROP TABLE "segments"');
    await queryRunner.query('DROP INDEX "public"."idx_campaigns_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_campaigns_status"');
    await queryRunner.query('DROP TABLE "campaigns"');
    await queryRunner.query('DROP INDEX "public"."idx_campaign_recipients_claim"');
    await queryRunner.query('DROP INDEX "public"."idx_campaign_recipients_list"');
    await queryRunner.query('DROP INDEX "public"."idx_campaign_recipients_provider_id"');
    await queryRunner.query('DROP TABLE "campaign_recipients"');
  }
}
