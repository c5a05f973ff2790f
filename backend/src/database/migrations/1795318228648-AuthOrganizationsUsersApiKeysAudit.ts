import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthOrganizationsUsersApiKeysAudit1795318228648 implements MigrationInterface {
  name = 'AuthOrganizationsUsersApiKeysAudit1795318228648';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "actor_type" text NOT NULL, "actor_id" uuid, "actor_label" text NOT NULL, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text, "changes" jsonb NOT NULL DEFAULT \'{}\', "ip" text, "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_audit_events_org_entity" ON "audit_events"  ("organization_id", "entity_type", "entity_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_audit_events_org_created" ON "audit_events"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_ip" text, "user_agent" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens"  ("token_hash") ');
    await queryRunner.query('CREATE INDEX "idx_refresh_tokens_user" ON "refresh_tokens"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "idx_refresh_tokens_family" ON "refresh_tokens"  ("family_id") ');
    await queryRunner.query(
      'CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "permissions" text array NOT NULL, "created_by" uuid NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_api_keys_prefix" ON "api_keys"  ("prefix") ');
    await queryRunner.query(
      'CREATE INDEX "idx_api_keys_org_created" ON "api_keys"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "mfa_required" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "status" text NOT NULL DEFAULT \'active\', "password_hash" text NOT NULL, "must_change_password" boolean NOT NULL DEFAULT false, "mfa_secret" text, "mfa_enabled" boolean NOT NULL DEFAULT false, "mfa_recovery_codes" text array NOT NULL DEFAULT \'{}\', "failed_logins" integer NOT NULL DEFAULT \'0\', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_users_org_created" ON "users"  ("organization_id", "created_at", "id") ',
    );
    // Sign-in is by email alone, so an email is unique across Meridian, whatever its case.
    await queryRunner.query('CREATE UNIQUE INDEX "uq_users_email" ON "users" (lower("email"))');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."uq_users_email"');
    await queryRunner.query('DROP INDEX "public"."idx_users_org_created"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP TABLE "organizations"');
    await queryRunner.query('DROP INDEX "public"."idx_api_keys_org_created"');
    await queryRunner.query('DROP INDEX "public"."uq_api_keys_prefix"');
    await queryRunner.query('DROP TABLE "api_keys"');
    await queryRunner.query('DROP INDEX "public"."idx_refresh_tokens_family"');
    await queryRunner.query('DROP INDEX "public"."idx_refresh_tokens_user"');
    await queryRunner.query('DROP INDEX "public"."uq_refresh_tokens_hash"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_org_entity"');
    await queryRunner.query('DROP TABLE "audit_events"');
  }
}
