import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's index on the provider's message id covers WhatsApp rows only:
 * WhatsApp status webhooks find their row by the wamid, while email events
 * name the recipient (its Message-ID is built from the row id). Every email
 * row used to add an entry to this index when it was written, claimed and
 * recorded (three times per message, about 15 us of PostgreSQL CPU per
 * message in bench/ledger-writes.mjs); now none does.
 */
export class RecipientProviderIdWhatsApp1796720000000 implements MigrationInterface {
  name = 'RecipientProviderIdWhatsApp1796720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipients_provider_id"`);
    await queryRunner.query(
      `CREATE INDEX "idx_campaign_recipients_provider_id" ON "campaign_recipients" ("provider_message_id") WHERE channel = 'whatsapp'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipients_provider_id"`);
    await queryRunner.query(
      `CREATE INDEX "idx_campaign_recipients_provider_id" ON "campaign_recipients" ("provider_message_id") `,
    );
  }
}
