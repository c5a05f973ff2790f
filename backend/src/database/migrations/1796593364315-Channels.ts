import { MigrationInterface, QueryRunner } from 'typeorm';

export class Channels1796593364315 implements MigrationInterface {
  name = 'Channels1796593364315';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "outbox_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "channel" text NOT NULL, "to_address" text NOT NULL, "from_address" text NOT NULL, "subject" text, "html" text, "text" text NOT NULL, "headers" jsonb NOT NULL DEFAULT \'{}\'::jsonb, "message_id" text NOT NULL, "campaign_id" uuid, "recipient_id" uuid, "test" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_4bdcc4c9acf6fbe08f0f202bf9c" UNIQUE ("message_id"), CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_outbox_messages_created" ON "outbox_messages"  ("created_at") ');
    await queryRunner.query(
      'CREATE INDEX "idx_outbox_messages_org_created" ON "outbox_messages"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "whatsapp_webhook_events" ("event_key" text NOT NULL, "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1db7cffde57adc9d1c3a5f8dde3" PRIMARY KEY ("event_key"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_whatsapp_webhook_events_received" ON "whatsapp_webhook_events"  ("received_at") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_whatsapp_webhook_events_received"');
    await queryRunner.query('DROP TABLE "whatsapp_webhook_events"');
    await queryRunner.query('DROP INDEX "public"."idx_outbox_messages_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_outbox_messages_created"');
    await queryRunner.query('DROP TABLE "outbox_messages"');
  }
}
