import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NcaLayerClient } from '../../src-main/ncalayer/client';
import { checkReturnedCms, ncaSignCms } from '../../src-main/ncalayer/sign';
import { cmsFromText } from '../../src-main/ncalayer/protocol';
import { parseSignedData } from '../../src-shared/signing/cms-build';
import { certificateFacts, parseCertificate } from '../../src-shared/signing/cert-facts';
import { digestBytes } from '../../src-shared/signing/digest';
import { OID } from '../../src-shared/signing/oids';
import type { AppError } from '../../src-shared/rpc/errors';
import { startNcaLayerSimulator, type RunningSimulator } from './simulator';
import { ncaTestKeys, type NcaTestKeys } from './helpers';

const content = new TextEncoder().encode('Seriktes: келісімшарт жобасы / проект договора');
const digester = (data: Uint8Array) => (oid: string) => digestBytes(oid, data);
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: AppError) => e.code);

let keys: NcaTestKeys;
let sim: RunningSimulator;
const clients: NcaLayerClient[] = [];
const client = (o: Partial<ConstructorParameters<typeof NcaLayerClient>[0]> = {}) => {
  const c = new NcaLayerClient({ url: sim.url, ca: sim.caPem, ...o });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  keys = ncaTestKeys();
  sim = await startNcaLayerSimulator({ keys: keys.simKeys, activeTokens: ['AKKaztokenStore'] });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
  keys.pki.cleanup();
});

