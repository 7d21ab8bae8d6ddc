/** Resumable content-addressed uploads, hash and type checks, record-scoped downloads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, demoId, samplePdf, sha256, signIn, startTestPortal } from './helpers';
import { sniffContentType } from '../../src-portal/files/sniff';

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let head = '';
let outsider = '';
let staff = '';
const ORG = demoId('org', 'organizer');

beforeAll(async () => {
  portal = await startTestPortal({ limits: { maxFileBytes: 300_000, maxChunkBytes: 64 * 1024 } });
  head = await signIn(portal.url, 'orgHead');
  staff = await signIn(portal.url, 'organizer');
  outsider = await signIn(portal.url, 'private2Head');
});
afterAll(async () => portal.cleanup());

function bigPdf(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  b.write('%PDF-1.7\n', 0, 'latin1');
  let x = seed;
  for (let i = 9; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x & 0xff;
  }
  return b;
}

describe('resumable upload', () => {
  it('resumes an interrupted upload from the acknowledged offset and verifies the whole hash', async () => {
    const file = bigPdf(200_000, 7);
    const created = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: file.length, sha256: sha256(file), name: 'big.pdf' } });
    expect(created.status).toBe(200);
    const id = created.json.uploadId as string;
    const chunk = created.json.maxChunkBytes as number;
    // First chunk goes through.
    let r = await call(portal.url, 'PUT', `/api/uploads/${id}`, { token: head, raw: file.subarray(0, chunk), query: { offset: 0 } });
    expect(r.json.offset).toBe(chunk);
    // The connection dies in the middle of the second chunk: the request never completes.
    const ac = new AbortController();
    const partial = fetch(`${portal.url}/api/uploads/${id}?offset=${chunk}`, {
      method: 'PUT', headers: { authorization: `Bearer ${head}`, 'content-type': 'application/octet-stream', 'content-length': String(chunk) },
      body: new ReadableStream({ start(c) { c.enqueue(file.subarray(chunk, chunk + 1000)); setTimeout(() => ac.abort(), 50); } }),
      signal: ac.signal, duplex: 'half',
    } as RequestInit).catch((e: unknown) => e);
    expect(await partial).toBeInstanceOf(Error);
    // The client asks where to resume: only the first chunk was acknowledged.
    r = await call(portal.url, 'GET', `/api/uploads/${id}`, { token: head });
    expect(r.json).toMatchObject({ offset: chunk, size: file.length, status: 'open' });
    // Sending from a wrong offset is refused and tells the right one.
    r = await call(portal.url, 'PUT', `/api/uploads/${id}`, { token: head, raw: file.subarray(chunk + 10, chunk * 2), query: { offset: chunk + 10 } });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ code: 'file_offset_mismatch', details: { offset: chunk } });
    // Resume to the end.
    let offset = chunk;
    while (offset < file.length) {
      r = await call(portal.url, 'PUT', `/api/uploads/${id}`, { token: head, raw: file.subarray(offset, offset + chunk), query: { offset } });
      expect(r.status).toBe(200);
      offset = r.json.offset;
    }
    r = await call(portal.url, 'POST', `/api/uploads/${id}/finalize`, { token: head });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ sha256: sha256(file), size: file.length, contentType: 'application/pdf' });
    // Attach it and download it through the record: same bytes.
    const att = await call(portal.url, 'POST', '/api/attachments', { token: head, body: { recordType: 'organization', recordId: ORG, sha256: sha256(file), name: 'Жарғы.pdf' } });
    expect(att.status).toBe(200);
    const dl = await call(portal.url, 'GET', `/api/attachments/${att.json.id}/content`, { token: staff });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(dl.bytes)).toBe(sha256(file));
  });

  it('refuses a file whose bytes do not match the declared hash, and restarts the upload', async () => {
    const file = samplePdf('declared');
    const other = samplePdf('actually-sent');
    const c = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: file.length, sha256: sha256(file) } });
    await call(portal.url, 'PUT', `/api/uploads/${c.json.uploadId}`, { token: head, raw: other.subarray(0, file.length), query: { offset: 0 } });
    const f = await call(portal.url, 'POST', `/api/uploads/${c.json.uploadId}/finalize`, { token: head });
    expect(f.status).toBe(422);
    expect(f.json.code).toBe('file_hash_mismatch');
    expect((await call(portal.url, 'GET', `/api/uploads/${c.json.uploadId}`, { token: head })).json.offset).toBe(0);
    // Nothing was stored: attaching by that hash is refused.
    const a = await call(portal.url, 'POST', '/api/attachments', { token: head, body: { recordType: 'organization', recordId: ORG, sha256: sha256(file), name: 'x.pdf' } });
    expect(a.status).toBe(404);
  });

  it('enforces the size limit and sniffs the type from the bytes', async () => {
    const tooBig = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: 300_001, sha256: '0'.repeat(64) } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toMatchObject({ code: 'file_too_large', details: { limit: 300_000 } });
    const exe = Buffer.from('MZ\x90\x00 this is not a document', 'latin1');
    const c = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: exe.length, sha256: sha256(exe), name: 'report.pdf' } });
    await call(portal.url, 'PUT', `/api/uploads/${c.json.uploadId}`, { token: head, raw: exe, query: { offset: 0 } });
    const f = await call(portal.url, 'POST', `/api/uploads/${c.json.uploadId}/finalize`, { token: head });
    expect(f.status).toBe(415);
    expect(f.json.code).toBe('file_type_not_allowed');
    // A chunk larger than the per-chunk limit is refused with the envelope.
    const d = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: 100_000, sha256: '1'.repeat(64) } });
    const big = await call(portal.url, 'PUT', `/api/uploads/${d.json.uploadId}`, { token: head, raw: Buffer.alloc(100_000, 1), query: { offset: 0 } });
    expect(big.status).toBe(413);
    expect(big.json.code).toBe('file_too_large');
  });

  it('sniffs the supported formats', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.4'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))).toBe('image/jp2');
    expect(sniffContentType(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('....word/document.xml')]))).toContain('wordprocessingml');
    expect(sniffContentType(Buffer.from('hello'))).toBeNull();
  });
});

describe('racing requests on one upload', () => {
  it('parallel chunks at the same offset advance it once; parallel finalizes agree', async () => {
    const file = samplePdf('race'.repeat(50));
    const c = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: file.length, sha256: sha256(file) } });
    const id = c.json.uploadId as string;
    const puts = await Promise.all([0, 1, 2, 3].map(() => call(portal.url, 'PUT', `/api/uploads/${id}`, { token: head, raw: file, query: { offset: 0 } })));
    expect(puts.map((p) => p.status).sort()).toEqual([200, 409, 409, 409]);
    const fins = await Promise.all([0, 1, 2].map(() => call(portal.url, 'POST', `/api/uploads/${id}/finalize`, { token: head })));
    expect(fins.map((f) => f.status)).toEqual([200, 200, 200]);
    expect(new Set(fins.map((f) => f.json.sha256))).toEqual(new Set([sha256(file)]));
  });
});

describe('knowing a hash grants nothing', () => {
  it('an outsider cannot attach or download by hash, and cannot tell whether it exists', async () => {
    const file = samplePdf('secret-charter');
    const c = await call(portal.url, 'POST', '/api/uploads', { token: head, body: { size: file.length, sha256: sha256(file) } });
    await call(portal.url, 'PUT', `/api/uploads/${c.json.uploadId}`, { token: head, raw: file, query: { offset: 0 } });
    expect((await call(portal.url, 'POST', `/api/uploads/${c.json.uploadId}/finalize`, { token: head })).status).toBe(200);
    const att = await call(portal.url, 'POST', '/api/attachments', { token: head, body: { recordType: 'organization', recordId: ORG, sha256: sha256(file), name: 'secret.pdf' } });
    expect(att.status).toBe(200);

    // There is no download-by-hash route: existing and unknown hashes answer identically.
    const known = await call(portal.url, 'GET', `/api/files/${sha256(file)}`, { token: outsider });
    const unknown = await call(portal.url, 'GET', `/api/files/${'a'.repeat(64)}`, { token: outsider });
    expect(known.status).toBe(404);
    expect(known.bytes.toString()).toBe(unknown.bytes.toString());

    // The outsider, Head of their own organization, attaches the known hash to their own org: refused, same as an unknown hash.
    const ownOrg = demoId('org', 'private2');
    const a1 = await call(portal.url, 'POST', '/api/attachments', { token: outsider, body: { recordType: 'organization', recordId: ownOrg, sha256: sha256(file), name: 'stolen.pdf' } });
    const a2 = await call(portal.url, 'POST', '/api/attachments', { token: outsider, body: { recordType: 'organization', recordId: ownOrg, sha256: 'b'.repeat(64), name: 'none.pdf' } });
    expect(a1.status).toBe(404);
    expect(a1.bytes.toString()).toBe(a2.bytes.toString());

    // Downloading the attachment of a record they may not see: same 404 as a non-existent attachment.
    const d1 = await call(portal.url, 'GET', `/api/attachments/${att.json.id}/content`, { token: outsider });
    const d2 = await call(portal.url, 'GET', '/api/attachments/0190f0e2-0000-7000-8000-000000000000/content', { token: outsider });
    expect(d1.status).toBe(404);
    expect(d1.bytes.toString()).toBe(d2.bytes.toString());
    // Uploading the same bytes again is allowed (proof of possession) and gives the same content address.
    const again = await call(portal.url, 'POST', '/api/uploads', { token: outsider, body: { size: file.length, sha256: sha256(file) } });
    expect(again.json.offset).toBe(0);
  });
});
