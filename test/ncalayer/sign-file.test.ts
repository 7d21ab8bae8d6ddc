/** Detached CMS over files through the NCALayer simulator: data mode and key-info + digest mode, checked by `openssl cms -verify` and our verifier. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NcaLayerClient } from '../../src-main/ncalayer/client';
import { signFileCmsWithNcaLayer } from '../../src-main/ncalayer/sign-file';
import { fileDigester } from '../../src-main/signing/hash-file';
import { verifyCms } from '../../src-shared/signing/verify-cms';
import { openPkcs12 } from '../../src-shared/signing/pkcs12';
import type { AppError } from '../../src-shared/rpc/errors';
import { opensslCmsVerify } from '../signing/helpers/tools';
import { startNcaLayerSimulator, type RunningSimulator } from './simulator';
import { ncaTestKeys, type NcaTestKeys } from './helpers';

let keys: NcaTestKeys;
let sim: RunningSimulator;
let client: NcaLayerClient;
let dir: string;
let doc: string;

beforeAll(async () => {
  keys = ncaTestKeys();
  sim = await startNcaLayerSimulator({ keys: keys.simKeys, activeTokens: ['AKKaztokenStore'] });
  client = new NcaLayerClient({ url: sim.url, ca: sim.caPem });
  dir = mkdtempSync(join(tmpdir(), 'seriktes-nca-file-'));
  doc = join(dir, 'келісімшарт.bin');
  writeFileSync(doc, randomBytes(300_000));
});
afterAll(async () => {
  client.close();
  await sim.close();
  keys.pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('file CMS through NCALayer', () => {
  it('a small file goes as data; openssl verifies the detached CMS', async () => {
    const out = join(dir, 'data.cms');
    const r = await signFileCmsWithNcaLayer({ client, inPath: doc, outPath: out, expectedIin: '850722400563' });
    expect(r.mode).toBe('data');
    const v = opensslCmsVerify(out, doc, keys.pki.write('root-a.pem', keys.pki.root.pem));
    expect(v.stderr).toContain('Verification successful');
  });

  it('a big file: key info first, hashed here, NCALayer signs the digest of the same key (serial filter); openssl verifies', async () => {
    const out = join(dir, 'digest.cms');
    const r = await signFileCmsWithNcaLayer({ client, inPath: doc, outPath: out, maxDataBytes: 1000, storage: 'AKKaztokenStore' });
    expect(r.mode).toBe('digest');
    expect(r.signer.subject.bin).toBe('150340012340');
    const methods = sim.requests.slice(-2).map((q) => (q as { method: string }).method);
    expect(methods).toEqual(['getKeyInfo', 'sign']);
    const sign = sim.requests.at(-1) as { args: { signingParams: { digested: boolean }; signerParams: { serialNumber: string } } };
    expect(sign.args.signingParams.digested).toBe(true);
    expect(sign.args.signerParams.serialNumber).toBe(keys.headSign.serialHex);
    const v = opensslCmsVerify(out, doc, keys.pki.write('root-b.pem', keys.pki.root.pem));
    expect(v.stderr).toContain('Verification successful');
  });

  it('a big file with a GOST 2015 key is hashed with Streebog-512 here and verifies', async () => {
    const fixtures = join(__dirname, '../fixtures/nca');
    const store = openPkcs12(new Uint8Array(readFileSync(join(fixtures, 'nca-test-gost2015/gost1.p12'))), 'Qwerty12');
    const when = new Date('2024-05-01T10:00:00Z');
    const gost = await startNcaLayerSimulator({ keys: [{ storage: 'PKCS12', certDer: store.certificate, gostPkcs8: store.key.pkcs8, chainDer: store.chain }], now: () => when });
    try {
      const c = new NcaLayerClient({ url: gost.url, ca: gost.caPem });
      const out = join(dir, 'gost.cms');
      const r = await signFileCmsWithNcaLayer({ client: c, inPath: doc, outPath: out, maxDataBytes: 1000, now: when });
      c.close();
      expect(r.mode).toBe('digest');
      const anchor = new Uint8Array(readFileSync(join(fixtures, 'nca-test/nca_gost2015_test.cer')));
      const rep = await verifyCms(new Uint8Array(readFileSync(out)), fileDigester(doc), { anchors: [{ der: anchor, kind: 'test' }], now: when });
      expect(rep.signatures[0]!.integrity).toBe('ok');
      expect(rep.signatures[0]!.digestAlgorithm).toBe('1.2.398.3.10.1.3.3');
      expect(rep.signatures[0]!.chain.status).toBe('trusted');
    } finally {
      store.dispose();
      await gost.close();
    }
  });

  it('cancelling the key-info dialog writes nothing', async () => {
    const out = join(dir, 'never.cms');
    sim.script({ kind: 'cancel' });
    const err = (await signFileCmsWithNcaLayer({ client, inPath: doc, outPath: out, maxDataBytes: 1000 }).catch((e: AppError) => e)) as AppError;
    expect(err.code).toBe('ncalayer_cancelled');
    expect(() => readFileSync(out)).toThrow();
  });
});
