/**
 * Issue 13, app side: the inspection of a PDF runs in a worker thread with a time and memory
 * limit (src-main/documents/inspect-isolated.ts). While a (held) inspection is in progress the
 * back end's event loop keeps turning; running out of time or memory is an inspection `problems`
 * code. The hold (check-pool.ts) blocks the worker synchronously, as a bomb would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inspectDocument } from '../../src-main/documents/inspect';
import { appTrust, type AppTrust } from '../../src-main/documents/trust';
import { makeTextPdf } from './inspect-fixtures';
import { checkStarted, newHold, release } from './pdf-bombs';

vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let trust: AppTrust;
const file = (name: string, bytes: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-isolation-'));
  trust = appTrust({ trustTestRoots: false, online: false }, {});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspection in a worker', () => {
  it('the event loop turns while an inspection is in progress; the result arrives after it is let go', async () => {
    const hold = newHold();
    const path = file('held.pdf', await makeTextPdf({ pages: 1 }));
    let done = false;
    const inspection = inspectDocument(path, { trust, check: { hold } }).finally(() => {
      done = true;
    });
    await checkStarted(hold);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    release(hold);
    const i = await inspection;
    expect(i.problems).toEqual([]);
    expect(i.pdf?.pages).toBe(1);
  });

  it('one inspection at a time: the second starts only once the first has ended', async () => {
    const [holdA, holdB] = [newHold(), newHold()];
    const path = file('queued.pdf', await makeTextPdf({ pages: 1 }));
    const a = inspectDocument(path, { trust, check: { hold: holdA } });
    const b = inspectDocument(path, { trust, check: { hold: holdB } });
    await checkStarted(holdA);
    await new Promise((r) => setTimeout(r, 50));
    expect(Atomics.load(holdB, 1)).toBe(0);
    release(holdA);
    await a;
    await checkStarted(holdB);
    release(holdB);
    expect((await b).problems).toEqual([]);
  });

  it('an inspection past its time limit is the problem pdf_check_timeout', async () => {
    const path = file('slow.pdf', await makeTextPdf({ pages: 1 }));
    const i = await inspectDocument(path, { trust, check: { hold: newHold(), timeoutMs: 300 } });
    expect(i.problems).toEqual(['pdf_check_timeout']);
    expect(i.pdf).toBeNull();
    expect(i.contentType).toBe('application/pdf');
  });

  it('an inspection past its memory limit is the problem pdf_check_out_of_memory', async () => {
    const path = file('big.pdf', await makeTextPdf({ pages: 1 }));
    const i = await inspectDocument(path, { trust, check: { maxOldGenerationMb: 4 } });
    expect(i.problems).toEqual(['pdf_check_out_of_memory']);
    expect(i.pdf).toBeNull();
  });
});
