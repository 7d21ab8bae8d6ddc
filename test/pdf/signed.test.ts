/**
 * Revisions of files signed by the project's own signer (PAdES incremental updates): two
 * signatures make three revisions; each revision ends just past its %%EOF, each signature's
 * /ByteRange ends where its revision ends, and each earlier view equals what qpdf reads from the
 * file cut at that revision's end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityFromPkcs12, signFilePades, type SigningIdentity } from '../../src-main/signing/sign-file';
import { openPdf, PdfDict, PdfString, type PdfDocument } from '../../src-shared/pdf';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from '../signing/helpers/test-pki';
import { makeNssDb, run } from '../signing/helpers/tools';
import { qpdfJson, qpdfRewrite, samplePdf, sameObjectAsQpdf } from './helpers';

vi.setConfig({ testTimeout: 90_000 });

let pki: TestPki;
let person: SigningIdentity;
let head: SigningIdentity;
beforeAll(async () => {
  pki = createTestPki();
  person = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'x'), 'x');
  head = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead], key: 'tsa' }), 'y'), 'y');
});
afterAll(() => pki?.cleanup());

async function sign(name: string, input: Uint8Array, identity: SigningIdentity): Promise<Uint8Array> {
  const inPath = pki.write(`${name}.pdf`, input);
  const outPath = join(pki.dir, `${name}-signed.pdf`);
  await signFilePades({ identity, inPath, outPath });
  return new Uint8Array(readFileSync(outPath));
}

function eofEnds(b: Uint8Array): number[] {
  const s = Buffer.from(b).toString('latin1');
  const out: number[] = [];
  for (let i = s.indexOf('%%EOF'); i >= 0; i = s.indexOf('%%EOF', i + 1)) {
    let e = i + 5;
    if (s[e] === '\r') e++;
    if (s[e] === '\n') e++;
    out.push(e);
  }
  return out;
}

/** Every signature dictionary in the last view, with its /ByteRange end. */
function signatureEnds(doc: PdfDocument): number[] {
  const v = doc.view();
  const ends: number[] = [];
  for (const [num, e] of v.xref) {
    if (e.kind === 'free') continue;
    const d = v.dict(v.object(num));
    const br = d?.get('ByteRange');
    if (d && Array.isArray(br) && br.length === 4 && d.get('Contents') instanceof PdfString) ends.push((br[2] as number) + (br[3] as number));
  }
  return ends.sort((a, b) => a - b);
}


