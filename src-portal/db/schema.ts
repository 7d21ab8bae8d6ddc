/**
 * Kysely table types. Timestamps are ISO-8601 UTC strings written by the
 * portal's clock (never by the database), booleans are 0/1 integers and JSON
 * is text: the same representation works on SQLite and PostgreSQL.
 */
import type { Kysely, Transaction } from 'kysely';

export interface OrganizationsTable {
  id: string;
  bin: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  kind: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface UsersTable {
  id: string;
  iin: string | null;
  email: string;
  phone: string | null;
  full_name: string;
  /** Lower-cased name for portable case-insensitive search (SQLite LOWER() folds ASCII only). */
  search_name: string;
  password_hash: string;
  preferred_language: string;
  must_change_password: number;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface MembershipsTable {
  id: string;
  organization_id: string;
  user_id: string;
  /** JSON array of roles, sorted. */
  roles_json: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}
export interface PppMethodsTable {
  id: string;
  code: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  min_discussion_days: number;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface AkiGroupsTable {
  id: string;
  code: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface AkiCategoriesTable {
  id: string;
  group_id: string;
  code: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  requirements_version: number;
  version: number;
  created_at: string;
  updated_at: string;
  /** Issue 6: the customer organization that sets the requirements and decides (null: nobody yet). */
  customer_org_id: string | null;
}
export interface AkiRequirementTemplatesTable {
  id: string;
  category_id: string;
  template_version: number;
  template_json: string;
  created_by: string | null;
  created_at: string;
}
/** Issue 6: AKI pre-qualification applications. */
export interface AkiApplicationsTable {
  id: string;
  serial: number;
  number: string;
  supplier_org_id: string;
  category_id: string;
  template_version: number;
  status: string;
  open_key: string | null;
  email: string;
  phone: string;
  comment: string;
  answers_json: string;
  revision_json: string | null;
  decision_json: string | null;
  created_by: string;
  version: number;
  created_at: string;
  submitted_at: string | null;
  updated_at: string;
}
export interface FilesTable {
  sha256: string;
  size: number;
  content_type: string;
  created_at: string;
}
export interface UploadsTable {
  id: string;
  user_id: string;
  sha256: string;
  size: number;
  received: number;
  name: string | null;
  status: string; // open | complete
  created_at: string;
  updated_at: string;
}
export interface AttachmentsTable {
  id: string;
  record_type: string;
  record_id: string;
  sha256: string;
  name: string;
  attached_by: string;
  version: number;
  created_at: string;
}
export interface AuditLogTable {
  seq: number;
  at: string;
  actor_user_id: string | null;
  entity_type: string;
  entity_id: string;
  record_type: string;
  record_id: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
/** Issue 15: each audit head the portal signed (Ed25519 over src-shared/sync/audit-head.ts). */
export interface AuditHeadSignaturesTable {
  seq: number;
  hash: string;
  signature: string;
  public_key: string;
}
export interface ScheduledJobsTable {
  id: string;
  kind: string;
  due_at: string;
  payload_json: string;
  status: string; // pending | done | failed
  attempts: number;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}
export interface EmailOutboxTable {
  id: string;
  user_id: string | null;
  to_address: string;
  language: string;
  template: string;
  vars_json: string;
  message_id: string;
  status: string; // pending | sent | failed
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}
export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  vars_json: string;
  created_at: string;
  read_at: string | null;
}
export interface PortalStateTable {
  key: string;
  value: string;
}
/** Sync (issue 4): one row per (entity_type, entity_id, scope), the latest change; deletes are kept as tombstones. */
export interface ChangeFeedTable {
  seq: number;
  entity_type: string;
  entity_id: string;
  scope: string;
  op: string; // put | delete
  version: number;
  data_json: string | null;
  at: string;
}
export interface ChangeFeedHeadTable {
  id: number;
  seq: number;
}
/** Sync (issue 4): the first result of every pushed mutation, answered on replay. */
export interface AppliedMutationsTable {
  id: string;
  user_id: string;
  client_id: string;
  name: string;
  status: string; // applied | rejected
  result_json: string | null;
  error_json: string | null;
  seq: number;
  created_at: string;
}
/** Issue 5: PPP competitions; `data_json` is the shared CompetitionRecord minus the columns. */
export interface CompetitionsTable {
  id: string;
  organization_id: string;
  created_by: string;
  number: string;
  status: string;
  lot_status: string;
  method_id: string;
  discussion_start: string | null;
  discussion_end: string | null;
  data_json: string;
  field_versions_json: string;
  version: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}
export interface SchemaMigrationsTable {
  name: string;
  applied_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  ppp_methods: PppMethodsTable;
  aki_groups: AkiGroupsTable;
  aki_categories: AkiCategoriesTable;
  aki_requirement_templates: AkiRequirementTemplatesTable;
  aki_applications: AkiApplicationsTable;
  files: FilesTable;
  uploads: UploadsTable;
  attachments: AttachmentsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_head_signatures: AuditHeadSignaturesTable;
  scheduled_jobs: ScheduledJobsTable;
  email_outbox: EmailOutboxTable;
  notifications: NotificationsTable;
  portal_state: PortalStateTable;
  schema_migrations: SchemaMigrationsTable;
  change_feed: ChangeFeedTable;
  change_feed_head: ChangeFeedHeadTable;
  applied_mutations: AppliedMutationsTable;
  competitions: CompetitionsTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or a transaction: read helpers accept both. */
export type Queryable = Kysely<Database> | Transaction<Database>;
