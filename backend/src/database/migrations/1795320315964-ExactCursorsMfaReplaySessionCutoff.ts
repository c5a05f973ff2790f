import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExactCursorsMfaReplaySessionCutoff1795320315964 implements MigrationInterface {
  name = 'ExactCursorsMfaReplaySessionCutoff1795320315964';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ADD "mfa_last_step" bigint');
    await queryRunner.query('ALTER TABLE "users" ADD "sessions_valid_after" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('DROP INDEX "public"."idx_api_keys_org_created"');
    await queryRunner.query('ALTER TABLE "api_keys" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_org_created"');
    await queryRunner.query('ALTER TABLE "audit_events" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('DROP INDEX "public"."idx_assistant_questions_org_created"');
    await queryRunner.query(
      'ALTER TABLE "assistant_questions" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE',
    );
    await queryRunner.query('DROP INDEX "public"."idx_users_org_created"');
    await queryRunner.query('ALTER TABLE "users" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "idx_api_keys_org_created" ON "api_keys"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_audit_events_org_created" ON "audit_events"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_assistant_questions_org_created" ON "assistant_questions"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_users_org_created" ON "users"  ("organization_id", "created_at", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_users_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_assistant_questions_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_api_keys_org_created"');
    await queryRunner.query('ALTER TABLE "users" ALTER COLUMN "created_at" TYPE TIMESTAMP(6) WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "idx_users_org_created" ON "users" USING btree ("created_at", "id", "organization_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "assistant_questions" ALTER COLUMN "created_at" TYPE TIMESTAMP(6) WITH TIME ZONE',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_assistant_questions_org_created" ON "assistant_questions" USING btree ("created_at", "id", "organization_id") ',
    );
    await queryRunner.query('ALTER TABLE "audit_events" ALTER COLUMN "created_at" TYPE TIMESTAMP(6) WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "idx_audit_events_org_created" ON "audit_events" USING btree ("created_at", "id", "organization_id") ',
    );
    await queryRunner.query('ALTER TABLE "api_keys" ALTER COLUMN "created_at" TYPE TIMESTAMP(6) WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "idx_api_keys_org_created" ON "api_keys" USING btree ("created_at", "id", "organization_id") ',
    );
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "sessions_valid_after"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "mfa_last_step"');
  }
}
