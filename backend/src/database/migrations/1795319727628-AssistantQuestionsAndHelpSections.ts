import { MigrationInterface, QueryRunner } from 'typeorm';

export class AssistantQuestionsAndHelpSections1795319727628 implements MigrationInterface {
  name = 'AssistantQuestionsAndHelpSections1795319727628';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "assistant_questions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid, "question" text NOT NULL, "thread_id" text, "question_answer_id" text NOT NULL, "provider" text NOT NULL, "latency_ms" integer NOT NULL, "is_uncertain" boolean NOT NULL, "reaction" text, "feedback_comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e5c588c7c47182f16bb0e14650" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_assistant_questions_qa" ON "assistant_questions"  ("organization_id", "question_answer_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_assistant_questions_org_created" ON "assistant_questions"  ("organization_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "help_sections" ("id" text NOT NULL, "page" text NOT NULL, "page_title" text NOT NULL, "heading" text NOT NULL, "anchor" text NOT NULL, "body" text NOT NULL, "docs_hash" text NOT NULL, CONSTRAINT "PK_149e24f57db79a871af03f924d0" PRIMARY KEY ("id"))',
    );
    // Same expression as SECTION_TSV in local-docs.service.ts, so full-text search uses the index.
    await queryRunner.query(
      `CREATE INDEX "idx_help_sections_search" ON "help_sections" USING gin ((setweight(to_tsvector('english', page_title || ' ' || heading), 'A') || setweight(to_tsvector('english', body), 'B')))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_help_sections_search"');
    await queryRunner.query('DROP TABLE "help_sections"');
    await queryRunner.query('DROP INDEX "public"."idx_assistant_questions_org_created"');
    await queryRunner.query('DROP INDEX "public"."idx_assistant_questions_qa"');
    await queryRunner.query('DROP TABLE "assistant_questions"');
  }
}
