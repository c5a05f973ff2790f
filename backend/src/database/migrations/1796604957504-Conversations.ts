import { MigrationInterface, QueryRunner } from 'typeorm';

export class Conversations1796604957504 implements MigrationInterface {
  name = 'Conversations1796604957504';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "conversation_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "direction" text NOT NULL, "kind" text NOT NULL DEFAULT \'text\', "body" text NOT NULL DEFAULT \'\', "template_name" text, "provider_message_id" text, "status" text NOT NULL, "error" text, "author_id" uuid, "author_label" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_113248f25c4c0a7c179b3f5a609" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_conversation_messages_provider_id" ON "conversation_messages"  ("provider_message_id") WHERE "provider_message_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_conversation_messages_thread" ON "conversation_messages"  ("conversation_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "lead_id" uuid, "channel" text NOT NULL, "contact_address" text NOT NULL, "contact_name" text, "status" text NOT NULL DEFAULT \'open\', "assignee_id" uuid, "unread_count" integer NOT NULL DEFAULT \'0\', "last_message_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "last_inbound_at" TIMESTAMP(3) WITH TIME ZONE, "last_message_preview" text NOT NULL DEFAULT \'\', "visitor_token_hash" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_conversations_visitor_token" ON "conversations"  ("visitor_token_hash") WHERE "visitor_token_hash" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_conversations_whatsapp_contact" ON "conversations"  ("organization_id", "contact_address") WHERE "channel" = \'whatsapp\'',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_conversations_org_last" ON "conversations"  ("organization_id", "last_message_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "widget_settings" ("organization_id" uuid NOT NULL, "public_key" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "allowed_origins" text array NOT NULL DEFAULT \'{}\', "greeting" text NOT NULL DEFAULT \'Hi! Ask us anything, or leave your details and we will get back to you.\', "accent_color" text NOT NULL DEFAULT \'#3f51b5\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0623a8e79d85d6f96e1af5d17a6" PRIMARY KEY ("organization_id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_widget_settings_public_key" ON "widget_settings"  ("public_key") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."uq_widget_settings_public_key"');
    await queryRunner.query('DROP TABLE "widget_settings"');
    await queryRunner.query('DROP INDEX "public"."idx_conversations_org_last"');
    await queryRunner.query('DROP INDEX "public"."uq_conversations_whatsapp_contact"');
    await queryRunner.query('DROP INDEX "public"."uq_conversations_visitor_token"');
    await queryRunner.query('DROP TABLE "conversations"');
    await queryRunner.query('DROP INDEX "public"."idx_conversation_messages_thread"');
    await queryRunner.query('DROP INDEX "public"."uq_conversation_messages_provider_id"');
    await queryRunner.query('DROP TABLE "conversation_messages"');
  }
}
