/** PAdES through the NCALayer simulator, checked by poppler's pdfsig (NSS) and by our verifier. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NcaLayerClient } from '../../src-main/ncalayer/client';
import { NCALAYER_PLACEHOLDER_BYTES, signPdfWithNcaLayer } from '../../src-main/ncalayer/pades';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import type { AppError } from '../../src-shared/rpc/errors';
import { makeNssDb, makePdf, pdfsig } from '../signing/helpers/tools';
import { startNcaLayerSimulator, type RunningSimulator } from './simulator';
import { ncaTestKeys, type NcaTestKeys } from './helpers';

let keys: NcaTestKeys;
let sim: RunningSimulator;
let client: NcaLayerClient;
let dir: string;
let nss: string;

beforeAll(async () => {
  keys = ncaTestKeys();
  sim = await startNcaLayerSimulator({ keys: keys.simKeys, activeTokens: ['AKKaztokenStore'] });
  client = new NcaLayerClient({ url: sim.url, ca: sim.caPem });
  dir = mkdtempSync(join(tmpdir(), 'seriktes-nca-pades-'));
  nss = makeNssDb(dir, keys.pki.write('root-for-nss.pem', keys.pki.root.pem));
});
afterAll(async () => {
  client.close();
  await sim.close();
  keys.pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('PAdES through NCALayer', () => {
  it('signs a PDF with the SIGN key the user picks: adbe.pkcs7.detached, 32 KB reserved, valid and trusted in pdfsig', async () => {
    const original = await makePdf({ text: 'Seriktes NCALayer PAdES' });
    const out = await signPdfWithNcaLayer(original, { client, expectedIin: '850722400563', locale: 'ru', appearance: { reason: 'Келісім / Согласие' } });
    expect(out.signer.subject.iin).toBe('850722400563');
    expect(Buffer.from(out.pdf.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const text = Buffer.from(out.pdf).toString('latin1');
    const contents = /\/Contents <([0-9A-Fa-f]+)>/.exec(text.slice(original.length))!;
    expect(contents[1]!.length).toBe(NCALAYER_PLACEHOLDER_BYTES * 2);
    const file = join(dir, 'nca-signed.pdf');
    writeFileSync(file, out.pdf);
    const r = pdfsig(file, nss);
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]!.text).toContain('adbe.pkcs7.detached');
    expect(r.signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    // The request sent the signed ranges themselves (the key's own hash), detached, for a SIGN key of this IIN.
    const req = sim.requests.at(-1) as { args: { signingParams: Record<string, unknown>; signerParams: Record<string, unknown> } };
    expect(req.args.signingParams).toMatchObject({ decode: true, encapsulate: false, digested: false });
    expect(req.args.signerParams).toMatchObject({ extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'], iin: '850722400563' });
    const rep = await verifyPdf(out.pdf, { anchors: [{ der: keys.pki.root.der, kind: 'test' }] });
    expect(rep.signatures[0]!.integrity).toBe('ok');
    expect(rep.signatures[0]!.pdf?.subFilter).toBe('adbe.pkcs7.detached');
    expect(rep.signatures[0]!.claimedSigningTime).toBeDefined();
  });

  it('above the data cap only a SHA-256 digest is sent (digested mode), and the result still verifies; a second signature keeps the first', async () => {
    const original = await makePdf({ pages: 2 });
    const first = await signPdfWithNcaLayer(original, { client, maxDataBytes: 0 });
    expect((sim.requests.at(-1) as { args: { signingParams: { digested: boolean } } }).args.signingParams.digested).toBe(true);
    const second = await signPdfWithNcaLayer(first.pdf, { client, storages: ['AKKaztokenStore'], expectedBin: '150340012340' });
    expect(second.signer.subject.bin).toBe('150340012340');
    const file = join(dir, 'nca-two.pdf');
    writeFileSync(file, second.pdf);
    const r = pdfsig(file, nss);
    expect(r.signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(r.signatures[1]!.total).toBe(true);
  });

  it('with tsaProfile NCALayer adds a signature timestamp: the signing time is proven, pdfsig still validates', async () => {
    const { startTsa } = await import('../signing/helpers/services');
    const tsa = await startTsa(keys.pki);
    const stamping = await startNcaLayerSimulator({ keys: keys.simKeys, tsaUrl: `${tsa.url}/` });
    try {
      const c = new NcaLayerClient({ url: stamping.url, ca: stamping.caPem });
      const out = await signPdfWithNcaLayer(await makePdf(), { client: c, timestamp: true, storages: ['PKCS12'] });
      c.close();
      expect((stamping.requests.at(-1) as { args: { signingParams: { tsaProfile: unknown } } }).args.signingParams.tsaProfile).toEqual({});
      expect(tsa.requests).toBe(1);
      const rep = await verifyPdf(out.pdf, { anchors: [{ der: keys.pki.root.der, kind: 'test' }] });
      expect(rep.signatures[0]!.timestamp?.status).toBe('valid');
      expect(rep.signatures[0]!.signingTime).toBeDefined();
      const file = join(dir, 'nca-stamped.pdf');
      writeFileSync(file, out.pdf);
      expect(pdfsig(file, nss).signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    } finally {
      await stamping.close();
      await tsa.close();
    }
  });

  it('a GOST 34.10-2015 key (NCA test key): the ranges go as data and NCALayer hashes them with Streebog-512; digest-only mode cannot serve it', async () => {
    const { readFileSync } = await import('node:fs');
    const { openPkcs12 } = await import('../../src-shared/signing/pkcs12');
    const fixtures = join(__dirname, '../fixtures/nca');
    const store = openPkcs12(new Uint8Array(readFileSync(join(fixtures, 'nca-test-gost2015/gost1.p12'))), 'Qwerty12');
    // The test certificate expired in 2024: the simulator and the checks run at a date inside its validity.
    const when = new Date('2024-05-01T10:00:00Z');
    const gost = await startNcaLayerSimulator({ keys: [{ storage: 'PKCS12', certDer: store.certificate, gostPkcs8: store.key.pkcs8, chainDer: store.chain }], now: () => when });
    try {
      const c = new NcaLayerClient({ url: gost.url, ca: gost.caPem });
      const out = await signPdfWithNcaLayer(await makePdf(), { client: c, now: when });
      expect(out.signer.algorithm).toBe('GOST_34_10_2015');
      const anchor = new Uint8Array(readFileSync(join(fixtures, 'nca-test/nca_gost2015_test.cer')));
      const rep = await verifyPdf(out.pdf, { anchors: [{ der: anchor, kind: 'test' }], now: when });
      expect(rep.signatures[0]!.integrity).toBe('ok');
      expect(rep.signatures[0]!.digestAlgorithm).toBe('1.2.398.3.10.1.3.3');
      expect(rep.signatures[0]!.chain.status).toBe('trusted');
      // Sending only a SHA-256 digest would make a GOST key sign the wrong hash: caught before embedding.
      const err = (await signPdfWithNcaLayer(await makePdf(), { client: c, now: when, maxDataBytes: 0 }).catch((e: AppError) => e)) as AppError;
      expect(err.code).toBe('signature_invalid');
      c.close();
    } finally {
      store.dispose();
      await gost.close();
    }
  });

  it('a CMS from the wrong person is refused before anything is embedded; a cancel leaves nothing either', async () => {
    const rogue = await startNcaLayerSimulator({ keys: keys.simKeys, activeTokens: ['AKKaztokenStore'], ignoreFilters: true });
    try {
      const c = new NcaLayerClient({ url: rogue.url, ca: rogue.caPem });
      rogue.script({ kind: 'choose', pick: (_k, f) => f.subject.iin === '900115301235' });
      const err = (await signPdfWithNcaLayer(await makePdf(), { client: c, expectedIin: '850722400563' }).catch((e: AppError) => e)) as AppError;
      expect(err.code).toBe('eds_iin_mismatch');
      rogue.script({ kind: 'choose', pick: (_k, f) => f.purpose === 'AUTH' });
      expect(((await signPdfWithNcaLayer(await makePdf(), { client: c }).catch((e: AppError) => e)) as AppError).code).toBe('cert_auth_key_for_signing');
      c.close();
    } finally {
      await rogue.close();
    }
    sim.script({ kind: 'cancel' });
    expect(((await signPdfWithNcaLayer(await makePdf(), { client }).catch((e: AppError) => e)) as AppError).code).toBe('ncalayer_cancelled');
  });
});
