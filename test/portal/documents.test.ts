/**
 * Issue 9, portal side: the lock on upload (a PDF changed after signing is refused for good), the
 * document registry, and the public GET /verify/{serial} (JSON and the HTML page in kk/ru/en).
 * Real portal over HTTP, real SQLite, PDFs signed with a throw-away PKI by the app's own signer.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../src-main/signing/sign-file';
import { newSerial } from '../../src-shared/documents/serial';
import type { Database } from '../../src-portal/db/schema';
import type { DocumentsTables } from '../../src-portal/documents/migration';
import { inspectPdf } from '../../src-portal/documents/inspect';
import { findPdfSignatures } from '../../src-shared/signing/verify-pdf';
import { seedDemoData } from '../../src-portal/seed/seed';
import type { MovableClock } from '../../src-portal/clock';
import { createTestPki, KZ_EKU, type TestPki } from '../signing/helpers/test-pki';
import { flipByte, run } from '../signing/helpers/tools';
import { call, demoBin, demoId, freshIin, sha256, signIn, startTestPortal } from './helpers';
import { editFirstPageAfterSigning, get, stampedPdf, uploadFile } from './documents-helpers';

vi.setConfig({ testTimeout: 60_000 });

let pki: TestPki;
let portal: Awaited<ReturnType<typeof startTestPortal>>;
let supplier = '';
let supplierHead = '';
let otherSupplier = '';
let head: SigningIdentity;
let accountant: SigningIdentity;
const HEAD_IIN = freshIin();
const ACCOUNTANT_IIN = freshIin();
const SUPPLIER_ORG = demoId('org', 'supplier1');
const OTHER_ORG = demoId('org', 'supplier2');
const VERIFY_PER_MINUTE = 60;

const docs = () => portal.db as unknown as Kysely<Database & DocumentsTables>;
const registered = (sha: string) => docs().selectFrom('documents').selectAll().where('sha256', '=', sha).executeTakeFirst();

beforeAll(async () => {
  pki = createTestPki();
  portal = await startTestPortal({
    eds: { anchors: [{ der: pki.root.der, kind: 'test', label: 'test root' }] },
    documents: { verifyPerMinute: VERIFY_PER_MINUTE },
    limits: { maxVerifiedPdfBytes: 400_000 },
  });
  [supplier, supplierHead, otherSupplier] = await Promise.all([signIn(portal.url, 'supplier'), signIn(portal.url, 'supplier1Head'), signIn(portal.url, 'supplier2Head')]);
  const bin = demoBin('supplier1');
  head = await identityFromPkcs12(pki.p12(pki.issue({
    subject: { commonName: 'ОМАРОВ БАУЫРЖАН', surname: 'ОМАРОВ', patronymic: 'ҚАЙРАТҰЛЫ', iin: HEAD_IIN, bin, organization: 'ТОО «Дала Снабжение»' },
    kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead],
  }), 'a'), 'a');
  accountant = await identityFromPkcs12(pki.p12(pki.issue({
    subject: { commonName: 'ЖАНҰЗАҚОВА ДИНА', surname: 'ЖАНҰЗАҚОВА', iin: ACCOUNTANT_IIN, bin, organization: 'ТОО «Дала Снабжение»' },
    kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.employee], key: 'tsa',
  }), 'b'), 'b');
});
afterAll(async () => {
  await portal?.cleanup();
  pki?.cleanup();
});

const sign = async (pdf: Uint8Array, who: SigningIdentity) => (await signPdf(pdf, { identity: who })).pdf;

describe('lock on upload', () => {
  it('accepts an unsigned PDF and registers it as unsigned', async () => {
    const pdf = await stampedPdf('Unsigned charter');
    const r = await uploadFile(portal.url, supplier, pdf);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ sha256: sha256(pdf), contentType: 'application/pdf' });
    const d = await registered(sha256(pdf));
    expect(d).toMatchObject({ lock_state: 'unsigned', pages: 1, serial: null, organization_id: SUPPLIER_ORG, serial_conflict: 0 });
    expect(JSON.parse(d!.badges_json)).toEqual(['unsigned']);
  });

  it('accepts a signed PDF and records its signer (no full report), badges and the organization from the signer\'s BIN', async () => {
    const pdf = await sign(await stampedPdf('Signed registry extract'), head);
    const r = await uploadFile(portal.url, supplier, pdf);
    expect(r.status).toBe(200);
    const d = (await registered(sha256(pdf)))!;
    expect(d.lock_state).toBe('locked');
    expect(JSON.parse(d.badges_json)).toEqual(['signed', 'test_root']);
    const signers = JSON.parse(d.signers_json);
    expect(signers).toHaveLength(1);
    expect(signers[0]).toMatchObject({ verdict: expect.any(String), certificate: { iin: HEAD_IIN, bin: demoBin('supplier1'), test: true } });
    expect(signers[0].certificate.roles).toContain('first_head');
    expect(d.signers_json).not.toContain('"chain"');
    expect(d.organization_id).toBe(SUPPLIER_ORG);
  });

  it('refuses a signed PDF whose page was edited in an incremental update, for good', async () => {
    const signed = await sign(await stampedPdf('Tax debt certificate'), head);
    const edited = await editFirstPageAfterSigning(signed);
    // A well-formed PDF (qpdf finds no error) that a reader shows with the extra line: an edit, not damage.
    expect(run('qpdf', ['--check', pki.write('edited.pdf', edited)]).code).toBe(0);
    const r = await uploadFile(portal.url, supplier, edited);
    expect(r.status).toBe(422);
    expect(r.json.code).toBe('document_modified_after_signing');
    expect(r.json.details.reasons).toEqual(expect.arrayContaining(['pdf_changed_after_signing']));
    // Final: finalize again, ask for the status, send bytes again — the same refusal every time.
    const again = await call(portal.url, 'POST', `/api/uploads/${r.uploadId}/finalize`, { token: supplier });
    expect(again.status).toBe(422);
    expect(again.json).toMatchObject({ code: 'document_modified_after_signing', details: { reasons: r.json.details.reasons } });
    const status = await call(portal.url, 'GET', `/api/uploads/${r.uploadId}`, { token: supplier });
    expect(status.json?.code).toBe('document_modified_after_signing');
    const put = await call(portal.url, 'PUT', `/api/uploads/${r.uploadId}`, { token: supplier, raw: edited, query: { offset: 0 } });
    expect(put.json?.code).toBe('document_modified_after_signing');
    // Nothing became a file: it cannot be attached, and it is not in the registry.
    expect(await portal.db.selectFrom('files').select('sha256').where('sha256', '=', sha256(edited)).executeTakeFirst()).toBeUndefined();
    const attach = await call(portal.url, 'POST', '/api/attachments', { token: supplierHead, body: { recordType: 'organization', recordId: SUPPLIER_ORG, sha256: sha256(edited), name: 'x.pdf' } });
    expect(attach.status).toBe(404);
    expect(await registered(sha256(edited))).toBeUndefined();
    // The untouched signed original still goes through.
    expect((await uploadFile(portal.url, supplier, signed)).status).toBe(200);
  });

  it('refuses a signed PDF with one byte flipped inside the signed range (digest mismatch)', async () => {
    const signed = await sign(await stampedPdf('Charter, signed'), head);
    const flipped = flipByte(signed, 200);
    const r = await uploadFile(portal.url, supplier, flipped);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ code: 'document_modified_after_signing', details: { lockState: 'modified_after_signing' } });
    expect(r.json.details.reasons).toContain('digest_mismatch');
    expect((await call(portal.url, 'POST', `/api/uploads/${r.uploadId}/finalize`, { token: supplier })).status).toBe(422);
  });

  it('refuses a PDF whose signature itself is broken (CMS zeroed in the unsigned gap) with document_signature_invalid', async () => {
    const signed = await sign(await stampedPdf('Passport copy'), head);
    const [, gapStart, gapEnd] = findPdfSignatures(signed)[0]!.byteRange;
    const broken = new Uint8Array(signed);
    // The signature's hex sits between the two signed ranges: the signed bytes stay intact, the CMS does not.
    broken.fill(0x30, gapStart + 1, Math.min(gapEnd - 1, gapStart + 401));
    const r = await uploadFile(portal.url, supplier, broken);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ code: 'document_signature_invalid', details: { lockState: 'signature_invalid' } });
    expect((await call(portal.url, 'GET', `/api/uploads/${r.uploadId}`, { token: supplier })).json.code).toBe('document_signature_invalid');
  });

  it('accepts a co-signed PDF (head, then accountant, incremental) and lists both signers in order', async () => {
    const pdf = await sign(await sign(await stampedPdf('Power of attorney'), head), accountant);
    const r = await uploadFile(portal.url, supplier, pdf);
    expect(r.status).toBe(200);
    const d = (await registered(sha256(pdf)))!;
    expect(d.lock_state).toBe('locked');
    expect(JSON.parse(d.badges_json)).toContain('co_signed');
    expect(JSON.parse(d.signers_json).map((s: { certificate: { iin: string } }) => s.certificate.iin)).toEqual([HEAD_IIN, ACCOUNTANT_IIN]);
  });

  it('refuses a PDF above the verification cap with pdf_too_large (it cannot be checked), and leaves other files alone', async () => {
    const pdf = Buffer.concat([Buffer.from(await stampedPdf('Big scan')), Buffer.alloc(450_000, 0x20)]);
    const r = await uploadFile(portal.url, supplier, pdf);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ code: 'pdf_too_large', details: { limit: 400_000 } });
    expect((await call(portal.url, 'POST', `/api/uploads/${r.uploadId}/finalize`, { token: supplier })).json.code).toBe('pdf_too_large');
    // A PNG is not a PDF: no check, no registry entry.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
    const p = await uploadFile(portal.url, supplier, png, 'logo.png');
    expect(p.status).toBe(200);
    expect(await registered(sha256(png))).toBeUndefined();
  });

  it('the shared verifier with no trust anchors still locks a signed PDF: an unknown chain is a badge, not a refusal', async () => {
    const pdf = await sign(await stampedPdf('Untrusted'), head);
    const f = await inspectPdf(pdf, [], new Date());
    expect(f.lock.state).toBe('locked');
    expect(f.badges).toEqual(['signed', 'untrusted']);
  });
});

describe('GET /verify/{serial}', () => {
  const serial = newSerial();
  const versions: Uint8Array[] = [];

  beforeAll(async () => {
    // Stamped unsigned → signed by the head → co-signed by the accountant: three versions of one serial.
    const stamped = await stampedPdf('Certificate of state registration', serial);
    const signed = await sign(stamped, head);
    const coSigned = await sign(signed, accountant);
    for (const v of [stamped, signed, coSigned]) {
      const r = await uploadFile(portal.url, supplier, v);
      expect(r.status).toBe(200);
      versions.push(v);
      await new Promise((res) => setTimeout(res, 5)); // distinct registration times
    }
  });

  it('JSON: the owner, first registration and every version newest first, with masked IINs', async () => {
    const r = await get(portal.url, `/verify/${serial}`, { headers: { accept: 'application/json' } });
    expect(r.status).toBe(200);
    const a = r.json;
    expect(a).toMatchObject({ serial, conflict: false, organization: { bin: demoBin('supplier1'), name: { ru: 'ТОО «Дала Снабжение»' } } });
    expect(a.versions.map((v: { sha256: string }) => v.sha256)).toEqual([...versions].reverse().map(sha256));
    expect(a.firstRegisteredAt).toBe(a.versions[2].registeredAt);
    const [co, one, stamped] = a.versions;
    expect(stamped).toMatchObject({ pages: 1, lock: { state: 'unsigned' }, badges: ['unsigned', 'stamped'], signers: [] });
    expect(one).toMatchObject({ lock: { state: 'locked' }, badges: ['signed', 'test_root', 'stamped'] });
    expect(co.badges).toEqual(['co_signed', 'test_root', 'stamped']);
    expect(co.signers).toHaveLength(2);
    expect(co.signers[0]).toMatchObject({ index: 0, name: 'ОМАРОВ БАУЫРЖАН ҚАЙРАТҰЛЫ', iinMasked: `${HEAD_IIN.slice(0, 6)}****${HEAD_IIN.slice(10)}`, bin: demoBin('supplier1'), test: true });
    expect(co.signers[0].roles).toContain('first_head');
    expect(co.signers[0].claimedTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(co.signers[1].iinMasked).toBe(`${ACCOUNTANT_IIN.slice(0, 6)}****${ACCOUNTANT_IIN.slice(10)}`);
    // Privacy: never a full IIN, never a file name.
    expect(r.bytes.toString()).not.toContain(HEAD_IIN);
    expect(r.bytes.toString()).not.toContain(ACCOUNTANT_IIN);
    expect(r.bytes.toString()).not.toContain('document.pdf');
    // ?format=json works without the header (links, scripts).
    expect((await get(portal.url, `/verify/${serial}`, { query: { format: 'json' } })).json.serial).toBe(serial);
  });

  it('the HTML page in kk (default), ru (Accept-Language) and en (?lang): headings, masked IIN, strict CSP, no external assets', async () => {
    const pages = {
      kk: await get(portal.url, `/verify/${serial}`),
      ru: await get(portal.url, `/verify/${serial}`, { headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' } }),
      en: await get(portal.url, `/verify/${serial}`, { query: { lang: 'en' }, headers: { 'accept-language': 'ru' } }),
    };
    const expected = {
      kk: ['Құжатты тексеру', 'Құжат нөмірі', 'Нұсқалар (3)', 'Қол қойғандар', '«Дала Жабдықтау» ЖШС', 'ЖСН'],
      ru: ['Проверка документа', 'Номер документа', 'Версии (3)', 'Подписанты', 'ТОО «Дала Снабжение»', 'ИИН'],
      en: ['Document verification', 'Document number', 'Versions (3)', 'Signers', 'Dala Supply LLP', 'IIN'],
    };
    for (const [lang, r] of Object.entries(pages) as [keyof typeof expected, (typeof pages)['kk']][]) {
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const html = r.bytes.toString('utf8');
      expect(html).toContain(`<html lang="${lang}">`);
      for (const s of expected[lang]) expect(html, `${lang}: ${s}`).toContain(s);
      expect(html).toContain(serial);
      expect(html).toContain(`${HEAD_IIN.slice(0, 6)}****${HEAD_IIN.slice(10)}`);
      expect(html).not.toContain(HEAD_IIN);
      expect(html).not.toMatch(/<script|<link|<img|src=|https?:\/\//);
      // The inline style is the one the CSP hash allows.
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      const { createHash } = await import('node:crypto');
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    }
  });

  it('forgives case and look-alike characters in the typed serial', async () => {
    const typed = serial.toLowerCase().replace(/0/g, 'o');
    const r = await get(portal.url, `/verify/${encodeURIComponent(typed)}`, { headers: { accept: 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.json.serial).toBe(serial);
  });

  it('unknown serial → 404 "not registered"; mistyped check character → 404 "check the number"', async () => {
    let unknown = newSerial();
    while (unknown === serial) unknown = newSerial();
    const j = await get(portal.url, `/verify/${unknown}`, { headers: { accept: 'application/json' } });
    expect(j.status).toBe(404);
    expect(j.json).toMatchObject({ code: 'not_found', details: { reason: 'serial_unknown' } });
    const h = await get(portal.url, `/verify/${unknown}`, { query: { lang: 'ru' } });
    expect(h.status).toBe(404);
    expect(h.headers.get('content-type')).toContain('text/html');
    expect(h.bytes.toString()).toContain('Документ с этим номером не зарегистрирован');

    const last = serial.slice(-1);
    const mistyped = serial.slice(0, -1) + (last === '0' ? '1' : '0');
    const mj = await get(portal.url, `/verify/${mistyped}`, { headers: { accept: 'application/json' } });
    expect(mj.status).toBe(404);
    expect(mj.json.code).toBe('document_serial_invalid');
    const mh = await get(portal.url, `/verify/${mistyped}`, { query: { lang: 'en' } });
    expect(mh.status).toBe(404);
    expect(mh.bytes.toString()).toContain('Check the number');
    expect((await get(portal.url, '/verify/not-a-serial', { headers: { accept: 'application/json' } })).json.code).toBe('document_serial_invalid');
    // Check characters outside the digits and letters (* ~ $ = U) reach the route as the stamp writes them (unescaped).
    for (const ch of ['*', '~', '$', '=', 'U']) {
      let sr = newSerial();
      while (!sr.endsWith(ch)) sr = newSerial();
      const r = await get(portal.url, `/verify/${sr}`, { headers: { accept: 'application/json' } });
      expect(r.json, `${sr}`).toMatchObject({ code: 'not_found', details: { reason: 'serial_unknown' } });
    }
  });

  it('another organization\'s different document with the same serial is accepted but shown as a conflict', async () => {
    const forged = await stampedPdf('A different document, same number', serial);
    const r = await uploadFile(portal.url, otherSupplier, forged);
    expect(r.status).toBe(200);
    const a = (await get(portal.url, `/verify/${serial}`, { headers: { accept: 'application/json' } })).json;
    expect(a.conflict).toBe(true);
    expect(a.organization.bin).toBe(demoBin('supplier1')); // the owner stays the first uploader
    expect(a.versions[0]).toMatchObject({ sha256: sha256(forged), serialConflict: true, organization: { bin: demoBin('supplier2') } });
    expect(a.versions.slice(1).every((v: { serialConflict: boolean }) => !v.serialConflict)).toBe(true);
    const d = await docs().selectFrom('documents').select(['organization_id']).where('sha256', '=', sha256(forged)).executeTakeFirstOrThrow();
    expect(d.organization_id).toBe(OTHER_ORG);
    const html = (await get(portal.url, `/verify/${serial}`, { query: { lang: 'kk' } })).bytes.toString();
    expect(html).toContain('басқа ұйым жүктеген құжат та бар');
    // The owner uploading yet another version is not a conflict.
    const own = await stampedPdf('Owner, next edition', serial);
    expect((await uploadFile(portal.url, supplierHead, own)).status).toBe(200);
    expect((await registered(sha256(own)))!.serial_conflict).toBe(0);
  });

  it('is rate-limited per client address (JSON and HTML), until the window passes', async () => {
    let limited: Awaited<ReturnType<typeof get>> | null = null;
    for (let i = 0; i <= VERIFY_PER_MINUTE && !limited; i++) {
      const r = await get(portal.url, `/verify/${serial}`, { headers: { accept: 'application/json' } });
      if (r.status === 429) limited = r;
      else expect(r.status).toBe(200);
    }
    expect(limited?.json).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    const h = await get(portal.url, `/verify/${serial}`, { query: { lang: 'en' } });
    expect(h.status).toBe(429);
    expect(h.bytes.toString()).toContain('Too many requests');
    (portal.ctx.clock as MovableClock).advance(61_000);
    expect((await get(portal.url, `/verify/${serial}`, { headers: { accept: 'application/json' } })).status).toBe(200);
  });
});

describe('demo category with the recommended package', () => {
  it('«Жеткізуші құжаттары» carries the seed package template; seeding again changes nothing', async () => {
    const r = await call(portal.url, 'GET', `/api/reference/aki-categories/${demoId('aki_category', 'supplier_documents')}/requirements`);
    expect(r.status).toBe(200);
    const files = r.json.template.requirements.filter((q: { type: string }) => q.type === 'file');
    expect(files.map((f: { key: string }) => f.key)).toEqual(['registration_certificate', 'charter', 'tax_registration', 'passport', 'power_of_attorney', 'registry_extract', 'tax_debt_certificate']);
    const groups = (await call(portal.url, 'GET', '/api/reference/aki-groups')).json;
    expect(JSON.stringify(groups)).toContain('Документы поставщика');
    expect(await seedDemoData(portal.ctx)).toEqual({ created: 0 });
  });
});
