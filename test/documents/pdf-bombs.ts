/**
 * Hostile PDFs for the isolation and bounded-reader tests (issue 13), written byte by byte: a
 * /Metadata stream that inflates to 256 MiB from a few hundred KB, a catalog nested 20 000 levels
 * deep, and a document whose cross-reference stream lists 1 000 000 objects.
 */
import { once } from 'node:events';
import { createDeflate, deflateSync } from 'node:zlib';

type Obj = string | { dict: string; data: Uint8Array };

/** A one-revision PDF with a classic xref table; objects are numbered from 1 in order. */
export function writePdf(objects: Obj[], trailer = ''): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  const push = (b: Buffer) => {
    parts.push(b);
    at += b.length;
  };
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(at);
    if (typeof o === 'string') push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
    else {
      push(Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Length ${o.data.length} >>\nstream\n`, 'latin1'));
      push(Buffer.from(o.data));
      push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  const xrefAt = at;
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

const PAGES = ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];

/** Deflates `total` bytes of spaces without holding them (a 256 MiB XMP packet of nothing). */
async function deflatedSpaces(total: number): Promise<Uint8Array> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let left = total; left > 0; left -= chunk.length) {
    if (!z.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(z, 'drain');
  }
  z.end();
  await once(z, 'end');
  return new Uint8Array(Buffer.concat(out));
}

/** The catalog's /Metadata inflates to `inflated` bytes (256 MiB: a ~260 KB file). */
export async function metadataBomb(inflated = 256 * 1024 * 1024): Promise<Uint8Array> {
  const data = await deflatedSpaces(inflated);
  return writePdf(['<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>', ...PAGES, { dict: '/Type /Metadata /Subtype /XML /Filter /FlateDecode', data }]);
}

/** Arrays nested `depth` levels deep inside the catalog itself: every reader of the document meets them. */
export function deepNestingBomb(depth = 20_000): Uint8Array {
  return writePdf([`<< /Type /Catalog /Pages 2 0 R /Nest ${'['.repeat(depth)}0${']'.repeat(depth)} >>`, ...PAGES]);
}

/**
 * 1 000 000 objects: a cross-reference stream (W [1 4 0], deflated to a few KB) whose entries all
 * point into the file, past the catalog, the page tree and a page. Written as an xref stream
 * because a table of a million rows would be a 20 MB file.
 */
export function millionObjectsBomb(count = 1_000_000): Uint8Array {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const bodies = ['<< /Type /Catalog /Pages 2 0 R >>', ...PAGES, '<< /Filler true >>'];
  const offsets: number[] = [];
  let at = head.length;
  const parts: Buffer[] = [head];
  bodies.forEach((b, i) => {
    offsets.push(at);
    const s = Buffer.from(`${i + 1} 0 obj\n${b}\nendobj\n`, 'latin1');
    parts.push(s);
    at += s.length;
  });
  const xrefNum = count; // the xref stream is the last object; objects 1…count-1 are listed
  const rows = Buffer.alloc(count * 5 + 5);
  const row = (i: number, type: number, offset: number) => {
    rows[i * 5] = type;
    rows.writeUInt32BE(offset, i * 5 + 1);
  };
  row(0, 0, 0);
  for (let n = 1; n < count; n++) row(n, 1, offsets[Math.min(n, bodies.length) - 1]!);
  row(xrefNum, 1, at);
  const data = deflateSync(rows, { level: 9 });
  parts.push(Buffer.from(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${count + 1} /W [1 4 0] /Root 1 0 R /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'));
  parts.push(data, Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/** Resolves once a held check's worker is blocked (check-pool.ts hold protocol). */
export async function checkStarted(hold: Int32Array): Promise<void> {
  const r = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync(hold, 1, 0);
  if (r.async) await r.value;
}

/** Lets a held check go on. */
export function release(hold: Int32Array): void {
  Atomics.store(hold, 0, 1);
  Atomics.notify(hold, 0);
}

export const newHold = (): Int32Array => new Int32Array(new SharedArrayBuffer(8));
