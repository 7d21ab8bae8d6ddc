/**
 * files.fetch: a customer opens a supplier's AKI answer file. Real portal (in process) behind a
 * loopback proxy that can cut the network, real app back end (createBackend); a small fake portal
 * serves bytes that do not match the record, for the hash check.
 */
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { FileStore } from '../../src-main/files/file-store';
import { checkDownloaded, fetchAttachment } from '../../src-main/files/fetch';
import { openLocalDb } from '../../src-main/db/local-db';
import { startTestPortal } from '../portal/helpers';
import { TcpProxy } from '../helpers/tcp-proxy';
import { createDraft, fullAnswers, one, signIn, upload } from '../aki/helpers';

const PASSWORD = 'Seriktes-demo-2026';
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** A real (minimal) PDF with ~300 KB of comment, so the download streams in many chunks. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from(randomBytes(150_000).toString('hex')), Buffer.from('\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')]);

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let proxy: TcpProxy;
let applicationId: string;
let fileSha: string;
const backends: Backend[] = [];
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), `seriktes-fetch-${p}-`));
  dirs.push(d);
  return d;
};

async function app(login: string): Promise<Backend> {
  const b = await createBackend({ dataDir: tmp('app'), hostKind: 'browser', portalUrl: `http://127.0.0.1:${proxy.port}`, version: 'test', logger: silent as never, periodicPullMs: 0 });
  backends.push(b);
  const r = await b.call('auth.signIn', { login, password: PASSWORD });
  if (!r.ok) throw new Error(r.error.message);
  return b;
}
const rpc = async <T = Record<string, unknown>>(b: Backend, method: string, input: unknown): Promise<T> => {
  const env = await b.call(method, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as T;
};
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

beforeAll(async () => {
  portal = await startTestPortal();
  proxy = new TcpProxy(Number(new URL(portal.url).port));
  await proxy.start();
  const supplier = await signIn(portal.url, 'supplier');
  const draft = await createDraft(portal.url, supplier);
  applicationId = draft.applicationId;
  const file = await upload(portal.url, supplier, PDF, 'Тіркеу куәлігі.pdf');
  fileSha = file.sha256;
  const s = await one(portal.url, supplier, 'aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: 'sup@dala.kz', phone: '+7 701 111 22 33', comment: '', answers: fullAnswers(file) });
  if (s.status !== 'applied') throw new Error(JSON.stringify(s.error));
  const p = await one(portal.url, supplier, 'aki.publish', { applicationId, templateVersion: 1 });
  if (p.status !== 'applied') throw new Error(JSON.stringify(p.error));
});
afterAll(async () => {
  for (const b of backends) await b.close();
  await proxy?.close();
  await portal?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('files.fetch', () => {
  it('the customer fetches a submitted answer file: same bytes, served by contentUrl, nothing queued for upload; offline afterwards still opens it', async () => {
    const customer = await app('customer@demo.seriktes.kz');
    const input = { recordType: 'aki_application', recordId: applicationId, sha256: fileSha, name: 'Тіркеу куәлігі.pdf' };
    // Not in the store yet: the page cannot name it.
    expect(await codeOf(rpc(customer, 'files.contentUrl', { sha256: fileSha }))).toBe('not_found');
    const ref = await rpc(customer, 'files.fetch', input);
    expect(ref).toEqual({ sha256: fileSha, name: 'Тіркеу куәлігі.pdf', size: PDF.length, contentType: 'application/pdf' });
    const path = customer.filePath(fileSha);
    expect(path).not.toBeNull();
    expect(Buffer.compare(readFileSync(path!), PDF)).toBe(0);
    expect(await rpc(customer, 'files.contentUrl', { sha256: fileSha })).toEqual({ url: `/files/${fileSha}` });

    const acc = customer.accounts.current!;
    expect(acc.files.pending()).toEqual([]);
    expect(acc.db.sqlite.prepare('SELECT COUNT(*) AS n FROM staged_files').get()).toEqual({ n: 0 });
    expect(acc.db.sqlite.prepare('SELECT sha256, name, size, content_type FROM downloaded_files').all()).toEqual([{ sha256: fileSha, name: 'Тіркеу куәлігі.pdf', size: PDF.length, content_type: 'application/pdf' }]);
    expect((await rpc<{ pending: number }>(customer, 'sync.status', {})).pending).toBe(0);
    // No temporary download left behind.
    expect(readdirSync(join(path!, '..')).filter((n) => n.startsWith('.incoming-'))).toEqual([]);

    // Already held: answered from the store, even with the network cut; something new → offline.
    proxy.cut();
    try {
      expect(await rpc(customer, 'files.fetch', input)).toEqual(ref);
      expect(await codeOf(rpc(customer, 'files.fetch', { ...input, sha256: 'a'.repeat(64) }))).toBe('offline');
    } finally {
      proxy.restore();
    }
  });

  it('a user who may not see the application gets not_found, and nothing is stored', async () => {
    const other = await app('metal.head@demo.seriktes.kz');
    expect(await codeOf(rpc(other, 'files.fetch', { recordType: 'aki_application', recordId: applicationId, sha256: fileSha, name: 'x.pdf' }))).toBe('not_found');
    expect(other.filePath(fileSha)).toBeNull();
    // A hash the record does not carry: the same answer.
    const wrongSha = await codeOf(rpc(other, 'files.fetch', { recordType: 'aki_application', recordId: applicationId, sha256: 'b'.repeat(64), name: 'x.pdf' }));
    expect(wrongSha).toBe('not_found');
  });

  it('a file whose bytes differ from the record (or exceed its size) is refused and not kept', async () => {
    const good = Buffer.from('%PDF-1.4\nthe real file\n%%EOF\n');
    const served = { body: Buffer.from('%PDF-1.4\na forged file\n%%EOF\n') };
    const recordId = '0190c3a1-0000-7000-8000-000000000001';
    const attId = '0190c3a1-0000-7000-8000-000000000002';
    const fake: Server = createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer t0ken') {
        res.writeHead(401).end();
        return;
      }
      if (req.url === `/api/records/aki_application/${recordId}/attachments`) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ attachments: [{ id: attId, recordType: 'aki_application', recordId, sha256: sha(good), name: 'a.pdf', size: good.length, contentType: 'application/pdf', attachedBy: recordId, attachedAt: new Date().toISOString() }] }),
        );
      } else if (req.url === `/api/attachments/${attId}/content`) {
        res.writeHead(200, { 'content-type': 'application/pdf' }).end(served.body);
      } else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'not_found', message: 'no' }));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const dir = tmp('store');
    const db = openLocalDb(join(dir, 'local.sqlite'));
    try {
      const store = new FileStore(join(dir, 'files'), db);
      const o = { portalUrl: `http://127.0.0.1:${(fake.address() as { port: number }).port}`, token: () => 't0ken', store };
      const input = { recordType: 'aki_application' as const, recordId, sha256: sha(good), name: 'a.pdf' };
      expect(await codeOf(fetchAttachment(input, o))).toBe('file_hash_mismatch');
      served.body = Buffer.concat([good, Buffer.from('extra')]);
      expect(await codeOf(fetchAttachment(input, o))).toBe('file_hash_mismatch');
      expect(store.existingPath(sha(good))).toBeNull();
      expect(readdirSync(join(dir, 'files'))).toEqual([]);
      expect(await codeOf(fetchAttachment(input, { ...o, maxBytes: 10 }))).toBe('file_too_large');
      served.body = good;
      expect(await fetchAttachment(input, o)).toEqual({ sha256: sha(good), name: 'a.pdf', size: good.length, contentType: 'application/pdf' });
      expect(readFileSync(store.existingPath(sha(good))!).equals(good)).toBe(true);
    } finally {
      await db.close();
      await new Promise((r) => fake.close(r));
    }
  });

  it('checkDownloaded: hash and size must both match', () => {
    const h = 'c'.repeat(64);
    expect(() => checkDownloaded({ sha256: h, size: 3 }, { sha256: h, size: 3 })).not.toThrow();
    expect(() => checkDownloaded({ sha256: h, size: 3 }, { sha256: 'd'.repeat(64), size: 3 })).toThrow(expect.objectContaining({ code: 'file_hash_mismatch' }));
    expect(() => checkDownloaded({ sha256: h, size: 3 }, { sha256: h, size: 4 })).toThrow(expect.objectContaining({ code: 'file_hash_mismatch' }));
  });
});
