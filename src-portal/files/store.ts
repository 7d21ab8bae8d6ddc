/**
 * Content-addressed blob store on disk: `<data>/files/ab/<sha256>`. Partial
 * uploads live in `<data>/uploads/<uploadId>.part` until finalized.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';

export class FileStore {
  constructor(private readonly dataDir: string) {
    fs.mkdirSync(path.join(dataDir, 'files'), { recursive: true });
    fs.mkdirSync(path.join(dataDir, 'uploads'), { recursive: true });
  }
  blobPath(sha256: string): string {
    return path.join(this.dataDir, 'files', sha256.slice(0, 2), sha256);
  }
  partPath(uploadId: string): string {
    return path.join(this.dataDir, 'uploads', `${uploadId}.part`);
  }

  /** Writes a chunk at an offset and fsyncs before the offset is acknowledged. */
  async writeChunk(uploadId: string, offset: number, bytes: Uint8Array): Promise<void> {
    const fh = await fsp.open(this.partPath(uploadId), fs.existsSync(this.partPath(uploadId)) ? 'r+' : 'w+');
    try {
      await fh.write(bytes, 0, bytes.length, offset);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Hash of the first `size` bytes, and the first 64 KiB for sniffing. */
  async hashPart(uploadId: string, size: number): Promise<{ sha256: string; head: Uint8Array }> {
    const hash = createHash('sha256');
    let head: Uint8Array = new Uint8Array(0);
    const stream = fs.createReadStream(this.partPath(uploadId), { start: 0, end: size - 1 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (head.length < 65536) head = Buffer.concat([head, chunk.subarray(0, 65536 - head.length)]);
      hash.update(chunk);
    }
    return { sha256: hash.digest('hex'), head };
  }

  async commitPart(uploadId: string, sha256: string, size: number): Promise<void> {
    const target = this.blobPath(sha256);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.truncate(this.partPath(uploadId), size);
    if (fs.existsSync(target)) await fsp.rm(this.partPath(uploadId), { force: true });
    else await fsp.rename(this.partPath(uploadId), target);
  }

  async discardPart(uploadId: string): Promise<void> {
    await fsp.rm(this.partPath(uploadId), { force: true });
  }
}