/** Three revisions (original, one signature, two): ends, /ByteRange ends, each view against qpdf on the cut file. */
function checkRevisions(name: string, original: Uint8Array, once: Uint8Array, twice: Uint8Array, fieldCounts = [0, 1, 2]) {
  const linearized = name === 'linearized';
  const doc = openPdf(twice);
  // A linearized file's first-page xref has its own early %%EOF; it belongs to revision 0.
  expect(doc.revisions.map((r) => r.end)).toEqual(eofEnds(twice).slice(linearized ? 1 : 0));
  // pdf-lib ends its file at `%%EOF` with no newline; the signer's update starts with one, which
  // then counts as revision 0's end-of-line. The signed prefix still ends "at" revision 0.
  expect(doc.revisions[0]!.end - original.length).toBeLessThanOrEqual(1);
  expect(doc.revisions.slice(1).map((r) => r.end)).toEqual([once.length, twice.length]);
  const sigEnds = signatureEnds(doc);
  expect(sigEnds).toEqual([once.length, twice.length]);
  for (const [i, end] of sigEnds.entries()) expect(doc.revisionEndingAt(end)?.index).toBe(i + 1);
  expect(doc.revisionEndingAt(original.length)?.index).toBe(0);
  expect(doc.revisionEndingAt(original.length + 3)).toBeUndefined();

  // Each view's xref is the union of the sections up to it, later entries winning.
  for (const rev of doc.revisions) {
    const expected = new Map<number, unknown>();
    for (const r of doc.revisions.slice(0, rev.index + 1)) for (const [n, e] of r.entries) expected.set(n, e);
    const xref = doc.view(rev.index).xref;
    expect(new Map(xref)).toEqual(expected);
    expect(xref.size).toBe(expected.size);
    for (const [n, e] of expected) expect(xref.get(n)).toBe(e);
  }
  // An object not redefined is the same value in both views (a fast path for comparing revisions).
  const first = doc.view(0), last = doc.view(2);
  let same = 0;
  for (const [n, e] of first.xref) {
    if (e.kind === 'free' || last.xref.get(n) !== e) continue;
    expect(last.object(n)).toBe(first.object(n));
    same++;
  }
  expect(same).toBeGreaterThan(3);
  // Each view is the document qpdf reads from the file cut at that revision's end.
  for (const rev of doc.revisions) {
    const view = doc.view(rev.index);
    const oracle = qpdfJson(pki.dir, twice.subarray(0, rev.end));
    for (const k of Object.keys(oracle.objects).filter((x) => x.startsWith('obj:'))) {
      const num = Number(k.slice(4).split(' ')[0]);
      expect(sameObjectAsQpdf(view.object(num), oracle.objects[k]), `revision ${rev.index}, object ${num}`).toBeUndefined();
    }
    expect(view.pages().map((p) => `${p.ref.num} ${p.ref.gen} R`)).toEqual(oracle.pages);
  }
  // A file cut inside the last update opens as the revisions before it; the caller sees the uncovered tail.
  const cut = openPdf(twice.subarray(0, once.length + 100));
  expect(cut.revisions).toHaveLength(2);
  expect(cut.revisions[1]!.end).toBe(once.length);
  // Signature fields listed in /AcroForm /Fields, per revision.
  const fields = (i: number) => {
    const v = doc.view(i);
    const form = v.dict(v.catalog().get('AcroForm'));
    const f = form ? v.resolve(form.get('Fields')) : undefined;
    return Array.isArray(f) ? f.filter((x) => v.dict(x) instanceof PdfDict).length : 0;
  };
  expect([0, 1, 2].map(fields)).toEqual(fieldCounts);
}

describe('revisions of signed files', () => {
  it.each([
    ['classic xref', [] as string[]],
    ['object streams', ['--object-streams=generate']],
    ['linearized', ['--linearize']],
  ])('%s, signed twice: three revisions at the EOF markers and the /ByteRange ends', async (name, args) => {
    const base = await samplePdf(2);
    const original = args.length ? qpdfRewrite(pki.dir, `orig-${name.replace(/\W/g, '')}`, base, args) : base;
    const once = await sign(`once-${name.replace(/\W/g, '')}`, original, person);
    const twice = await sign(`twice-${name.replace(/\W/g, '')}`, once, head);
    checkRevisions(name, original, once, twice);
  });

  it('co-signed by poppler (pdfsig -add-signature, NSS) after the project\'s signature, object streams', async () => {
    const db = makeNssDb(pki.dir, join(pki.dir, 'root.pem'));
    const p12 = pki.write('nss.p12', pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'pw'));
    expect(run('pk12util', ['-i', p12, '-d', `sql:${db}`, '-W', 'pw', '-K', '']).code).toBe(0);
    const original = qpdfRewrite(pki.dir, 'orig-nss', await samplePdf(2), ['--object-streams=generate']);
    const once = await sign('once-nss', original, person);
    const inPath = pki.write('nss-in.pdf', once), outPath = join(pki.dir, 'nss-out.pdf');
    const r = run('pdfsig', ['-nssdir', `sql:${db}`, '-add-signature', '-nick', 'seriktes-test', '-kpw', '', '-new-signature-field-name', 'NssSig', inPath, outPath]);
    expect(r.code, r.stderr).toBe(0);
    // poppler 22.12 adds its widget to the page's /Annots but not to the (indirect) /AcroForm /Fields;
    // qpdf agrees ("widget annotation is not reachable from /AcroForm").
    checkRevisions('nss', original, once, new Uint8Array(readFileSync(outPath)), [0, 1, 1]);
  });
});
