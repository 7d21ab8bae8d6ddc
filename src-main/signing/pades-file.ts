/**
 * PAdES of a PDF on disk without holding it in memory. The update is built from the original by the
 * bounded reader's positioned reads (file-source.ts: the trailer, the xref chain and the few objects
 * a signature touches, some 60 KB of a 50 MB file). The signed range is the whole original followed
 * by the update's signed parts, so its digest needs nothing else: the hash worker hashes the original
 * (synchronous reads, openssl speed) while the thread pool copies it to a temporary output in the
 * kernel (copy_file_range; a reflink where the file system has them). On two cores the copy costs
 * almost nothing beside the hash (bench row P5). An original that changes meanwhile — another size or
 * modification time afterwards, or a copy of another size — is refused, so what was parsed, hashed
 * and written is one file. The CMS goes into the placeholder, the update is appended, and the output
 * appears by rename only when complete.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/rpc/errors';
import { embedSignature, signatureUpdateForSource, type PadesOptions } from '../../src-shared/signing/pades';
import { OID } from '../../src-shared/signing/oids';
import { FileSource } from './file-source';
import { digestFilePrefix } from './hash-file';

export interface PadesFileResult {
  fieldName: string;
  /** Size of the signed file. */
  bytes: number;
  /** Bytes the reader read from the original to build the update (a small part of a large file). */
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
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.tmp`);
  let output: FileHandle | undefined;
  try {
    const input = await open(inPath, 'r');
    let u: ReturnType<typeof signatureUpdateForSource>;
    let parsedBytes: number;
    let before: Awaited<ReturnType<FileHandle['stat']>>;
    let copying: Promise<void> | undefined;
    try {
      before = await input.stat();
      if (before.size > maxBytes) throw new AppError('pdf_too_large', 'The PDF is too large to sign', { size: before.size, max: maxBytes });
      // The copy needs nothing from the update: it starts now, in the thread pool, beside the parse and the hash.
      copying = copyFile(inPath, tmp);
      copying.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
      const source = new FileSource(input.fd, before.size);
      u = signatureUpdateForSource(source, options);
      parsedBytes = source.bytesRead;
    } catch (e) {
      await copying?.catch(() => undefined);
      throw e;
    } finally {
      await input.close();
    }
    const size = before.size;
    const signedParts = [u.update.subarray(0, u.contentsStart - size), u.update.subarray(u.contentsEnd - size)];
    const [digest] = await Promise.all([digestFilePrefix(inPath, OID.sha256, size, signedParts), copying]);
    const after = await stat(inPath);
    const copied = await stat(tmp);
    if (after.size !== size || after.mtimeMs !== before.mtimeMs || copied.size !== size) {
      throw new AppError('file_unreadable', 'The PDF changed while it was being signed');
    }
    const cms = await cmsFor(digest);
    const update = embedSignature({ bytes: u.update, byteRange: u.byteRange, fieldName: u.fieldName, contentsStart: u.contentsStart - size, contentsEnd: u.contentsEnd - size }, cms);
    output = await open(tmp, 'r+');
    await writeAll(output, update, size);
    await output.close();
    output = undefined;
    await rename(tmp, outPath);
    return { fieldName: u.fieldName, bytes: size + update.length, parsedBytes };
  } catch (e) {
    await output?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if ((e as { code?: string }).code === 'file_unreadable' && !(e instanceof AppError)) throw new AppError('file_unreadable', 'The PDF became shorter while it was being signed');
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
