/**
 * Append-only migrations. Never edit or reorder an entry once committed: add
 * a new one. Each runs in its own transaction together with its row in
 * `schema_migrations` (see migrator.ts). Migrations use `Kysely<any>` and
 * only portable DDL, so PostgreSQL can run the same list.
 */
import type { Kysely } from 'kysely';
import { edsMigration } from '../auth-eds/migration';
import { documentsMigration } from '../documents/migration';
import { auditHeadSignaturesMigration } from '../audit/migration';

export interface Migration {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>): Promise<void>;
}

const ts = 'varchar(40)';

export const migrations: Migration[] = [
  {
    name: '2026_11_23_001_core',
    async up(db) {
      const s = db.schema;
      await s.createTable('organizations')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('bin', 'varchar(12)', (c) => c.notNull().unique())
        .addColumn('name_kk', 'text', (c) => c.notNull())
        .addColumn('name_ru', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('users')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('iin', 'varchar(12)', (c) => c.unique())
        .addColumn('email', 'varchar(200)', (c) => c.notNull().unique())
        .addColumn('phone', 'varchar(32)')
        .addColumn('full_name', 'text', (c) => c.notNull())
        .addColumn('search_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('preferred_language', 'varchar(2)', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('memberships')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('organization_id', 'varchar(36)', (c) => c.notNull().references('organizations.id'))
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('roles_json', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addUniqueConstraint('memberships_org_user', ['organization_id', 'user_id'])
        .execute();
      await s.createIndex('memberships_user').on('memberships').column('user_id').execute();
      await s.createTable('sessions')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('expires_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('ppp_methods')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('code', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('name_kk', 'text', (c) => c.notNull())
        .addColumn('name_ru', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('min_discussion_days', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('aki_groups')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('code', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('name_kk', 'text', (c) => c.notNull())
        .addColumn('name_ru', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('aki_categories')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('group_id', 'varchar(36)', (c) => c.notNull().references('aki_groups.id'))
        .addColumn('code', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('name_kk', 'text', (c) => c.notNull())
        .addColumn('name_ru', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('requirements_version', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('aki_requirement_templates')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('category_id', 'varchar(36)', (c) => c.notNull().references('aki_categories.id'))
        .addColumn('template_version', 'integer', (c) => c.notNull())
        .addColumn('template_json', 'text', (c) => c.notNull())
        .addColumn('created_by', 'varchar(36)')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('aki_templates_category_version', ['category_id', 'template_version'])
        .execute();
      await s.createTable('files')
        .addColumn('sha256', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await s.createTable('uploads')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('received', 'bigint', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createIndex('uploads_user_hash').on('uploads').columns(['user_id', 'sha256']).execute();
      await s.createTable('attachments')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('record_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('record_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('sha256', 'varchar(64)', (c) => c.notNull().references('files.sha256'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('attached_by', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await s.createIndex('attachments_record').on('attachments').columns(['record_type', 'record_id']).execute();
      await s.createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('actor_user_id', 'varchar(36)')
        .addColumn('entity_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('entity_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('record_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('record_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('from_status', 'varchar(32)')
        .addColumn('to_status', 'varchar(32)')
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      await s.createIndex('audit_log_record').on('audit_log').columns(['record_type', 'record_id', 'seq']).execute();
      // One row, updated by every append: it serialises writers (a row lock on PostgreSQL) so the chain never forks.
      await s.createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute();
      await s.createTable('scheduled_jobs')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(64)', (c) => c.notNull())
        .addColumn('due_at', ts, (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('finished_at', ts)
        .execute();
      await s.createIndex('scheduled_jobs_due').on('scheduled_jobs').columns(['status', 'due_at']).execute();
      await s.createTable('email_outbox')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)')
        .addColumn('to_address', 'varchar(200)', (c) => c.notNull())
        .addColumn('language', 'varchar(2)', (c) => c.notNull())
        .addColumn('template', 'varchar(64)', (c) => c.notNull())
        .addColumn('vars_json', 'text', (c) => c.notNull())
        .addColumn('message_id', 'varchar(200)', (c) => c.notNull().unique())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', ts, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('sent_at', ts)
        .execute();
      await s.createIndex('email_outbox_due').on('email_outbox').columns(['status', 'next_attempt_at']).execute();
      await s.createTable('notifications')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'varchar(64)', (c) => c.notNull())
        .addColumn('vars_json', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('read_at', ts)
        .execute();
      await s.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
      await s.createTable('portal_state')
        .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    // Issue 4 (sync): the change feed clients pull, and the results of pushed mutations by id.
    name: '2026_11_23_002_sync',
    async up(db) {
      const s = db.schema;
      // seq is assigned from change_feed_head (not a rowid or sequence): the head row's lock
      // serialises writers, so seq order is commit order and a cursor never skips a late commit.
      await s.createTable('change_feed')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('entity_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('entity_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('scope', 'varchar(100)', (c) => c.notNull())
        .addColumn('op', 'varchar(8)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('data_json', 'text')
        .addColumn('at', ts, (c) => c.notNull())
        .execute();
      // Compaction keeps one row per key; pulls page by (scope, seq).
      await s.createIndex('change_feed_key').on('change_feed').columns(['entity_type', 'entity_id', 'scope']).unique().execute();
      await s.createIndex('change_feed_scope_seq').on('change_feed').columns(['scope', 'seq']).execute();
      await s.createTable('change_feed_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .execute();
      await db.insertInto('change_feed_head').values({ id: 1, seq: 0 }).execute();
      await s.createTable('applied_mutations')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('client_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('result_json', 'text')
        .addColumn('error_json', 'text')
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await s.createIndex('applied_mutations_created').on('applied_mutations').column('created_at').execute();
    },
  },
  {
    // Issue 5: PPP competitions (the wizard's record; lot, partner, initiators, regulations live in data_json).
    name: '2026_11_23_005_competitions',
    async up(db) {
      const s = db.schema;
      await s.createTable('competitions')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('organization_id', 'varchar(36)', (c) => c.notNull().references('organizations.id'))
        .addColumn('created_by', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('number', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('lot_status', 'varchar(16)', (c) => c.notNull())
        .addColumn('method_id', 'varchar(36)', (c) => c.notNull().references('ppp_methods.id'))
        .addColumn('discussion_start', ts)
        .addColumn('discussion_end', ts)
        .addColumn('data_json', 'text', (c) => c.notNull())
        // Which part of the record changed at which version and by whom: a stale edit conflicts only on the same part.
        .addColumn('field_versions_json', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('published_at', ts)
        .execute();
      await s.createIndex('competitions_org').on('competitions').columns(['organization_id', 'status']).execute();
      await s.createIndex('competitions_status').on('competitions').columns(['status', 'discussion_start']).execute();
    },
  },
  {
    // Issue 6: AKI applications; categories get the customer organization that owns them.
    name: '2026_11_23_006_aki',
    async up(db) {
      const s = db.schema;
      await s.alterTable('aki_categories').addColumn('customer_org_id', 'varchar(36)', (c) => c.references('organizations.id')).execute();
      await s.createTable('aki_applications')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('serial', 'integer', (c) => c.notNull().unique())
        .addColumn('number', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('supplier_org_id', 'varchar(36)', (c) => c.notNull().references('organizations.id'))
        .addColumn('category_id', 'varchar(36)', (c) => c.notNull().references('aki_categories.id'))
        .addColumn('template_version', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        // '<org>:<category>' while open, NULL once decided: the unique index keeps one open application per pair.
        .addColumn('open_key', 'varchar(80)', (c) => c.unique())
        .addColumn('email', 'varchar(200)', (c) => c.notNull())
        .addColumn('phone', 'varchar(40)', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('answers_json', 'text', (c) => c.notNull())
        .addColumn('revision_json', 'text')
        .addColumn('decision_json', 'text')
        .addColumn('created_by', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('submitted_at', ts)
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await s.createIndex('aki_applications_org').on('aki_applications').columns(['supplier_org_id', 'status']).execute();
      await s.createIndex('aki_applications_category').on('aki_applications').columns(['category_id', 'status']).execute();
    },
  },
  edsMigration,
  documentsMigration,
  auditHeadSignaturesMigration,
];
