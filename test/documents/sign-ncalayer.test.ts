/**
 * Document signing through NCALayer (the simulator over wss://, found through
 * SERIKTES_NCALAYER_URL / _CA) via the real back end's RPC: the certificate is read with
 * getKeyInfo before anything is signed, PAdES (adbe.pkcs7.detached) and detached CMS come back
 * verified, only the opened key may sign, a cancel fails that file only, NCALayer gone → clear error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import { startTsa, type LocalServer } from '../signing/helpers/services';
import { makeNssDb, makePdf, opensslCmsVerify, pdfsig } from '../signing/helpers/tools';
import { startNcaLayerSimulator, type RunningSimulator } from '../ncalayer/simulator';
import { ncaTestKeys, type NcaTestKeys } from '../ncalayer/helpers';
import { startSignEnv, type SignEnv } from './sign-helpers';

let keys: NcaTestKeys;
let sim: RunningSimulator;
let env: SignEnv;
let tsa: LocalServer;
let dir: string;
let nss: string;

beforeAll(async () => {
  keys = ncaTestKeys();
  sim = await startNcaLayerSimulator({ keys: keys.simKeys, activeTokens: ['AKKaztokenStore'] });
  process.env.SERIKTES_NCALAYER_URL = sim.url;
  process.env.SERIKTES_NCALAYER_CA = keys.pki.write('nca-ca.pem', sim.caPem);
  tsa = await startTsa(keys.pki);
  dir = mkdtempSync(join(tmpdir(), 'seriktes-sign-nca-'));
  nss = makeNssDb(dir, keys.pki.write('root-nss.pem', keys.pki.root.pem));
  env = await startSignEnv();
});
afterAll(async () => {
  await env.close();
  await sim.close();
  await tsa.close();
  keys.pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.SERIKTES_NCALAYER_URL;
  delete process.env.SERIKTES_NCALAYER_CA;
  delete process.env.SERIKTES_TSA_URL;
});

type Result = { sha256: string; ref?: { sha256: string; name: string }; error?: { code: string; message: string }; warnings?: string[] };
type Req = { module: string; method: string; args: Record<string, unknown> & { signerParams?: Record<string, unknown>; allowedStorages?: string[] } };

const sign = async (keySession: string, files: { sha256: string; name: string }[], timestamp = false) =>
  (await env.rpc('documents.sign', { operationId: randomUUID(), keySession, files, timestamp })).results as Result[];
const saved = (sha256: string, name: string) => {
  const p = join(dir, `${sha256.slice(0, 8)}-${name}`);
  writeFileSync(p, env.read(sha256));
  return p;
};
const openNca = (storage: string) => env.rpc('documents.openKey', { key: { source: 'ncalayer', storage } }) as Promise<{ keySession: string; certificate: Record<string, unknown> }>;

describe('documents.* through NCALayer', () => {
  it('openKey reads the certificate in NCALayer (getKeyInfo) before anything is signed; an AUTH key is refused', async () => {
    const before = sim.requests.length;
    const { keySession, certificate } = await openNca('file');
    expect(certificate).toMatchObject({ owner: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ', iin: '850722400563', purpose: 'SIGN', roles: ['individual'] });
    const asked = sim.requests.slice(before) as Req[];
    expect(asked.map((r) => `${r.module}.${r.method}`)).toEqual(['kz.gov.pki.knca.commonUtils.getKeyInfo']);
    expect(asked[0]!.args).toEqual(['PKCS12']);
    await env.rpc('documents.closeKey', { keySession });

    sim.script({ kind: 'choose', pick: (_k, f) => f.purpose === 'AUTH' });
    expect(await env.codeOf(openNca('file'))).toBe('cert_auth_key_for_signing');
    // The head's key on a Kaztoken: 'kaztoken' storage.
    const head = await openNca('kaztoken');
    expect(head.certificate).toMatchObject({ bin: '150340012340', roles: ['legal_entity', 'first_head'] });
    await env.rpc('documents.closeKey', { keySession: head.keySession });
  });

  it('signs a PDF (adbe.pkcs7.detached, valid in pdfsig) and a text file (.p7s, openssl) with the opened key only; timestamp from our TSA', async () => {
    process.env.SERIKTES_TSA_URL = tsa.url;
    const pdf = await env.stage(await makePdf({ text: 'Signed through NCALayer' }), 'nca.pdf');
    const txt = await env.stage(new TextEncoder().encode('NCALayer detached content\n'), 'nca.txt');
    const { keySession, certificate } = await openNca('file');
    const before = sim.requests.length;
    const results = await sign(keySession, [pdf, txt].map((r) => ({ sha256: r.sha256, name: r.name })), true);
    expect(results.map((r) => [r.error, r.warnings])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    const signs = (sim.requests.slice(before) as Req[]).filter((r) => r.method === 'sign');
    expect(signs).toHaveLength(2);
    for (const s of signs) {
      expect(s.args.allowedStorages).toEqual(['PKCS12']);
      expect(s.args.signerParams).toMatchObject({ serialNumber: certificate.serialNumberHex, extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'] });
    }
    const check = pdfsig(saved(results[0]!.ref!.sha256, 'nca.pdf'), nss);
    expect(check.signatures).toHaveLength(1);
    expect(check.signatures[0]).toMatchObject({ valid: true, total: true });
    expect(check.signatures[0]!.text).toContain('adbe.pkcs7.detached');
    expect(check.signatures[0]!.text).toContain('ТЕСТОВ ТЕСТ');
    const rep = await verifyPdf(new Uint8Array(env.read(results[0]!.ref!.sha256)), { anchors: [{ der: keys.pki.root.der, kind: 'test' }] });
    expect(rep.signatures[0]!.timestamp?.status).toBe('valid');
    expect(results[1]!.ref!.name).toBe('nca.txt.p7s');
    const v = opensslCmsVerify(saved(results[1]!.ref!.sha256, 'nca.p7s'), saved(txt.sha256, 'nca.txt'), join(keys.pki.dir, 'root.pem'));
    expect(v.code).toBe(0);
    delete process.env.SERIKTES_TSA_URL;
    await env.rpc('documents.closeKey', { keySession });
  });

  it('a cancel in NCALayer fails that file (ncalayer_cancelled) and the batch goes on; another key than the opened one is refused', async () => {
    const a = await env.stage(await makePdf({ text: 'Cancelled one' }), 'a.pdf');
    const b = await env.stage(await makePdf({ text: 'Signed one' }), 'b.pdf');
    const { keySession } = await openNca('file');
    sim.script({ kind: 'cancel' });
    const results = await sign(keySession, [a, b].map((r) => ({ sha256: r.sha256, name: r.name })));
    expect(results[0]!.error?.code).toBe('ncalayer_cancelled');
    expect(results[0]!.ref).toBeUndefined();
    expect(results[1]!.error).toBeUndefined();
    expect(pdfsig(saved(results[1]!.ref!.sha256, 'b.pdf'), nss).signatures[0]!.valid).toBe(true);

    // A misbehaving NCALayer lets the user pick the head's key although the serial filter names another.
    sim.options.ignoreFilters = true;
    sim.script({ kind: 'choose', pick: (_k, f) => f.subject.bin === '150340012340' });
    try {
      const [wrong] = await sign(keySession, [{ sha256: a.sha256, name: a.name }]);
      expect(wrong!.error?.code).toBe('key_session_mismatch');
    } finally {
      sim.options.ignoreFilters = false;
    }
    await env.rpc('documents.closeKey', { keySession });
  });

  it('NCALayer not running: openKey fails with ncalayer_not_running', async () => {
    await sim.close();
    expect(await env.codeOf(openNca('any'))).toBe('ncalayer_not_running');
  });
});
