/**
 * documents.openKey / sign / closeKey with a local key file, through the real back end's RPC:
 * certificate summary, refusals (password, AUTH, expired, not yet valid), a batch with progress,
 * pdfsig and `openssl cms` on the outputs, co-signing, a PDF modified after signing, the TSA
 * reachable and unreachable, closed and signed-out sessions. Key material never reaches the disk.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import { documentLock } from '../../src-shared/documents/lock';
import { createTestPki, KZ_EKU, SUBJECTS, type IssuedCert, type TestPki } from '../signing/helpers/test-pki';
import { startTsa, type LocalServer } from '../signing/helpers/services';
import { makeNssDb, makePdf, opensslCmsVerify, pdfsig } from '../signing/helpers/tools';
import { startSignEnv, type SignEnv } from './sign-helpers';
import { deepNestingBomb, metadataBomb, millionObjectsBomb } from './pdf-bombs';

const PASSWORD = 'Sign-Test-12345';
const ACCOUNTANT_OID = '1.2.398.3.3.4.1.2.3';
let pki: TestPki;
let env: SignEnv;
let tsa: LocalServer;
let dir: string;
let nss: string;
let head: IssuedCert;
let accountant: IssuedCert;

beforeAll(async () => {
  pki = createTestPki();
  process.env.SERIKTES_TEST_ROOTS_DIR = pki.dir; // the throw-away root plays the NCA TEST root
  head = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] });
  accountant = pki.issue({
    subject: { commonName: 'БЕКОВА САЛТАНАТ', surname: 'БЕКОВА', patronymic: 'ЕРЛАНҚЫЗЫ', iin: '860606400085', bin: SUBJECTS.head.bin, organization: SUBJECTS.head.organization },
    kind: 'sign',
    roles: [KZ_EKU.legalEntity, ACCOUNTANT_OID],
  });
  tsa = await startTsa(pki);
  dir = mkdtempSync(join(tmpdir(), 'seriktes-sign-local-'));
  nss = makeNssDb(dir, pki.write('root-nss.pem', pki.root.pem));
  env = await startSignEnv();
});
afterAll(async () => {
  await env.close();
  await tsa.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.SERIKTES_TEST_ROOTS_DIR;
  delete process.env.SERIKTES_TSA_URL;
});

type Result = { sha256: string; ref?: { sha256: string; name: string; size: number }; error?: { code: string; message: string }; warnings?: string[] };

async function openKey(cert: IssuedCert, password = PASSWORD, name = 'RSA256_test.p12') {
  const handle = await env.uploadKey(pki.p12(cert, PASSWORD), name);
  return env.rpc('documents.openKey', { key: { source: 'file', handle, password } }) as Promise<{ keySession: string; certificate: Record<string, unknown> }>;
}
async function sign(keySession: string, files: { sha256: string; name: string }[], timestamp = false, operationId = randomUUID()) {
  return (await env.rpc('documents.sign', { operationId, keySession, files, timestamp })).results as Result[];
}
function saved(sha256: string, name: string): string {
  const p = join(dir, `${sha256.slice(0, 8)}-${name}`);
  writeFileSync(p, env.read(sha256));
  return p;
}

describe('documents.openKey with a key file', () => {
  it('shows the certificate (owner, IIN, BIN, roles, validity, TEST root); the upload is gone and nothing of the key is on disk', async () => {
    const handle = await env.uploadKey(pki.p12(head, PASSWORD), 'RSA256_head.p12');
    const { keySession, certificate } = (await env.rpc('documents.openKey', { key: { source: 'file', handle, password: PASSWORD } })) as { keySession: string; certificate: Record<string, unknown> };
    expect(keySession).toMatch(/^ks_[A-Za-z0-9_-]{16,64}$/);
    expect(certificate).toMatchObject({
      owner: 'ҚАСЫМОВ ӘЛИ НҰРЛАНҰЛЫ',
      iin: '900115301235',
      bin: '150340012340',
      organization: 'ТОО "Серіктес Тест"',
      roles: ['legal_entity', 'first_head'],
      purpose: 'SIGN',
      algorithm: 'RSA',
      notAfter: new Date(Math.floor(head.cert.validity.notAfter.getTime() / 1000) * 1000).toISOString(),
      test: true,
    });
    expect(await env.codeOf(env.rpc('files.info', { handle }))).toBe('not_found');
    expect(readdirSync(join(env.dataDir, 'uploads'))).toEqual([]);
    const keyHead = Buffer.from(pki.p12(head, PASSWORD).subarray(0, 48));
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    for (const f of walk(env.dataDir)) {
      const b = readFileSync(f);
      expect(b.includes(Buffer.from(PASSWORD)), f).toBe(false);
      expect(b.includes(keyHead), f).toBe(false);
    }
    expect(await env.rpc('documents.closeKey', { keySession })).toEqual({ closed: true });
    expect(await env.rpc('documents.closeKey', { keySession })).toEqual({ closed: false });
  });

  it('refuses a wrong password, an AUTH key (naming the signing key files), an expired and a not yet valid key', async () => {
    expect(await env.codeOf(openKey(head, 'not-the-password'))).toBe('key_wrong_password');
    const auth = pki.issue({ subject: SUBJECTS.individual, kind: 'auth', roles: [KZ_EKU.individual] });
    const err = await openKey(auth, PASSWORD, 'AUTH_RSA256_test.p12').then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
    expect(err?.code).toBe('cert_auth_key_for_signing');
    expect(err?.message).toContain('RSA256_');
    const expired = pki.issue({ subject: SUBJECTS.individual, kind: 'sign', notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    expect(await env.codeOf(openKey(expired))).toBe('cert_expired');
    const future = pki.issue({ subject: SUBJECTS.individual, kind: 'sign', notBefore: new Date(Date.now() + 86_400_000), notAfter: new Date(Date.now() + 400 * 86_400_000) });
    expect(await env.codeOf(openKey(future))).toBe('cert_not_yet_valid');
    // Real NCA RK test key files (expired since 2019) are refused the same way.
    const real = await env.uploadKey(new Uint8Array(readFileSync(join(__dirname, '../fixtures/nca/nca-test/RSA256_8426360556902ce4ac33977836f873e1dc190976.p12'))), 'RSA256_nca.p12');
    expect(await env.codeOf(env.rpc('documents.openKey', { key: { source: 'file', handle: real, password: 'Qwerty12' } }))).toBe('cert_expired');
  });
});

describe('documents.sign with a local key', () => {
  it('signs a batch of three PDFs and one other file, with progress in order; pdfsig and openssl verify the outputs', async () => {
    const pdfs = await Promise.all([1, 2, 3].map(async (i) => env.stage(await makePdf({ text: `Batch document ${i}`, objectStreams: i === 2 }), `doc-${i}.pdf`)));
    const other = await env.stage(new TextEncoder().encode('Price offer, 100 000 000 KZT\n'.repeat(50)), 'offer.txt');
    const { keySession } = await openKey(head);
    const operationId = randomUUID();
    const before = env.events.length;
    const results = await sign(keySession, [...pdfs, other].map((r) => ({ sha256: r.sha256, name: r.name })), false, operationId);
    const progress = env.events
      .slice(before)
      .filter((e) => e.event === 'documents.progress')
      .map((e) => e.payload as { operationId: string; done: number; total: number; current: string | null });
    expect(progress).toEqual([
      { operationId, done: 0, total: 4, current: 'doc-1.pdf' },
      { operationId, done: 1, total: 4, current: 'doc-2.pdf' },
      { operationId, done: 2, total: 4, current: 'doc-3.pdf' },
      { operationId, done: 3, total: 4, current: 'offer.txt' },
      { operationId, done: 4, total: 4, current: null },
    ]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    for (const [i, r] of results.slice(0, 3).entries()) {
      expect(r.sha256).toBe(pdfs[i]!.sha256);
      expect(r.ref!.name).toBe(`doc-${i + 1}.pdf`);
      expect(r.ref!.sha256).not.toBe(pdfs[i]!.sha256);
      // The original stays in the store; the signed PDF starts with its exact bytes (incremental update).
      const original = env.read(pdfs[i]!.sha256);
      const signed = env.read(r.ref!.sha256);
      expect(signed.subarray(0, original.length).equals(original)).toBe(true);
      const check = pdfsig(saved(r.ref!.sha256, r.ref!.name), nss);
      expect(check.signatures).toHaveLength(1);
      expect(check.signatures[0]).toMatchObject({ valid: true, total: true });
      expect(check.signatures[0]!.text).toContain('ҚАСЫМОВ ӘЛИ');
      expect(check.signatures[0]!.text).toContain('ETSI.CAdES.detached');
    }
    const p7s = results[3]!.ref!;
    expect(p7s.name).toBe('offer.txt.p7s');
    const v = opensslCmsVerify(saved(p7s.sha256, 'offer.p7s'), saved(other.sha256, 'offer.txt'), join(pki.dir, 'root.pem'));
    expect(v.stderr).toContain('Verification successful');
    expect(v.code).toBe(0);
    // Another content does not verify against that signature.
    const wrong = join(dir, 'wrong.txt');
    writeFileSync(wrong, 'Price offer, 1 KZT\n');
    expect(opensslCmsVerify(saved(p7s.sha256, 'offer.p7s'), wrong, join(pki.dir, 'root.pem')).code).not.toBe(0);
    await env.rpc('documents.closeKey', { keySession });
  });

  it('co-signing: the head signs, the accountant signs the result — two signatures in order, both verify, locked', async () => {
    const doc = await env.stage(await makePdf({ text: 'Contract to be signed by the head and the accountant' }), 'contract.pdf');
    const h = await openKey(head);
    const [first] = await sign(h.keySession, [{ sha256: doc.sha256, name: doc.name }]);
    const a = await openKey(accountant);
    expect(a.certificate.roles).toEqual(['legal_entity', 'financial_signing_right']);
    const [second] = await sign(a.keySession, [{ sha256: first!.ref!.sha256, name: first!.ref!.name }]);
    expect(second!.error).toBeUndefined();
    const bytes = new Uint8Array(env.read(second!.ref!.sha256));
    const report = await verifyPdf(bytes, { anchors: [{ der: pki.root.der, kind: 'test' }] });
    expect(report.signatures.map((s) => [s.integrity, s.signer?.subject.iin])).toEqual([
      ['ok', '900115301235'],
      ['ok', '860606400085'],
    ]);
    expect(documentLock(report)).toEqual({ state: 'locked', reasons: [] });
    const check = pdfsig(saved(second!.ref!.sha256, 'contract-2.pdf'), nss);
    expect(check.signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(check.signatures[0]!.text).toContain('ҚАСЫМОВ ӘЛИ');
    expect(check.signatures[1]!.text).toContain('БЕКОВА САЛТАНАТ');
    expect(check.signatures[1]!.total).toBe(true);
  });

  it('refuses a PDF modified after signing (document_modified_after_signing); the rest of the batch is signed; an unknown hash is an error of its own', async () => {
    const doc = await env.stage(await makePdf({ text: 'Signed, then edited' }), 'edited.pdf');
    const { keySession } = await openKey(head);
    const [signed] = await sign(keySession, [{ sha256: doc.sha256, name: doc.name }]);
    const edited = appendInfoRevision(new Uint8Array(env.read(signed!.ref!.sha256)));
    expect(documentLock(await verifyPdf(edited, { anchors: [] })).state).toBe('modified_after_signing');
    const bad = await env.stage(edited, 'edited.pdf');
    const fresh = await env.stage(await makePdf({ text: 'Fresh one' }), 'fresh.pdf');
    const results = await sign(keySession, [
      { sha256: bad.sha256, name: bad.name },
      { sha256: 'f'.repeat(64), name: 'ghost.pdf' },
      { sha256: fresh.sha256, name: fresh.name },
    ]);
    expect(results[0]!.error?.code).toBe('document_modified_after_signing');
    expect(results[0]!.ref).toBeUndefined();
    expect(results[1]!.error?.code).toBe('not_found');
    expect(results[2]!.error).toBeUndefined();
    expect(pdfsig(saved(results[2]!.ref!.sha256, 'fresh.pdf'), nss).signatures[0]!.valid).toBe(true);
  });

  it('refuses decompression and structure bombs with the bounded reader\'s codes before anything else reads them (issue 13)', async () => {
    const { keySession } = await openKey(head);
    const bombs = [await env.stage(await metadataBomb(), 'metadata-bomb.pdf'), await env.stage(deepNestingBomb(), 'nesting-bomb.pdf'), await env.stage(millionObjectsBomb(), 'million-bomb.pdf')];
    const results = await sign(keySession, bombs.map((b) => ({ sha256: b.sha256, name: b.name })));
    expect(results.map((r) => r.error?.code)).toEqual(['pdf_inflate_limit', 'pdf_nesting_too_deep', 'pdf_too_many_objects']);
  });

  it('timestamps through the TSA; an unreachable TSA signs without one and says timestamp_unavailable', async () => {
    const pdf = await env.stage(await makePdf({ text: 'Timestamped' }), 'ts.pdf');
    const txt = await env.stage(new TextEncoder().encode('timestamped text'), 'ts.txt');
    const { keySession } = await openKey(head);
    process.env.SERIKTES_TSA_URL = tsa.url;
    const asked = tsa.requests;
    const ok = await sign(keySession, [pdf, txt].map((r) => ({ sha256: r.sha256, name: r.name })), true);
    expect(tsa.requests - asked).toBe(2);
    expect(ok.map((r) => [r.error, r.warnings])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    const rep = await verifyPdf(new Uint8Array(env.read(ok[0]!.ref!.sha256)), { anchors: [{ der: pki.root.der, kind: 'test' }] });
    expect(rep.signatures[0]!.timestamp?.status).toBe('valid');
    expect(pdfsig(saved(ok[0]!.ref!.sha256, 'ts.pdf'), nss).signatures[0]!.valid).toBe(true);
    const p7s = saved(ok[1]!.ref!.sha256, 'ts.p7s');
    const tokens = readFileSync(p7s).includes(Buffer.from([0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e])); // id-aa-timeStampToken
    expect(tokens).toBe(true);
    expect(opensslCmsVerify(p7s, saved(txt.sha256, 'ts.txt'), join(pki.dir, 'root.pem')).code).toBe(0);

    process.env.SERIKTES_TSA_URL = 'http://127.0.0.1:9/tsa'; // nothing listens there
    const pdf2 = await env.stage(await makePdf({ text: 'No TSA today' }), 'nots.pdf');
    const off = await sign(keySession, [pdf2, txt].map((r) => ({ sha256: r.sha256, name: r.name })), true);
    expect(off.map((r) => [r.error, r.warnings])).toEqual([
      [undefined, ['timestamp_unavailable']],
      [undefined, ['timestamp_unavailable']],
    ]);
    const rep2 = await verifyPdf(new Uint8Array(env.read(off[0]!.ref!.sha256)), { anchors: [] });
    expect(rep2.signatures[0]!.integrity).toBe('ok');
    expect(rep2.signatures[0]!.timestamp).toBeUndefined();
    delete process.env.SERIKTES_TSA_URL;
  });

  it('a closed key and a key of a signed-out account cannot sign (key_session_expired)', async () => {
    const doc = await env.stage(await makePdf(), 'late.pdf');
    const a = await openKey(head);
    await env.rpc('documents.closeKey', { keySession: a.keySession });
    expect(await env.codeOf(sign(a.keySession, [{ sha256: doc.sha256, name: doc.name }]))).toBe('key_session_expired');
    const b = await openKey(head);
    await env.settle();
    await env.rpc('auth.signOut', {});
    await env.rpc('auth.signIn', { login: 'supplier@demo.seriktes.kz', password: 'Seriktes-demo-2026' });
    expect(await env.codeOf(sign(b.keySession, [{ sha256: doc.sha256, name: doc.name }]))).toBe('key_session_expired');
    expect(existsSync(join(env.dataDir, 'uploads')) ? readdirSync(join(env.dataDir, 'uploads')) : []).toEqual([]);
  });
});

/** An incremental update that changes the document (a new Info dictionary): "modified after signing". */
function appendInfoRevision(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)![1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)![1];
  const obj = `${size} 0 obj\n<< /Producer (Edited after signing) /Title (Changed) >>\nendobj\n`;
  const objAt = pdf.length + 1;
  const xrefAt = objAt + obj.length;
  const update = `\n${obj}xref\n${size} 1\n${String(objAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(update, 'latin1')]));
}
