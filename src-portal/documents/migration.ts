/**
 * Tables of the document registry (issue 9): every PDF the portal accepted, the serials stamped
 * on them and who owns each serial, and the uploads refused because the document was changed
 * after signing (so a refusal stays final for that upload).
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../db/migrations';

const ts = 'varchar(40)';

export const documentsMigration: Migration = {
  name: '2026_11_23_009_documents',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    const s = db.schema;
    // One row per accepted PDF (by its bytes). Facts only: no file name, no record it is attached to.
    await s.createTable('documents')
      .addColumn('sha256', 'varchar(64)', (c) => c.primaryKey().references('files.sha256'))
      .addColumn('serial', 'varchar(24)')
      .addColumn('pages', 'integer')
      .addColumn('lock_state', 'varchar(32)', (c) => c.notNull())
      .addColumn('lock_reasons_json', 'text', (c) => c.notNull())
      .addColumn('badges_json', 'text', (c) => c.notNull())
      .addColumn('signers_json', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'varchar(36)', (c) => c.notNull().references('users.id'))
      .addColumn('organization_id', 'varchar(36)', (c) => c.references('organizations.id'))
      // 1 when its serial already belonged to another organization at registration.
      .addColumn('serial_conflict', 'integer', (c) => c.notNull())
      .addColumn('registered_at', ts, (c) => c.notNull())
      .execute();
    await s.createIndex('documents_serial').on('documents').columns(['serial', 'registered_at']).execute();
    // Who a serial belongs to: the organization that first uploaded a document carrying it.
    await s.createTable('document_serials')
      .addColumn('serial', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('organization_id', 'varchar(36)', (c) => c.references('organizations.id'))
      .addColumn('first_sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('registered_at', ts, (c) => c.notNull())
      .execute();
    await s.createTable('document_refusals')
      .addColumn('upload_id', 'varchar(36)', (c) => c.primaryKey().references('uploads.id'))
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('code', 'varchar(64)', (c) => c.notNull())
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
  },
};

export interface DocumentsTable {
  sha256: string;
  serial: string | null;
  pages: number | null;
  lock_state: string;
  lock_reasons_json: string;
  badges_json: string;
  /** SignerSummary[] (src-shared/documents/model.ts), without the full verification report. */
  signers_json: string;
  uploaded_by: string;
  organization_id: string | null;
  serial_conflict: number;
  registered_at: string;
}

export interface DocumentSerialsTable {
  serial: string;
  organization_id: string | null;
  first_sha256: string;
  registered_at: string;
}

export interface DocumentRefusalsTable {
  upload_id: string;
  sha256: string;
  code: string;
  details_json: string;
  created_at: string;
}

export interface DocumentsTables {
  documents: DocumentsTable;
  document_serials: DocumentSerialsTable;
  document_refusals: DocumentRefusalsTable;
}
