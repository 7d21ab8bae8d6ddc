/**
 * Document signing through the real back end (RPC): a batch of 10 PDFs of ~2 MB each signed with a
 * local key (openKey → sign → closeKey), without and with a timestamp from a local TSA, and a
 * co-signature batch over the signed outputs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createTestPki, KZ_EKU, SUBJECTS } from '../../test/signing/helpers/test-pki';
import { startTsa } from '../../test/signing/helpers/services';
import { startSignEnv } from '../../test/documents/sign-helpers';

async function bigPdf(i: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Bench document ${i}`, { x: 50, y: 780, size: 14, font });
  await doc.attach(randomBytes(2 * 1024 * 1024), `annex-${i}.bin`, { mimeType: 'application/octet-stream' });
  return doc.save({ useObjectStreams: false });
}

export async function run(): Promise<void> {
  const pki = createTestPki();
  const env = await startSignEnv();
  const tsa = await startTsa(pki);
  try {
    const head = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] });
    const files = [];
    for (let i = 0; i < 10; i++) files.push(await env.stage(await bigPdf(i), `bench-${i}.pdf`));
    const mb = files.reduce((n, f) => n + f.size, 0) / 1024 / 1024;
    const open = async () => {
      const handle = await env.uploadKey(pki.p12(head, 'bench-pass'), 'RSA256_bench.p12');
      const t = performance.now();
      const r = (await env.rpc('documents.openKey', { key: { source: 'file', handle, password: 'bench-pass' } })) as { keySession: string };
      return { ...r, ms: performance.now() - t };
    };
    const batch = async (keySession: string, list: { sha256: string; name: string }[], timestamp: boolean) => {
      const t = performance.now();
      const { results } = (await env.rpc('documents.sign', { operationId: randomUUID(), keySession, files: list.map((f) => ({ sha256: f.sha256, name: f.name })), timestamp })) as {
        results: { ref?: { sha256: string; name: string }; error?: unknown }[];
      };
      const ms = performance.now() - t;
      if (results.some((r) => r.error)) throw new Error(`bench batch failed: ${JSON.stringify(results.find((r) => r.error)?.error)}`);
      return { ms, refs: results.map((r) => r.ref!) };
    };
    const k = await open();
    console.log(`openKey (local .p12): ${k.ms.toFixed(0)} ms`);
    const plain = await batch(k.keySession, files, false);
    console.log(`sign 10 PDFs (${mb.toFixed(1)} MB), no timestamp: ${plain.ms.toFixed(0)} ms (${(plain.ms / 10).toFixed(0)} ms/file)`);
    process.env.SERIKTES_TSA_URL = tsa.url;
    const stamped = await batch(k.keySession, files, true);
    console.log(`sign 10 PDFs, timestamp from a local TSA (openssl ts): ${stamped.ms.toFixed(0)} ms (${(stamped.ms / 10).toFixed(0)} ms/file)`);
    delete process.env.SERIKTES_TSA_URL;
    const co = await batch(k.keySession, plain.refs, false);
    console.log(`co-sign the 10 signed PDFs (lock check of the first signature + second signature): ${co.ms.toFixed(0)} ms (${(co.ms / 10).toFixed(0)} ms/file)`);
    await env.rpc('documents.closeKey', { keySession: k.keySession });
  } finally {
    await tsa.close();
    await env.close();
    pki.cleanup();
  }
}
