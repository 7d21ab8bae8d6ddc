/**
 * The lock matrix, forgeries (issue 13): a supplier's signed PDF — classic xref table, or object
 * streams with an xref stream — changed after signing in every way the review found, each with
 * and without a LATER legitimate co-signature by the project's signer. Every forgery must be
 * refused by `cli verify` (not exit 0, the supplier's signature not "valid"), by `check-package`
 * (an error: modified after signing / signature invalid) and by the portal's upload (422). The
 * untouched signed document and its honest co-signature are the controls: accepted by all three.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORGERIES, forge, type Forgery } from './lock-matrix/forgeries';
import { judgeAll, matrixPortal, type MatrixPortal, type Row, type Verdicts } from './lock-matrix/judges';
import { basePdf, LAYOUTS, matrixPki, projectSign, type Layout, type MatrixPki } from './lock-matrix/setup';
import { expectAccepted, expectRefused } from './lock-matrix/expect';
import { run } from './helpers/tools';

vi.setConfig({ testTimeout: 120_000 });

let m: MatrixPki;
let portal: MatrixPortal;
let dir: string;
let verdicts: Map<string, Verdicts>;

const key = (layout: Layout, what: string, cosigned: boolean) => `${layout}_${what}${cosigned ? '_cosigned' : ''}`;

/**
 * Set-up failures (java, javac or the jars missing, a tool refusing) are kept and thrown by every
 * test: vitest would report the tests of a failed beforeAll as skipped, and these must fail.
 */
let setupError: unknown;
const ready = () => {
  if (setupError) throw setupError;
};

beforeAll(async () => {
  try {
    await setUp();
  } catch (e) {
    setupError = e;
  }
}, 300_000);

async function setUp(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-lock-matrix-'));
  m = await matrixPki();
  portal = await matrixPortal(m.pki.root.der);
  const rows: Row[] = [];
  for (const layout of LAYOUTS) {
    const base = await basePdf(layout, dir);
    const signed = await projectSign(base, m.supplier);
    rows.push({ key: key(layout, 'signed', false), bytes: signed }, { key: key(layout, 'signed', true), bytes: await projectSign(signed, m.colleague) });
    // Certification (DocMDP): P1 allows no change at all, P2 allows another signature (not an annotation).
    const p1 = await projectSign(base, m.supplier, 1);
    const p2 = await projectSign(base, m.supplier, 2);
    rows.push(
      { key: key(layout, 'certified_p1', true), bytes: await projectSign(p1, m.colleague) },
      { key: key(layout, 'certified_p2', true), bytes: await projectSign(p2, m.colleague) },
      { key: key(layout, 'certified_p2_free_text', false), bytes: await forge(p2, 'free_text', dir) },
    );
    // A form that is its own object (Acrobat, iText, PDFBox documents): the form edit lands in that object.
    const indirect = await projectSign(await basePdf(layout, dir, { indirectForm: true }), m.supplier);
    const dropped = await forge(indirect, 'drop_sig_field', dir);
    rows.push(
      { key: key(layout, 'indirect_form', false), bytes: indirect },
      { key: key(layout, 'indirect_form_drop_sig_field', false), bytes: dropped },
      { key: key(layout, 'indirect_form_drop_sig_field', true), bytes: await projectSign(dropped, m.colleague) },
    );
    for (const f of FORGERIES) {
      const forged = await forge(signed, f, dir);
      rows.push({ key: key(layout, f, false), bytes: forged }, { key: key(layout, f, true), bytes: await projectSign(forged, m.colleague) });
    }
  }
  verdicts = await judgeAll(rows, { dir, rootPem: m.rootPem, portal });
}

afterAll(async () => {
  await portal?.close();
  await m?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(LAYOUTS)('lock matrix, %s layout', (layout) => {
  it('controls: the signed document, and the same co-signed by the project, are accepted by all three', () => {
    ready();
    expectAccepted(key(layout, 'signed', false), verdicts.get(key(layout, 'signed', false))!, 1);
    expectAccepted(key(layout, 'signed', true), verdicts.get(key(layout, 'signed', true))!, 2);
  });

  it('certification: P1 refuses even a co-signature, P2 accepts one, P2 refuses an annotation', () => {
    ready();
    expectRefused(key(layout, 'certified_p1', true), verdicts.get(key(layout, 'certified_p1', true))!);
    expectAccepted(key(layout, 'certified_p2', true), verdicts.get(key(layout, 'certified_p2', true))!, 2);
    expectRefused(key(layout, 'certified_p2_free_text', false), verdicts.get(key(layout, 'certified_p2_free_text', false))!);
  });

  it('a form of its own (indirect /AcroForm): accepted when signed; dropping the signature field refused, co-signed or not', () => {
    ready();
    expectAccepted(key(layout, 'indirect_form', false), verdicts.get(key(layout, 'indirect_form', false))!, 1);
    for (const cosigned of [false, true]) expectRefused(key(layout, 'indirect_form_drop_sig_field', cosigned), verdicts.get(key(layout, 'indirect_form_drop_sig_field', cosigned))!);
  });

  it('every forgery is a well-formed PDF (qpdf --check): an edit, not damage', () => {
    ready();
    for (const f of FORGERIES) {
      const r = run('qpdf', ['--check', join(dir, 'files', `${key(layout, f, false)}.pdf`)]);
      expect.soft(r.stdout + r.stderr, f).not.toMatch(/WARNING/);
      expect.soft(r.code, f).toBe(0);
    }
  });

  it.each(FORGERIES.flatMap((f) => [[f, false], [f, true]] as [Forgery, boolean][]))('forgery %s (co-signed later: %s) is refused by cli verify, check-package and the portal', (f, cosigned) => {
    ready();
    const k = key(layout, f, cosigned);
    expectRefused(k, verdicts.get(k)!);
  });
});