describe('NCALayer client against the simulator', () => {
  it('reads the greeting, answers heartbeats and tells NCALayer from KAZTOKEN desktop', async () => {
    const c = client();
    expect(await c.connect()).toBe('1.4');
    await c.heartbeat();
    expect(await c.product()).toEqual({ name: 'NCALayer', version: '1.4' });
    const kt = await startNcaLayerSimulator({ keys: keys.simKeys, kaztoken: true });
    try {
      const k = new NcaLayerClient({ url: kt.url, ca: kt.caPem });
      clients.push(k);
      expect(await k.product()).toEqual({ name: 'KAZTOKEN desktop', version: '1.2.758.648' });
    } finally {
      await kt.close();
    }
  });

  it('basics.sign detached CMS over the content with a SIGN key; the client checks it with the shared verifier', async () => {
    const c = client();
    const cms = await ncaSignCms(c, { data: content, purpose: 'sign', locale: 'kk', storages: ['PKCS12'] });
    const req = sim.requests.at(-1) as { module: string; method: string; args: { signerParams: { extKeyUsageOids: string[] }; signingParams: Record<string, unknown>; locale: string } };
    expect(req.module).toBe('kz.gov.pki.knca.basics');
    expect(req.args.signerParams.extKeyUsageOids).toEqual(['1.3.6.1.5.5.7.3.4']);
    expect(req.args.signingParams).toMatchObject({ decode: true, encapsulate: false, digested: false, tsaProfile: null });
    expect(req.args.locale).toBe('kk');
    const facts = await checkReturnedCms(cms, digester(content), { purpose: 'sign', expectedIin: '850722400563' });
    expect(facts.purpose).toBe('SIGN');
    const sd = parseSignedData(cms);
    expect(sd.encapContentInfo.eContent).toBeUndefined();
    expect(sd.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type)).toContain(OID.attrSigningTime);
    // The same CMS does not pass for other content, another IIN, or as a sign-in signature.
    expect(await codeOf(checkReturnedCms(cms, digester(new Uint8Array([1, 2, 3])), { purpose: 'sign' }))).toBe('signature_invalid');
    expect(await codeOf(checkReturnedCms(cms, digester(content), { purpose: 'sign', expectedIin: '900115301235' }))).toBe('eds_iin_mismatch');
  });

  it('basics.sign with an AUTH filter picks the AUTH key; attached, digested and array data work', async () => {
    const c = client();
    const authCms = await ncaSignCms(c, { data: content, purpose: 'auth', attached: true });
    const sd = parseSignedData(authCms);
    expect(sd.encapContentInfo.eContent).toBeDefined();
    expect((await checkReturnedCms(authCms, undefined, { purpose: 'auth' })).purpose).toBe('AUTH');
    expect(await codeOf(checkReturnedCms(authCms, undefined, { purpose: 'sign' }))).toBe('cert_auth_key_for_signing');

    const digest = new Uint8Array(createHash('sha256').update(content).digest());
    const hashed = await ncaSignCms(c, { data: digest, digested: true, purpose: 'sign' });
    await checkReturnedCms(hashed, digester(content), { purpose: 'sign' });

    const many = await c.basicsSign({
      allowedStorages: ['AKKaztokenStore'],
      format: 'cms',
      data: ['MTEK', 'MjIK'],
      signingParams: { decode: true, encapsulate: false },
      signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'], bin: '150340012340' },
      locale: 'ru',
    });
    expect(Array.isArray(many) && many.length).toBe(2);
    const second = cmsFromText((many as string[])[1]!);
    const f = await checkReturnedCms(second, digester(new Uint8Array(Buffer.from('MjIK', 'base64'))), { purpose: 'sign', expectedBin: '150340012340' });
    expect(f.subject.bin).toBe('150340012340');
  });

  it('maps cancel, an IIN filter nobody matches, and a basics error with details', async () => {
    const c = client();
    sim.script({ kind: 'cancel' });
    expect(await codeOf(ncaSignCms(c, { data: content, purpose: 'sign' }))).toBe('ncalayer_cancelled');
    expect(await codeOf(ncaSignCms(c, { data: content, purpose: 'sign', iin: '111111111110' }))).toBe('ncalayer_cancelled');
    const err = await c.basicsSign({ format: 'cms', data: 'MTEK', signingParams: 555, signerParams: { extKeyUsageOids: [] } } as never).catch((e: AppError) => e);
    expect((err as AppError).code).toBe('ncalayer_error');
    expect((err as AppError).details).toMatchObject({ ncaCode: 'INVOCATION_ERROR', ncaDetails: expect.stringContaining('signingParams') });
  });

  it('commonUtils: getActiveTokens, getKeyInfo, createCAdESFromBase64(Hash), changeLocale, cancel', async () => {
    const c = client();
    expect(await c.getActiveTokens()).toEqual(['AKKaztokenStore']);
    const info = await c.getKeyInfo('AKKaztokenStore');
    expect(info.subjectCn).toBe('ҚАСЫМОВ ӘЛИ');
    expect(certificateFacts(parseCertificate(cmsFromText(info.pem!.replace(/CERTIFICATE/g, 'CMS')))).subject.bin).toBe('150340012340');
    expect(Number(info.certNotAfter)).toBeGreaterThan(Date.now());
    const b64 = Buffer.from(content).toString('base64');
    const attached = cmsFromText(await c.createCAdESFromBase64('PKCS12', 'AUTHENTICATION', b64, true));
    expect((await checkReturnedCms(attached, undefined, { purpose: 'auth' })).purpose).toBe('AUTH');
    const hash = createHash('sha256').update(content).digest('base64');
    const detached = cmsFromText(await c.createCAdESFromBase64Hash('PKCS12', 'SIGNATURE', hash));
    expect((await checkReturnedCms(detached, digester(content), { purpose: 'sign' })).purpose).toBe('SIGN');
    await c.changeLocale('kk');
    sim.script({ kind: 'cancel' });
    expect(await codeOf(c.getKeyInfo('PKCS12'))).toBe('ncalayer_cancelled');
    expect(await codeOf(c.commonUtils('getKeyInfo', [1]))).toBe('ncalayer_error');
  });

  it('falls back to commonUtils when the basics module is missing (old NCALayer)', async () => {
    const old = await startNcaLayerSimulator({ keys: keys.simKeys, basics: false, activeTokens: ['AKKaztokenStore'] });
    try {
      const c = new NcaLayerClient({ url: old.url, ca: old.caPem });
      clients.push(c);
      const cms = await ncaSignCms(c, { data: content, purpose: 'auth', storages: ['PKCS12'], locale: 'ru' });
      expect((await checkReturnedCms(cms, digester(content), { purpose: 'auth' })).purpose).toBe('AUTH');
      const methods = old.requests.map((r) => `${(r as { module: string }).module}.${(r as { method: string }).method}`);
      expect(methods).toEqual(['kz.gov.pki.knca.basics.sign', 'kz.gov.pki.knca.commonUtils.changeLocale', 'kz.gov.pki.knca.commonUtils.createCAdESFromBase64']);
      // Several storages allowed: the plugged-in token is asked for.
      const viaToken = await ncaSignCms(c, { data: content, purpose: 'sign' });
      expect((await checkReturnedCms(viaToken, digester(content), { purpose: 'sign' })).subject.bin).toBe('150340012340');
    } finally {
      await old.close();
    }
  });

  it('a timed-out request closes its socket: the late reply is never read as the next answer', async () => {
    const c = client({ dialogTimeoutMs: 300 });
    await c.connect();
    sim.script({ kind: 'late', delayMs: 700 });
    // A timeout, not the late answer: the request gave up before the reply was sent.
    expect(await codeOf(ncaSignCms(c, { data: content, purpose: 'sign' }))).toBe('ncalayer_timeout');
    // Next request on a fresh socket; wait until the late reply would have arrived on the old one.
    const tokens = c.getActiveTokens();
    await new Promise((r) => setTimeout(r, 600));
    expect(await tokens).toEqual(['AKKaztokenStore']);
    await c.heartbeat();
    expect(await c.getActiveTokens()).toEqual(['AKKaztokenStore']);
  });

  it('cancelling from the app (AbortSignal) also resets the socket', async () => {
    const c = client();
    sim.script({ kind: 'hang' });
    const ac = new AbortController();
    const p = ncaSignCms(c, { data: content, purpose: 'sign', call: { signal: ac.signal } });
    setTimeout(() => ac.abort(), 100);
    expect(await codeOf(p)).toBe('ncalayer_cancelled');
    expect(await c.getActiveTokens()).toEqual(['AKKaztokenStore']);
  });

  it('cancelled while the socket is still connecting: cancelled, nothing signed; the next call works', async () => {
    const c = client();
    const ac = new AbortController();
    const p = ncaSignCms(c, { data: content, purpose: 'sign', call: { signal: ac.signal } });
    setImmediate(() => ac.abort()); // after the call started, before the WebSocket handshake is done
    expect(await codeOf(p)).toBe('ncalayer_cancelled');
    expect(await c.getActiveTokens()).toEqual(['AKKaztokenStore']);
  });

  it('socket loss mid-request → connection_lost; the next call reconnects', async () => {
    const c = client();
    sim.script({ kind: 'drop' });
    expect(await codeOf(ncaSignCms(c, { data: content, purpose: 'sign' }))).toBe('ncalayer_connection_lost');
    const cms = await ncaSignCms(c, { data: content, purpose: 'sign' });
    await checkReturnedCms(cms, digester(content), { purpose: 'sign' });
  });

  it('requests are serialized on one socket', async () => {
    const c = client();
    const [a, b, d] = await Promise.all([c.getActiveTokens(), c.heartbeat(), ncaSignCms(c, { data: content, purpose: 'sign' })]);
    expect(a).toEqual(['AKKaztokenStore']);
    expect(b).toBeUndefined();
    await checkReturnedCms(d, digester(content), { purpose: 'sign' });
  });

  it('nothing listening → not running, with the install link; an unknown TLS root → tls_untrusted', async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const dead = new NcaLayerClient({ url: `wss://127.0.0.1:${port}`, ca: sim.caPem });
    const err = (await dead.getActiveTokens().catch((e: AppError) => e)) as AppError;
    expect(err.code).toBe('ncalayer_not_running');
    expect(err.details).toMatchObject({ installUrl: 'https://ncl.pki.gov.kz' });
    const untrusted = new NcaLayerClient({ url: sim.url, ca: keys.pki.root.pem });
    expect(await codeOf(untrusted.connect())).toBe('ncalayer_tls_untrusted');
    const systemCas = new NcaLayerClient({ url: sim.url });
    expect(await codeOf(systemCas.connect())).toBe('ncalayer_tls_untrusted');
  });
});

describe('source rules', () => {
  it('no code turns TLS verification off', () => {
    const root = resolve(__dirname, '../..');
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx|mjs|cjs|js)$/.test(name) && /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED/.test(readFileSync(p, 'utf8'))) hits.push(p);
      }
    };
    for (const d of ['src-main', 'src-shared', 'src-portal', 'src-renderer', 'scripts']) walk(join(root, d));
    expect(hits).toEqual([]);
  });
});
