/**
 * documents.stamp through the real back end (createBackend signed in to a test portal): a PDF
 * staged like the UI does, stamped with a logo from the picker; the staged result is the stamped
 * PDF under <name>_<serial>.pdf, and its QR points to the back end's portal.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialOfPdf } from '../../src-shared/documents/serial';
import { openPdf } from '../../src-shared/pdf';
import { startSignEnv, type SignEnv } from './sign-helpers';
import { decodePage, discPng, pdfText, qpdfCheck, tempDir, textPdf, write } from './stamp-helpers';

let env: SignEnv;
const tmp = tempDir();
const BIN = '160340000666';

beforeAll(async () => {
  env = await startSignEnv();
}, 180_000);
afterAll(async () => {
  await env?.close();
  tmp.cleanup();
});

async function logoHandle(): Promise<string> {
  const p = tmp.path('logo.png');
  write(p, discPng());
  return (await env.backend.files.register(p, 'logo.png')).handle;
}

describe('documents.stamp', () => {
  it('stamps a staged PDF and stages the result under the serial; QR → the back end portal, Code 128 → the serial', async () => {
    const staged = await env.stage(await textPdf({ pages: 3 }), 'Жарғы.pdf');
    const tmpBefore = readdirSync(tmpdir()).filter((n) => n.startsWith('seriktes-stamp-')).length;
    const res = (await env.rpc('documents.stamp', { file: { sha256: staged.sha256, name: staged.name }, bin: BIN, logo: { handle: await logoHandle() } })) as {
      ref: { sha256: string; name: string; size: number; contentType: string };
      serial: string;
      notes?: string[];
    };
    expect(res.ref.name).toBe(`Жарғы_${res.serial}.pdf`);
    expect(res.ref.contentType).toBe('application/pdf');
    expect(res.ref.sha256).not.toBe(staged.sha256);
    expect(res.notes).toContain('transparency_pdfa2b');
    const bytes = env.read(res.ref.sha256);
    expect(bytes.length).toBe(res.ref.size);
    expect(serialOfPdf(openPdf(bytes).view())).toBe(res.serial);
    const out = tmp.path('rpc-stamped.pdf');
    write(out, bytes);
    expect(qpdfCheck(out).code).toBe(0);
    const codes = decodePage(out);
    expect(codes[0]).toBe(`CODE-128:${res.serial}`);
    expect(codes[1]).toMatch(new RegExp(`^QR-Code:http://127\\.0\\.0\\.1:\\d+/verify/${res.serial.replace(/[$*]/g, '\\$&')}$`));
    // The UI language of a fresh back end (kk) is the caption's.
    expect(pdfText(out)).toContain('Құжаттың сериялық нөмірі');
    // The temp copy is gone.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('seriktes-stamp-')).length).toBeLessThanOrEqual(tmpBefore);

    // Stamping the stamped file again: refused unless restamp; then a new serial.
    const again = { file: { sha256: res.ref.sha256, name: res.ref.name }, bin: BIN };
    expect(await env.codeOf(env.rpc('documents.stamp', again))).toBe('document_already_stamped');
    const re = (await env.rpc('documents.stamp', { ...again, restamp: true, qr: 'none' })) as { ref: { name: string }; serial: string };
    expect(re.serial).not.toBe(res.serial);
    expect(re.ref.name).toBe(`Жарғы_${re.serial}.pdf`);
  });

  it('refusals: an unknown file, a bad BIN, a non-PDF, an encrypted PDF', async () => {
    const pdf = await env.stage(await textPdf({ pages: 1 }), 'a.pdf');
    expect(await env.codeOf(env.rpc('documents.stamp', { file: { sha256: 'f'.repeat(64), name: 'x.pdf' }, bin: BIN }))).toBe('not_found');
    expect(await env.codeOf(env.rpc('documents.stamp', { file: { sha256: pdf.sha256, name: 'a.pdf' }, bin: '123456789012' }))).toBe('invalid_input');
    const txt = await env.stage(new TextEncoder().encode('plain text, not a PDF'), 'a.txt');
    expect(await env.codeOf(env.rpc('documents.stamp', { file: { sha256: txt.sha256, name: 'a.txt' }, bin: BIN }))).toBe('pdf_invalid');
    const plain = tmp.path('plain.pdf');
    write(plain, await textPdf({ pages: 1 }));
    execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', plain, tmp.path('enc.pdf')]);
    const enc = await env.stage(new Uint8Array(readFileSync(tmp.path('enc.pdf'))), 'enc.pdf');
    expect(await env.codeOf(env.rpc('documents.stamp', { file: { sha256: enc.sha256, name: 'enc.pdf' }, bin: BIN }))).toBe('pdf_encrypted');
  });
});
