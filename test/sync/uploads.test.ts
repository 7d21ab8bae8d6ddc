/**
 * Staged files reach the portal through resumable uploads: a transfer cut
 * halfway resumes from the portal's acknowledged offset after the network
 * (and the app back end) come back, and the portal holds exactly those bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, createHash } from 'node:crypto';
import { startBrowserHostProcess, startPortalProcess, tempDir, type RunningHost, type RunningPortal } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/until';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { identityFromPkcs12, signPdf } from '../../src-main/signing/sign-file';
import { createTestPki, KZ_EKU } from '../signing/helpers/test-pki';
import { editFirstPageAfterSigning } from '../portal/documents-helpers';

const PASSWORD = 'Seriktes-demo-2026';
let portal: RunningPortal;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  portal = await startPortalProcess();
}, 180_000);
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await portal?.stop();
});


async function uploadToHost(host: RunningHost, cookieOf: () => Promise<string>, name: string, bytes: Buffer) {
  const res = await fetch(`${host.origin}/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Origin: host.origin, Cookie: await cookieOf() },
    body: new Uint8Array(bytes),
  });
  return ((await res.json()) as { value: { handle: string } }).value.handle;
}

/** A fresh app back end behind its own proxy, its session cookie, and an RPC client signed in as `login`. */
async function signedInApp(login: string) {
  const proxy = new TcpProxy(Number(new URL(portal.url).port));
  const portalUrl = await proxy.start();
  cleanup.push(() => proxy.close());
  const host = await startBrowserHostProcess({ portalUrl, pullIntervalMs: 0 });
  cleanup.push(() => host.stop('SIGKILL'));
  const token = new URL(host.appUrl).searchParams.get('token');
  const session = await fetch(`${host.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: host.origin }, body: JSON.stringify({ token }) });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const rpc = await connectRpc(host, cookie);
  await rpc.call('auth.signIn', { login, password: PASSWORD });
  return { host, cookie, rpc };
}

describe('resumable uploads of staged files', () => {
  it('a cut mid-upload resumes from the acknowledged offset, across a restart of the app back end', async () => {
    const proxy = new TcpProxy(Number(new URL(portal.url).port));
    const portalUrl = await proxy.start();
    cleanup.push(() => proxy.close());
    const dataDir = tempDir('upload');
    let host = await startBrowserHostProcess({ dataDir, portalUrl, pullIntervalMs: 0 });
    // A session cookie for the raw /upload endpoint, as the page would have.
    const token = new URL(host.appUrl).searchParams.get('token');
    const session = await fetch(`${host.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: host.origin }, body: JSON.stringify({ token }) });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    // connectRpc needs a fresh token: mint one through a second exchange is not possible, so reuse the cookie.
    const rpc = await connectRpc({ ...host, appUrl: host.appUrl }, cookie);
    await rpc.call('auth.signIn', { login: 'dala.head@demo.seriktes.kz', password: PASSWORD });
    await rpc.call('sync.now', {});

    const size = 6 * 1024 * 1024 + 123;
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    proxy.cut(); // stage offline
    const handle = await uploadToHost(host, async () => cookie, 'Жарғы.pdf', bytes);
    const ref = await rpc.call('files.stage', { handle });
    expect(ref).toEqual({ sha256, name: 'Жарғы.pdf', size, contentType: 'application/pdf' });
    expect((await rpc.call('sync.status', {})).pending).toBe(1);

    // Back online, but the line drops after ~3 MB.
    proxy.restore();
    const before = proxy.upstreamBytes;
    proxy.cutAfter(3 * 1024 * 1024);
    await rpc.call('sync.now', {});
    expect((await rpc.call('sync.status', {})).pending).toBe(1);

    // The app back end is killed and restarted on the same data; the network returns.
    rpc.close();
    await host.stop('SIGKILL');
    host = await startBrowserHostProcess({ dataDir, portalUrl, pullIntervalMs: 0 });
    cleanup.push(() => host.stop('SIGKILL'));
    const rpc2 = await connectRpc(host);
    proxy.restore();
    await rpc2.call('sync.now', {});
    await until(() => rpc2.call('sync.status', {}), (s) => s.pending === 0 && s.state === 'online');
    const sent = proxy.upstreamBytes - before;
    // Resumed, not restarted: well under two copies of the file crossed the wire.
    expect(sent).toBeGreaterThan(size);
    expect(sent).toBeLessThan(size * 1.5);

    // The portal holds exactly these bytes: attach them (proof of possession) and read them back.
    const signIn = await fetch(`${portal.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'dala.head@demo.seriktes.kz', password: PASSWORD }) });
    const { token: bearer, user } = (await signIn.json()) as { token: string; user: { memberships: { organizationId: string; bin: string }[] } };
    const org = user.memberships.find((m) => m.bin === '160340000666')!.organizationId;
    const attach = await fetch(`${portal.url}/api/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ recordType: 'organization', recordId: org, sha256, name: 'Жарғы.pdf' }),
    });
    expect(attach.status).toBe(200);
    const { id } = (await attach.json()) as { id: string };
    const content = Buffer.from(await (await fetch(`${portal.url}/api/attachments/${id}/content`, { headers: { authorization: `Bearer ${bearer}` } })).arrayBuffer());
    expect(createHash('sha256').update(content).digest('hex')).toBe(sha256);
    rpc2.close();
  }, 120_000);

  it('a file the portal refuses is not retried forever: it is listed with the reason until dismissed', async () => {
    const { host, cookie, rpc } = await signedInApp('metal.head@demo.seriktes.kz');
    const handle = await uploadToHost(host, async () => cookie, 'script.txt', Buffer.from('#!/bin/sh\necho not a document\n'));
    const ref = await rpc.call('files.stage', { handle });
    expect(ref.contentType).toBe('text/plain');
    await rpc.call('sync.now', {});
    const status = await until(() => rpc.call('sync.status', {}), (s) => s.state === 'online');
    expect(status).toMatchObject({ pending: 0, rejected: 1 });
    const rejected = await rpc.call('sync.rejected', {});
    expect(rejected.items).toEqual([expect.objectContaining({ mutationId: ref.sha256, name: 'files.upload', error: expect.objectContaining({ code: 'file_type_not_allowed' }) })]);
    expect(await rpc.call('sync.dismiss', { mutationId: ref.sha256 })).toEqual({ dismissed: true });
    expect((await rpc.call('sync.status', {})).rejected).toBe(0);
    rpc.close();
  }, 180_000);

  it('a PDF changed after signing is refused by the portal once, listed with the reason, and not retried', async () => {
    const pki = createTestPki();
    cleanup.push(async () => pki.cleanup());
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Charter', { x: 60, y: 760, size: 20, font: await doc.embedFont(StandardFonts.Helvetica) });
    const who = await identityFromPkcs12(pki.p12(pki.issue({ subject: { commonName: 'TEST SIGNER', iin: '770213300095', bin: '160340000666' }, kind: 'sign', roles: [KZ_EKU.legalEntity] }), 'p'), 'p');
    const signed = (await signPdf(await doc.save(), { identity: who })).pdf;
    const edited = await editFirstPageAfterSigning(signed);

    const { host, cookie, rpc } = await signedInApp('dala.head@demo.seriktes.kz');
    const ref = await rpc.call('files.stage', { handle: await uploadToHost(host, async () => cookie, 'charter.pdf', Buffer.from(edited)) });
    await rpc.call('sync.now', {});
    const status = await until(() => rpc.call('sync.status', {}), (s) => s.state === 'online');
    expect(status).toMatchObject({ pending: 0, rejected: 1 });
    const rejected = await rpc.call('sync.rejected', {});
    expect(rejected.items).toEqual([
      expect.objectContaining({ mutationId: ref.sha256, name: 'files.upload', error: expect.objectContaining({ code: 'document_modified_after_signing' }) }),
    ]);
    // Another cycle does not try again.
    await rpc.call('sync.now', {});
    expect(await rpc.call('sync.status', {})).toMatchObject({ pending: 0, rejected: 1 });
    rpc.close();
  }, 180_000);
});
