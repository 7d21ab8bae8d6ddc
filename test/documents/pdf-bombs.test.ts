/**
 * Issue 13, app side: decompression bombs and structural bombs are refused with the bounded
 * reader's codes by every path that reads a PDF — the inspection (in its limited worker; the
 * package checks' input), stamping (before pdf-lib touches the file) and `cli inspect`'s facts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inspectDocument } from '../../src-main/documents/inspect';
import { stampPdf } from '../../src-main/documents/stamp';
import { appTrust, type AppTrust } from '../../src-main/documents/trust';
import { pdfFacts } from '../../src-shared/signing/pdf-facts';
import { deepNestingBomb, metadataBomb, millionObjectsBomb } from './pdf-bombs';

vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let trust: AppTrust;
const bombs: [string, string, Uint8Array][] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-bombs-'));
  trust = appTrust({ trustTestRoots: false, online: false }, {});
  bombs.push(['metadata', 'pdf_inflate_limit', await metadataBomb()], ['nesting', 'pdf_nesting_too_deep', deepNestingBomb()], ['million', 'pdf_too_many_objects', millionObjectsBomb()]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

describe('bombs', () => {
  it('the inspection reports each bomb with its code as the problem, no profile', async () => {
    for (const [name, code, bytes] of bombs) {
      const path = join(dir, `${name}.pdf`);
      writeFileSync(path, bytes);
      const i = await inspectDocument(path, { trust });
      expect({ name, problems: i.problems, pdf: i.pdf }).toEqual({ name, problems: [code], pdf: null });
    }
  });

  it('stamping refuses each bomb with its code', async () => {
    for (const [name, code, bytes] of bombs) {
      expect({ name, code: await codeOf(stampPdf(bytes, { qr: 'none', portalUrl: 'http://127.0.0.1', language: 'ru' })) }).toEqual({ name, code });
    }
  });

  it('pdfFacts (cli inspect) refuses each bomb with its code', async () => {
    for (const [name, code, bytes] of bombs) expect({ name, code: await codeOf(pdfFacts(bytes)) }).toEqual({ name, code });
  });
});
