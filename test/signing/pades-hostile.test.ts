/**
 * Preparing a signature on damaged input ends in a specific error code, never a raw exception:
 * the file cut at many points and bytes flipped at seeded random places, for a classic-xref and an
 * object-stream PDF. Whatever succeeds still keeps the input as an exact prefix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/rpc/errors';
import { preparePdfForSigning } from '../../src-shared/signing/pades';
import { qpdfRewrite, tempDir } from '../pdf/helpers';
import { makePdf } from './helpers/tools';

const tmp = tempDir('seriktes-pades-hostile-');
afterAll(() => tmp.cleanup());

const CODES = new Set(['pdf_invalid', 'pdf_encrypted', 'pdf_too_large']);

async function outcome(input: Uint8Array): Promise<string> {
  try {
    const p = await preparePdfForSigning(input, { signingTime: new Date(0), placeholderBytes: 64 });
    expect(Buffer.from(p.bytes.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect(CODES.has((e as AppError).code)).toBe(true);
    return (e as AppError).code;
  }
}

/** A small deterministic generator (mulberry32), so a failure names its case. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('preparePdfForSigning on damaged input', () => {
  it('cut files and flipped bytes end in pdf_* codes (classic xref and object streams)', async () => {
    const classic = await makePdf({ pages: 2 });
    const os = qpdfRewrite(tmp.dir, 'os', classic, ['--object-streams=generate']);
    expect(readFileSync(join(tmp.dir, 'os.pdf')).includes('/ObjStm')).toBe(true);
    const seen = new Map<string, number>();
    for (const [name, pdf] of [['classic', classic], ['objstm', os]] as const) {
      for (let i = 1; i <= 60; i++) {
        const cut = Math.floor((pdf.length * i) / 61);
        const code = await outcome(pdf.subarray(0, cut));
        seen.set(code, (seen.get(code) ?? 0) + 1);
      }
      const next = rng(name.length);
      for (let i = 0; i < 150; i++) {
        const m = new Uint8Array(pdf);
        for (let k = 0; k < 1 + (i % 4); k++) m[Math.floor(next() * m.length)] = Math.floor(next() * 256);
        const code = await outcome(m);
        seen.set(code, (seen.get(code) ?? 0) + 1);
      }
    }
    expect(seen.get('pdf_invalid')).toBeGreaterThan(0);
    expect(seen.get('ok')).toBeGreaterThan(0);
  });
});
