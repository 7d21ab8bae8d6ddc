/**
 * documents.inspect / documents.checkPackage (issue 9 §2, §3, §5). Both read only what is on this
 * computer — the account's file store (staged or downloaded files), its local view of AKI records
 * and its cache — so they work offline. Inspections are cached per (file, trust, expectations,
 * Almaty day) in `document_inspections`.
 */
import { isFileAnswer, type FileAnswer } from '../../src-shared/aki/answers';
import { AKI_APPLICATION, AKI_REVIEW, type AkiApplicationRecord } from '../../src-shared/aki/records';
import type { DocumentInspection } from '../../src-shared/documents/model';
import { packageReport } from '../../src-shared/documents/package-check';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { OpenAccount } from '../accounts/accounts';
import { templateOf } from '../aki/state';
import { ViewStore } from '../sync/view-store';
import type { DocumentHandlerDeps } from './deps';
import { inspectCached, InspectionCache } from './inspect';
import { currentAppTrust } from './trust';
import { almatyDate } from '../../src-shared/time/almaty';

export type InspectHandlers<Ctx> = Pick<Handlers<Ctx>, 'documents.inspect' | 'documents.checkPackage'>;

/** One file of the account's store, inspected through the cache; null when the store does not hold it. */
export async function inspectStoredFile(acc: OpenAccount, sha256: string, o: { expectIin?: string; expectBin?: string; now?: Date } = {}): Promise<DocumentInspection | null> {
  const path = acc.files.existingPath(sha256);
  if (!path) return null;
  return inspectCached(new InspectionCache(acc.db.sqlite), path, sha256, { ...o, trust: currentAppTrust() });
}

/** The application as this account sees it: its own (supplier) record, else the review copy (customer). */
function readApplication(acc: OpenAccount, applicationId: string): AkiApplicationRecord | null {
  for (const type of [AKI_APPLICATION, AKI_REVIEW]) {
    const row = acc.db.sqlite.prepare('SELECT data_json FROM records_view WHERE entity_type = ? AND entity_id = ?').get(type, applicationId) as { data_json: string } | undefined;
    if (row) return JSON.parse(row.data_json) as AkiApplicationRecord;
  }
  return null;
}

export function inspectHandlers<Ctx>(deps: DocumentHandlerDeps): InspectHandlers<Ctx> {
  return {
    'documents.inspect': async ({ sha256, expectIin, expectBin }) => {
      const acc = deps.accounts.require();
      const inspection = await inspectStoredFile(acc, sha256, { ...(expectIin ? { expectIin } : {}), ...(expectBin ? { expectBin } : {}) });
      if (!inspection) throw new AppError('not_found', 'No such file in this account');
      return inspection;
    },

    'documents.checkPackage': async ({ applicationId }) => {
      const acc = deps.accounts.require();
      const record = readApplication(acc, applicationId);
      if (!record) throw new AppError('not_found', 'No such application');
      const template = templateOf(new ViewStore(acc.db.sqlite, 1), record.categoryId, record.templateVersion);
      if (!template) throw new AppError('not_found', 'The application’s template is not on this computer yet');
      // The supplier's BIN: the signed-in person's membership of the supplier organization.
      const supplierBin = acc.me.memberships.find((m) => m.organizationId === record.supplierOrgId)?.bin ?? null;
      const now = new Date();
      const inspections: Record<string, DocumentInspection> = {};
      for (const value of Object.values(record.answers)) {
        if (!isFileAnswer(value ?? undefined)) continue;
        const sha256 = (value as FileAnswer).sha256;
        if (inspections[sha256]) continue;
        const i = await inspectStoredFile(acc, sha256, { now });
        if (i) inspections[sha256] = i;
      }
      return packageReport({ template, answers: record.answers, inspections, supplierBin, today: almatyDate(now) }, now.toISOString());
    },
  };
}
