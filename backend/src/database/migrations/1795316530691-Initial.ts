import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795316530691 implements MigrationInterface {
  name = 'Initial1795316530691';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "system_heartbeats" ("slot" bigint NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "hostname" text NOT NULL, "pid" integer NOT NULL, "queue_mode" text NOT NULL, CONSTRAINT "PK_e4495f3c26121a3b16991ec1f55" PRIMARY KEY ("slot"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_system_heartbeats_recorded_at" ON "system_heartbeats"  ("recorded_at") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_system_heartbeats_recorded_at"');
    await queryRunner.query('DROP TABLE "system_heartbeats"');
  }
}
