/**
 * PAdES of a PDF on disk in one pass over the file: each chunk is read once into the buffer the
 * bounded reader then parses, hashed on this thread while the thread pool writes it to the output
 * and reads the next one. The signed range starts with the whole original file, so its hash needs
 * nothing from the update; the update (built from the trailer, the xref chain and the few objects a
 * signature touches) adds its two parts, the CMS goes into its placeholder and the update is
 * written after the copy. What is hashed is exactly what is written, even if the input changes
 * meanwhile. No other copy of the file is held; the output appears by rename only when complete.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/rpc/errors';
import { embedSignature, signatureUpdateFor, type PadesOptions } from '../../src-shared/signing/pades';

/** Chunks in flight between the reader, the hash and the writer: 1 MiB stays in cache between the read and the hash. */
const CHUNK = 1 << 20;

export interface PadesFileResult {
  fieldName: string;
  /** Size of the signed file. */
  bytes: number;
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
    output = await open(tmp, 'wx');
    const hash = createHash('sha256');
    let pdf: Uint8Array | undefined = await copyHashing(input, output, size, hash);
    const u = signatureUpdateFor(pdf, options);
    pdf = undefined; // the reader's view is done: let the file's bytes go before the CMS work
    hash.update(u.update.subarray(0, u.contentsStart - size));
    hash.update(u.update.subarray(u.contentsEnd - size));
    const cms = await cmsFor(new Uint8Array(hash.digest()));
    const update = embedSignature({ bytes: u.update, byteRange: u.byteRange, fieldName: u.fieldName, contentsStart: u.contentsStart - size, contentsEnd: u.contentsEnd - size }, cms);
    await writeAll(output, update, size);
    await output.close();
    output = undefined;
    await rename(tmp, outPath);
    return { fieldName: u.fieldName, bytes: size + update.length };
  } catch (e) {
    await output?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    await input.close();
  }
}

/** Reads `size` bytes into one buffer, hashing each chunk while the previous write and the next read run. */
async function copyHashing(input: FileHandle, output: FileHandle, size: number, hash: Hash): Promise<Uint8Array> {
  const buf = Buffer.allocUnsafe(size);
  const readAt = (pos: number) => input.read(buf, pos, Math.min(CHUNK, size - pos), pos);
  let writing: Promise<unknown> = Promise.resolve();
  let pos = 0;
  let reading = size > 0 ? readAt(0) : undefined;
  try {
    while (reading) {
      const { bytesRead } = await reading;
      reading = undefined;
      if (bytesRead === 0) throw new AppError('file_unreadable', 'The PDF became shorter while it was being signed');
      const at = pos;
      pos += bytesRead;
      if (pos < size) reading = readAt(pos);
      const chunk = buf.subarray(at, pos);
      writing = writing.then(() => writeAll(output, chunk, at));
      hash.update(chunk);
    }
    await writing;
  } catch (e) {
    // Settle whatever is still running before the caller closes the files.
    await Promise.allSettled([reading, writing]);
    throw e;
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
