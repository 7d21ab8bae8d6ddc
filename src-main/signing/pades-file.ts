/**
 * PAdES of a PDF on disk without holding it in memory: the file is copied to a temporary output in
 * chunks through a few reused buffers, each chunk hashed on this thread while the thread pool
 * writes it and reads the next one. The signed range starts with the whole original file, so its
 * hash needs nothing from the update. The update is built from the copy — the bounded reader reads
 * its trailer, xref chain and the few objects a signature touches by positioned reads
 * (file-source.ts) — so what the reader parses is exactly what was hashed and written, even if the
 * input changes meanwhile. The update adds its two parts to the hash, the CMS goes into its
 * placeholder, the update is appended, and the output appears by rename only when complete.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/rpc/errors';
import { embedSignature, signatureUpdateForSource, type PadesOptions } from '../../src-shared/signing/pades';
import { FileSource } from './file-source';

/** One chunk of the copy: 1 MiB stays in cache between the read and the hash. */
const CHUNK = 1 << 20;
/** Chunks in flight between the reader, the hash and the writer: the copy holds 4 MiB whatever the file's size. */
const RING = 4;

export interface PadesFileResult {
  fieldName: string;
  /** Size of the signed file. */
  bytes: number;
  /** Bytes the reader read from the copy to build the update (a small part of a large file). */
  parsedBytes: number;
}

/**
 * Signs `inPath` into `outPath` (may be the same path). `cmsFor` gets the SHA-256 digest of the
 * byte ranges and returns the detached CMS to embed.
 */
export async function signPdfFileStreaming(
  inPath: string,
  outPath: string,
  options: PadesOptions,
  maxBytes: number,
  cmsFor: (sha256: Uint8Array) => Promise<Uint8Array>,
): Promise<PadesFileResult> {
  const input = await open(inPath, 'r');
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.tmp`);
  let output: FileHandle | undefined;
  try {
    const size = (await input.stat()).size;
    if (size > maxBytes) throw new AppError('pdf_too_large', 'The PDF is too large to sign', { size, max: maxBytes });
    output = await open(tmp, 'wx+');
    const hash = createHash('sha256');
    await copyHashing(input, output, size, hash);
    const source = new FileSource(output.fd, size);
    const u = signatureUpdateForSource(source, options);
    hash.update(u.update.subarray(0, u.contentsStart - size));
    hash.update(u.update.subarray(u.contentsEnd - size));
    const cms = await cmsFor(new Uint8Array(hash.digest()));
    const update = embedSignature({ bytes: u.update, byteRange: u.byteRange, fieldName: u.fieldName, contentsStart: u.contentsStart - size, contentsEnd: u.contentsEnd - size }, cms);
    await writeAll(output, update, size);
    await output.close();
    output = undefined;
    await rename(tmp, outPath);
    return { fieldName: u.fieldName, bytes: size + update.length, parsedBytes: source.bytesRead };
  } catch (e) {
    await output?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    await input.close();
  }
}

/** Copies `size` bytes, hashing each chunk while its write and the next read run; buffers are reused once written. */
async function copyHashing(input: FileHandle, output: FileHandle, size: number, hash: Hash): Promise<void> {
  const bufs = Array.from({ length: RING }, () => Buffer.allocUnsafe(Math.min(CHUNK, size)));
  const writes: Promise<void>[] = bufs.map(() => Promise.resolve());
  const readInto = (slot: number, pos: number) => input.read(bufs[slot]!, 0, Math.min(CHUNK, size - pos), pos);
  let pos = 0;
  let slot = 0;
  let reading = size > 0 ? readInto(0, 0) : undefined;
  try {
    while (reading) {
      const { bytesRead } = await reading;
      reading = undefined;
      if (bytesRead === 0) throw new AppError('file_unreadable', 'The PDF became shorter while it was being signed');
      const at = pos;
      pos += bytesRead;
      const chunk = bufs[slot]!.subarray(0, bytesRead);
      slot = (slot + 1) % RING;
      if (pos < size) {
        await writes[slot]; // that buffer's last chunk is on disk: it may be read into again
        reading = readInto(slot, pos);
      }
      const w = writeAll(output, chunk, at);
      w.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
      writes[(slot + RING - 1) % RING] = w;
      hash.update(chunk);
    }
    await Promise.all(writes);
  } catch (e) {
    // Settle whatever is still running before the caller closes the files.
    await Promise.allSettled([reading, ...writes]);
    throw e;
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
