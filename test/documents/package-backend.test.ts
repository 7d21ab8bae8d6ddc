/**
 * documents.inspect and documents.checkPackage through the real back end (createBackend) against
 * the real portal with its demo data: the supplier signs in, creates an AKI application in the
 * demo category that uses the seed's recommended package, stages real signed PDFs (signed by a
 * test key carrying the supplier organization's BIN, trusted through SERIKTES_TRUST_DIR), saves
 * the answers, and checks the package — again with the portal gone (offline).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../src-main/signing/sign-file';
import { addDays } from '../../src-shared/aki/answers';
import type { DocumentInspection } from '../../src-shared/documents/model';
import type { PackageReport } from '../../src-shared/documents/package-model';
import { almatyDate } from '../../src-shared/documents/package-check';
import { DEMO_PASSWORD } from '../../src-portal/seed/demo-data';
import { startTestPortal } from '../portal/helpers';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from '../signing/helpers/test-pki';
import { appendEdit, KK_TEXT, makeTextPdf } from './inspect-fixtures';

vi.setConfig({ testTimeout: 90_000 });

const silent = { info: () => {}, warn: () => {}, error: () => {} };
let portal: Awaited<ReturnType<typeof startTestPortal>> | null;
let backend: Backend;
let dataDir: string;
let pki: TestPki;
let head: SigningIdentity;
let orgId: string;
let bin: string;
let categoryId: string;
let templateVersion: number;
const TODAY = almatyDate(new Date().toISOString());

async function rpc<T = Record<string, unknown>>(method: string, input: unknown): Promise<T> {
  const env = await backend.call(method, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as T;
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

async function stage(name: string, bytes: Uint8Array) {
  const dir = join(dataDir, 'uploads');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${Math.random().toString(16).slice(2)}.upload`);
  writeFileSync(path, bytes);
  const { handle } = await backend.files.register(path, name);
  return rpc<{ sha256: string; name: string; size: number; contentType: string }>('files.stage', { handle });
}

beforeAll(async () => {
  pki = createTestPki();
  const trustDir = mkdtempSync(join(tmpdir(), 'seriktes-trust-'));
  copyFileSync(join(pki.dir, 'root.pem'), join(trustDir, 'root.pem'));
  process.env.SERIKTES_TRUST_DIR = trustDir;
  portal = await startTestPortal();
  dataDir = mkdtempSync(join(tmpdir(), 'seriktes-docs-backend-'));
  backend = await createBackend({ dataDir, hostKind: 'browser', portalUrl: portal.url, version: 'test', logger: silent as never, periodicPullMs: 0 });
  await rpc('auth.signIn', { login: 'supplier@demo.seriktes.kz', password: DEMO_PASSWORD });
  await rpc('sync.now', {});
  const status = await rpc<{ user: { memberships: { organizationId: string; bin: string }[] } }>('auth.status', {});
  orgId = status.user.memberships[0]!.organizationId;
  bin = status.user.memberships[0]!.bin;
  const ref = await rpc<{ groups: { categories: { categoryId: string; code: string; templateVersion: number }[] }[] }>('aki.reference', {});
  const cat = ref.groups.flatMap((g) => g.categories).find((c) => c.code === 'supplier_documents')!;
  categoryId = cat.categoryId;
  templateVersion = cat.templateVersion;
  head = await identityFromPkcs12(pki.p12(pki.issue({ subject: { ...SUBJECTS.head, bin }, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] }), 'x'), 'x');
}, 180_000);

afterAll(async () => {
  await backend?.close();
  await portal?.cleanup();
  pki?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(process.env.SERIKTES_TRUST_DIR!, { recursive: true, force: true });
  delete process.env.SERIKTES_TRUST_DIR;
});

const signed = async (lines?: string[]) => (await signPdf(await makeTextPdf(lines ? { lines } : {}), { identity: head })).pdf;

describe('documents.* through the back end', () => {
  let applicationId: string;
  let answers: Record<string, unknown>;

  it('documents.inspect: a staged signed PDF is locked and trusted through SERIKTES_TRUST_DIR; an unknown hash is not_found', async () => {
    const ref = await stage('charter.pdf', await signed());
    const i = await rpc<DocumentInspection>('documents.inspect', { sha256: ref.sha256, expectBin: bin });
    expect(i.lock.state).toBe('locked');
    expect(i.badges).toEqual(['signed']);
    expect(i.signers[0]!.certificate?.bin).toBe(bin);
    expect(i.report?.signatures[0]!.chain.status).toBe('trusted');
    expect(i.pdf?.textLanguage).toBe('ru');
    expect(await codeOf(rpc('documents.inspect', { sha256: 'f'.repeat(64) }))).toBe('not_found');
  });

  it('documents.checkPackage offline: a complete package → no errors, the second check from the cache', async () => {
    ({ applicationId } = await rpc<{ applicationId: string }>('aki.create', { organizationId: orgId, categoryId }));
    const docs: Record<string, Uint8Array> = {
      registration_certificate: await signed(),
      charter: await signed(),
      passport: await signed(KK_TEXT),
      registry_extract: await signed(),
      tax_debt_certificate: await signed(),
    };
    answers = {};
    for (const [key, bytes] of Object.entries(docs)) {
      const ref = await stage(`${key}.pdf`, bytes);
      answers[key] = {
        ...ref,
        language: key === 'passport' ? 'kk' : 'ru',
        ...(key === 'registry_extract' ? { issuedOn: addDays(TODAY, -30) } : key === 'tax_debt_certificate' ? { issuedOn: addDays(TODAY, -90) } : {}),
      };
    }
    // Uploads done, then the network goes: the rest happens offline (the save waits in the outbox).
    // (Online, the portal currently drops issuedOn/language from file answers when it applies a save,
    // src-portal/aki/mutations.ts attachFiles: reported to the lead.)
    await rpc('sync.now', {});
    expect((await rpc<{ items: unknown[] }>('sync.rejected', {})).items).toEqual([]);
    await portal!.cleanup();
    portal = null;
    await rpc('aki.save', { applicationId, templateVersion, email: 'supplier@demo.seriktes.kz', phone: '+7 701 000 00 00', comment: '', answers });
    const report = await rpc<PackageReport>('documents.checkPackage', { applicationId });
    expect(report.items.filter((i) => i.severity === 'error')).toEqual([]);
    expect(Object.keys(report.documents).sort()).toEqual(['charter', 'passport', 'registration_certificate', 'registry_extract', 'tax_debt_certificate']);
    expect(report.items.map((i) => i.code)).toContain('not_gost');
    const again = await rpc<PackageReport>('documents.checkPackage', { applicationId });
    expect(again.items).toEqual(report.items);
    // Served from the cache: same inspection time.
    expect(again.documents.charter!.inspectedAt).toBe(report.documents.charter!.inspectedAt);
  });

  it('a document changed after signing, a stale extract and a missing required file are errors', async () => {
    const edited = await stage('charter-edited.pdf', appendEdit(await signed()));
    const next = { ...answers, charter: { ...edited, language: 'ru' }, registry_extract: { ...(answers.registry_extract as object), issuedOn: addDays(TODAY, -31) }, passport: null };
    await rpc('aki.save', { applicationId, templateVersion, email: 'supplier@demo.seriktes.kz', phone: '+7 701 000 00 00', comment: '', answers: next });
    const report = await rpc<PackageReport>('documents.checkPackage', { applicationId });
    const errors = report.items.filter((i) => i.severity === 'error').map((i) => `${i.field}:${i.code}`).sort();
    expect(errors).toEqual(['charter:modified_after_signing', 'passport:missing', 'registry_extract:too_old']);
    expect(report.documents.charter!.badges).toContain('modified_after_signing');
    expect(await codeOf(rpc('documents.checkPackage', { applicationId: '01900000-0000-7000-8000-000000000000' }))).toBe('not_found');
  });
});
