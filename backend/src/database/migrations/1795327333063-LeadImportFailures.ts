import { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadImportFailures1795327333063 implements MigrationInterface {
  name = 'LeadImportFailures1795327333063';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "lead_import_failures" ("task_id" uuid NOT NULL, "row_number" integer NOT NULL, "reason" text NOT NULL, "cells" jsonb NOT NULL, CONSTRAINT "PK_5199a80cfdb4c7a38467e8d3c3e" PRIMARY KEY ("task_id", "row_number"))',
    );
    await queryRunner.query(
      'ALTER TABLE "lead_import_failures" ADD CONSTRAINT "FK_70f470928081e3799583ac6bb5a" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "lead_import_failures" DROP CONSTRAINT "FK_70f470928081e3799583ac6bb5a"');
    await queryRunner.query('DROP TABLE "lead_import_failures"');
  }
}
