/**
 * Issue 13, portal side: the upload gate checks PDFs in a worker thread with a time and memory
 * limit, on the bounded reader. While a (held) check of a decompression bomb is in progress,
 * /api/health is answered; each bomb (256 MiB /Metadata, deep nesting, a million objects) is
 * refused for good with its code; a check that runs out of time or memory is a final refusal too. Real portal over
 * loopback HTTP; the hold (check-pool.ts) blocks the worker synchronously, as a bomb would, so the
 * order of events is certain without measuring time.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, signIn, startTestPortal } from './helpers';
import { stampedPdf, uploadFile } from './documents-helpers';
import { checkStarted, deepNestingBomb, metadataBomb, millionObjectsBomb, newHold, release } from '../documents/pdf-bombs';
import { sha256 } from './helpers';

vi.setConfig({ testTimeout: 120_000 });

type Portal = Awaited<ReturnType<typeof startTestPortal>>;
const portals: Portal[] = [];
const start = async (o: Parameters<typeof startTestPortal>[0]) => {
  const p = await startTestPortal(o);
  portals.push(p);
  return { portal: p, token: await signIn(p.url, 'supplier') };
};
afterAll(async () => {
  for (const p of portals) await p.cleanup();
});

/** Create → PUT; finalize is left to the test. */
async function stage(base: string, token: string, bytes: Uint8Array): Promise<string> {
  const created = await call(base, 'POST', '/api/uploads', { token, body: { size: bytes.length, sha256: sha256(bytes), name: 'bomb.pdf' } });
  const uploadId = created.json.uploadId as string;
  expect((await call(base, 'PUT', `/api/uploads/${uploadId}`, { token, raw: bytes, query: { offset: 0 } })).status).toBe(200);
  return uploadId;
}

describe('a check in progress does not hold the portal', () => {
  const hold = newHold();
  let portal: Portal;
  let token: string;
  let bomb: Uint8Array;
  beforeAll(async () => {
    ({ portal, token } = await start({ documents: { pdfCheckHold: hold }, limits: { maxVerifiedPdfBytes: 4 * 1024 * 1024 } }));
    bomb = await metadataBomb();
  });

  it('answers /api/health while the bomb is being checked, before the check ends', async () => {
    const uploadId = await stage(portal.url, token, bomb);
    const order: string[] = [];
    const finalize = call(portal.url, 'POST', `/api/uploads/${uploadId}/finalize`, { token }).then((r) => {
      order.push('finalize');
      return r;
    });
    await checkStarted(hold);
    const health = await call(portal.url, 'GET', '/api/health');
    order.push('health');
    expect(health.status).toBe(200);
    expect(order).toEqual(['health']);
    release(hold);
    const fin = await finalize;
    expect(order).toEqual(['health', 'finalize']);
    expect(fin.status).toBe(422);
    expect(fin.json.code).toBe('pdf_inflate_limit');
  });

  it.each([
    ['a /Metadata stream inflating to 256 MiB', 'pdf_inflate_limit', () => metadataBomb()],
    ['arrays nested 20 000 deep in the catalog', 'pdf_nesting_too_deep', async () => deepNestingBomb()],
    ['1 000 000 objects', 'pdf_too_many_objects', async () => millionObjectsBomb()],
  ])('refuses %s for good with %s', async (_what, code, make) => {
    release(hold); // released already above; later checks pass the hold without waiting
    const bytes = await make();
    const r = await uploadFile(portal.url, token, bytes);
    expect(r.status).toBe(422);
    expect(r.json.code).toBe(code);
    expect((await call(portal.url, 'GET', `/api/uploads/${r.uploadId}`, { token })).json.code).toBe(code);
    expect((await call(portal.url, 'POST', `/api/uploads/${r.uploadId}/finalize`, { token })).json.code).toBe(code);
  });
});

describe('limits', () => {
  it('a check past its time limit is refused for good with pdf_check_timeout', async () => {
    const hold = newHold(); // never released: the check cannot end by itself
    const { portal, token } = await start({ documents: { pdfCheckHold: hold }, limits: { pdfCheck: { timeoutMs: 300 } } });
    const pdf = await stampedPdf('Held past its time');
    const r = await uploadFile(portal.url, token, pdf);
    expect(r.status).toBe(422);
    expect(r.json.code).toBe('pdf_check_timeout');
    const again = await call(portal.url, 'GET', `/api/uploads/${r.uploadId}`, { token });
    expect(again.json.code).toBe('pdf_check_timeout');
    expect((await call(portal.url, 'GET', '/api/health')).status).toBe(200);
  });

  it('a check past its memory limit is refused for good with pdf_check_out_of_memory', async () => {
    // 4 MB of heap is less than loading the checker takes: the worker dies of it, the portal does not.
    const { portal, token } = await start({ limits: { pdfCheck: { maxOldGenerationMb: 4 } } });
    const pdf = await stampedPdf('Too little memory');
    const r = await uploadFile(portal.url, token, pdf);
    expect(r.status).toBe(422);
    expect(r.json.code).toBe('pdf_check_out_of_memory');
    const again = await call(portal.url, 'POST', `/api/uploads/${r.uploadId}/finalize`, { token });
    expect(again.json.code).toBe('pdf_check_out_of_memory');
    expect((await call(portal.url, 'GET', '/api/health')).status).toBe(200);
  });
});
