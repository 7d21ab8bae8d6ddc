/** Tables of EDS sign-in: issued challenges (single use) and certificate IIN → account links. */
import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations';

const ts = 'varchar(40)';

export const edsMigration: Migration = {
  name: '2026_11_23_008_eds_sign_in',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    const s = db.schema;
    await s.createTable('eds_challenges')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('origin', 'varchar(300)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('used_at', ts)
      .execute();
    await s.createIndex('eds_challenges_expires').on('eds_challenges').column('expires_at').execute();
    await s.createTable('eds_links')
      .addColumn('iin', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
      .addColumn('bin', 'varchar(12)')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('certificate_serial', 'varchar(80)', (c) => c.notNull())
      .addColumn('linked_at', ts, (c) => c.notNull())
      .addColumn('last_used_at', ts)
      .execute();
    await s.createIndex('eds_links_user').on('eds_links').column('user_id').execute();
  },
};

export interface EdsChallengesTable {
  id: string;
  text: string;
  origin: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface EdsLinksTable {
  iin: string;
  user_id: string;
  bin: string | null;
  subject: string;
  certificate_serial: string;
  linked_at: string;
  last_used_at: string | null;
}

export interface EdsTables {
  eds_challenges: EdsChallengesTable;
  eds_links: EdsLinksTable;
}
