/**
 * The document registry: per accepted PDF its facts (serial, pages, lock state, badges, signer
 * summaries — never the bytes, the file name or the record it is attached to), who uploaded it and
 * for which organization; per serial the organization that owns it; per refused upload why.
 */
import type { Kysely } from 'kysely';
import { AppError, isErrorCode } from '../../src-shared/rpc/errors';
import type { SignerSummary } from '../../src-shared/documents/model';
import type { MembershipView } from '../../src-shared/accounts/permissions';
import type { Database, Queryable } from '../db/schema';
import type { DocumentsTables } from './migration';
import type { PdfFindings } from './inspect';

type DocDb = Kysely<Database & DocumentsTables>;
const docDb = (q: Queryable): DocDb => q as unknown as DocDb;

/**
 * The organization an upload is made for: the member organization whose BIN a signer's certificate
 * carries, else the uploader's only organization, else unknown (several and no signer points to one).
 */
export async function organizationOfUpload(db: Queryable, memberships: readonly MembershipView[], signers: readonly SignerSummary[]): Promise<string | null> {
  const orgIds = [...new Set(memberships.map((m) => m.organizationId))];
  if (orgIds.length === 0) return null;
  const bins = new Set(signers.map((s) => s.certificate?.bin).filter((b): b is string => !!b));
  if (bins.size > 0) {
    const matching = await db.selectFrom('organizations').select('id').where('id', 'in', orgIds).where('bin', 'in', [...bins]).execute();
    if (matching.length === 1) return matching[0]!.id;
  }
  return orgIds.length === 1 ? orgIds[0]! : null;
}

export interface Registration {
  sha256: string;
  findings: PdfFindings;
  userId: string;
  organizationId: string | null;
  now: string;
}

/** Records an accepted PDF (inside the finalize transaction). Identical bytes are one document, registered once. */
export async function registerDocument(trx: Queryable, r: Registration): Promise<void> {
  const db = docDb(trx);
  if (await db.selectFrom('documents').select('sha256').where('sha256', '=', r.sha256).executeTakeFirst()) return;
  const serial = r.findings.serial;
  let conflict = 0;
  if (serial) {
    // Claim first (a concurrent first upload of the same serial on PostgreSQL must not fail), then read who owns it.
    await db.insertInto('document_serials').values({ serial, organization_id: r.organizationId, first_sha256: r.sha256, registered_at: r.now })
      .onConflict((oc) => oc.column('serial').doNothing()).execute();
    const owner = (await db.selectFrom('document_serials').selectAll().where('serial', '=', serial).executeTakeFirst())!;
    const first = owner.first_sha256 === r.sha256;
    if (!first && owner.organization_id === null && r.organizationId !== null) {
      // The first upload's organization could not be told: the first one that can claims the serial.
      await db.updateTable('document_serials').set({ organization_id: r.organizationId }).where('serial', '=', serial).where('organization_id', 'is', null).execute();
    } else if (!first && owner.organization_id !== null && r.organizationId !== null && owner.organization_id !== r.organizationId) {
      conflict = 1;
    }
  }
  await db.insertInto('documents').values({
    sha256: r.sha256,
    serial,
    pages: r.findings.pages,
    lock_state: r.findings.lock.state,
    lock_reasons_json: JSON.stringify(r.findings.lock.reasons),
    badges_json: JSON.stringify(r.findings.badges),
    signers_json: JSON.stringify(r.findings.signers),
    uploaded_by: r.userId,
    organization_id: r.organizationId,
    serial_conflict: conflict,
    registered_at: r.now,
  }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

/** Makes a refusal final for its upload: the upload is marked refused and every later call on it gets the same answer. */
export async function recordRefusal(db: Queryable, uploadId: string, sha256: string, err: AppError, now: string): Promise<void> {
  await docDb(db).transaction().execute(async (trx) => {
    await trx.insertInto('document_refusals').values({ upload_id: uploadId, sha256, code: err.code, details_json: JSON.stringify(err.details ?? {}), created_at: now })
      .onConflict((oc) => oc.column('upload_id').doNothing()).execute();
    await trx.updateTable('uploads').set({ status: 'refused', updated_at: now }).where('id', '=', uploadId).execute();
  });
}

export async function refusalOf(db: Queryable, uploadId: string): Promise<AppError> {
  const r = await docDb(db).selectFrom('document_refusals').selectAll().where('upload_id', '=', uploadId).executeTakeFirst();
  if (!r || !isErrorCode(r.code)) return new AppError('conflict', 'This upload was refused');
  return new AppError(r.code, REFUSAL_MESSAGES[r.code] ?? 'This upload was refused', JSON.parse(r.details_json) as Record<string, unknown>);
}

export const REFUSAL_MESSAGES: Partial<Record<string, string>> = {
  document_modified_after_signing: 'The document was changed after it was signed; sign the final version again',
  document_signature_invalid: 'A signature in the document is invalid; sign the original file again',
  pdf_too_large: 'The PDF is too large to be checked',
  pdf_check_timeout: 'Checking the PDF took longer than allowed; it is not accepted',
  pdf_check_out_of_memory: 'Checking the PDF needed more memory than allowed; it is not accepted',
  pdf_check_failed: 'The PDF could not be checked; it is not accepted',
  pdf_inflate_limit: 'The PDF holds compressed data far larger than a document needs (a decompression bomb); it is not accepted',
  pdf_too_many_objects: 'The PDF has more objects than the portal reads; it is not accepted',
  pdf_nesting_too_deep: 'The PDF nests its data deeper than the portal reads; it is not accepted',
  pdf_object_stream_too_large: 'The PDF holds an object stream larger than the portal reads; it is not accepted',
  pdf_too_many_revisions: 'The PDF has more revisions than the portal reads; it is not accepted',
};

export interface RegisteredVersion {
  sha256: string;
  serial: string | null;
  pages: number | null;
  lockState: string;
  lockReasons: string[];
  badges: string[];
  signers: SignerSummary[];
  organizationId: string | null;
  serialConflict: boolean;
  registeredAt: string;
}

const versionOf = (d: DocumentsTables['documents']): RegisteredVersion => ({
  sha256: d.sha256,
  serial: d.serial,
  pages: d.pages === null ? null : Number(d.pages),
  lockState: d.lock_state,
  lockReasons: JSON.parse(d.lock_reasons_json) as string[],
  badges: JSON.parse(d.badges_json) as string[],
  signers: JSON.parse(d.signers_json) as SignerSummary[],
  organizationId: d.organization_id,
  serialConflict: Number(d.serial_conflict) === 1,
  registeredAt: d.registered_at,
});

/** The registry entry of a document by its bytes (null: not a registered PDF). */
export async function documentBySha256(db: Queryable, sha256: string): Promise<RegisteredVersion | null> {
  const d = await docDb(db).selectFrom('documents').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  return d ? versionOf(d) : null;
}

/** Everything registered under a serial: the owner and every version, newest first. */
export async function documentsBySerial(db: Queryable, serial: string): Promise<{ ownerOrganizationId: string | null; registeredAt: string; versions: RegisteredVersion[] } | null> {
  const d = docDb(db);
  const owner = await d.selectFrom('document_serials').selectAll().where('serial', '=', serial).executeTakeFirst();
  if (!owner) return null;
  const rows = await d.selectFrom('documents').selectAll().where('serial', '=', serial).orderBy('registered_at', 'desc').orderBy('sha256').execute();
  return { ownerOrganizationId: owner.organization_id, registeredAt: owner.registered_at, versions: rows.map(versionOf) };
}
