import { MigrationInterface, QueryRunner } from 'typeorm';

export class TasksAndStoredFiles1795326428008 implements MigrationInterface {
  name = 'TasksAndStoredFiles1795326428008';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "stored_files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "task_id" uuid, "purpose" text NOT NULL, "name" text NOT NULL, "content_type" text NOT NULL, "size" bigint NOT NULL DEFAULT \'0\', "complete" boolean NOT NULL DEFAULT false, "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5d5be862bf53851c1794b4adf4e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_stored_files_expires" ON "stored_files"  ("expires_at") ');
    await queryRunner.query(
      'CREATE INDEX "idx_stored_files_org_created" ON "stored_files"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "file_chunks" ("file_id" uuid NOT NULL, "seq" integer NOT NULL, "data" bytea NOT NULL, CONSTRAINT "PK_2b073e660a977e8bced304e2fad" PRIMARY KEY ("file_id", "seq"))',
    );
    await queryRunner.query(
      'CREATE TABLE "tasks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "kind" text NOT NULL, "status" text NOT NULL DEFAULT \'queued\', "title" text NOT NULL, "params" jsonb NOT NULL DEFAULT \'{}\', "total" integer, "processed" integer NOT NULL DEFAULT \'0\', "counts" jsonb NOT NULL DEFAULT \'{}\', "checkpoint" jsonb, "result" jsonb, "error" text, "attempts" integer NOT NULL DEFAULT \'0\', "created_by" uuid, "created_by_label" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP(3) WITH TIME ZONE, "finished_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_tasks_org_created" ON "tasks"  ("organization_id", "created_at", "id") ',
    );
    // By hand: the unfinished tasks, re-queued at start.
    await queryRunner.query(
      'CREATE INDEX "idx_tasks_unfinished" ON "tasks" ("status") WHERE status IN (\'queued\', \'running\')',
    );
    await queryRunner.query(
      'ALTER TABLE "file_chunks" ADD CONSTRAINT "FK_617e13364db5af550e924954530" FOREIGN KEY ("file_id") REFERENCES "stored_files"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "file_chunks" DROP CONSTRAINT "FK_617e13364db5af550e924954530"');
    await queryRunner.query('DROP INDEX "public"."idx_tasks_unfinished"');
    await queryRunner.query('DROP INDEX "public"."idx_tasks_org_created"');
    await queryRunner.query('DROP TABLE "tasks"');
    await queryRunner.query('DROP TABLE "file_chunks"');
    await queryRunner.query('DROP INDEX "public"."idx_stored_files_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_stored_files_expires"');
    await queryRunner.query('DROP TABLE "stored_files"');
  }
}
