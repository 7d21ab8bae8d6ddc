/**
 * File hashing in the worker thread (src-main/signing/hash-file.ts + hash-loop.ts) gives the digests
 * of the old path — a read stream through createHash / the GOST hasher — on the sizes where a reused
 * buffer could go wrong: empty, one byte, the buffer size ±1, several buffers, and 200 MB.
 * Correctness only; the speed is bench row P4.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestFile, stopHashWorker } from '../../src-main/signing/hash-file';
import { HASH_BUFFER_BYTES, nodeHashName } from '../../src-main/signing/hash-loop';
import { createGostHasher } from '../../src-shared/signing/gost-bridge';
import { OID } from '../../src-shared/signing/oids';

/** The pre-worker implementation, kept here as the reference. */
async function oldDigest(path: string, oid: string): Promise<string> {
  const name = nodeHashName(oid);
  const h = name ? createHash(name) : null;
  const g = name ? null : createGostHasher(oid)!;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const c = chunk as Buffer;
    if (h) h.update(c);
    else g!.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  }
  return Buffer.from(h ? h.digest() : g!.digest()).toString('hex');
}

/** Bytes that never repeat at the buffer's period, so a stale or misplaced buffer shows. */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 255;
  }
  return b;
}

const hex = (d: Uint8Array) => Buffer.from(d).toString('hex');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-hash-worker-'));
});
afterAll(async () => {
  await stopHashWorker();
  rmSync(dir, { recursive: true, force: true });
});

describe('file hashing in the worker thread', () => {
  const B = HASH_BUFFER_BYTES;
  const sizes = [0, 1, B - 1, B, B + 1, 2 * B + 1, 3 * B - 1];

  // The GOST hashes run in JS (slow): their loop is checked at the buffer's edges, SHA on every size.
  const oidsFor = (size: number) => (size <= B + 1 ? [OID.sha256, OID.sha1, OID.streebog256, OID.streebog512, OID.gost34311] : [OID.sha256, OID.sha1]);

  it.each(sizes)('%i bytes: the worker equals the old path (SHA; Streebog and GOST 34.311 up to the buffer size + 1)', async (size) => {
    const path = join(dir, `f${size}.bin`);
    writeFileSync(path, pattern(size, size + 11));
    for (const oid of oidsFor(size)) {
      expect(hex(await digestFile(path, oid)), `${oid} over ${size} bytes`).toBe(await oldDigest(path, oid));
    }
    rmSync(path);
  });

  it('parallel requests each get their own file digest', async () => {
    const paths = [5, B + 3, 7 * 1000].map((n, i) => {
      const p = join(dir, `par${i}.bin`);
      writeFileSync(p, pattern(n, 99 + i));
      return p;
    });
    const got = await Promise.all(paths.map((p) => digestFile(p, OID.sha256)));
    for (let i = 0; i < paths.length; i++) expect(hex(got[i]!)).toBe(await oldDigest(paths[i]!, OID.sha256));
  });

  it('a missing file rejects with ENOENT and the worker keeps serving; an unknown algorithm is refused', async () => {
    await expect(digestFile(join(dir, 'no-such.bin'), OID.sha256)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(digestFile(join(dir, 'no-such.bin'), '1.2.3.4')).rejects.toThrow(/unsupported/);
    const p = join(dir, 'after.bin');
    writeFileSync(p, 'after');
    expect(hex(await digestFile(p, OID.sha256))).toBe(await oldDigest(p, OID.sha256));
  });

  it('200 MB: SHA-256 equals the old path (generated in the tmp dir, deleted after)', async () => {
    const path = join(dir, 'big.bin');
    const block = pattern(B + 7, 200); // odd length: file offsets and buffer edges never line up
    const fd = openSync(path, 'w');
    try {
      let written = 0;
      for (let i = 0; written < 200 * 1024 * 1024; i++) {
        block.writeUInt32LE(i, 0); // every block differs
        written += writeSync(fd, block);
      }
    } finally {
      closeSync(fd);
    }
    try {
      expect(hex(await digestFile(path, OID.sha256))).toBe(await oldDigest(path, OID.sha256));
    } finally {
      rmSync(path, { force: true });
    }
  }, 120_000);
});
