/**
 * Issue 15 §5: every audit head the portal signed and handed out, so
 * verify-audit can check the signatures against the chain and the key.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations';

export const auditHeadSignaturesMigration: Migration = {
  name: '2026_12_06_010_audit_head_signatures',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_head_signatures')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('signature', 'varchar(100)', (c) => c.notNull())
      .addColumn('public_key', 'varchar(100)', (c) => c.notNull())
      .execute();
  },
};
