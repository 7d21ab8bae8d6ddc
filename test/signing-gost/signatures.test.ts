import { describe, expect, it } from 'vitest';
import { CURVES } from '../../src-shared/signing/gost/curves';
import type { GostCurveName } from '../../src-shared/signing/gost/curves';
import { isOnCurve, multiply, signRaw, verifyRaw } from '../../src-shared/signing/gost/ec';
import {
  decodeGostSignature, encodeGostSignature, encodeGostSubjectPublicKeyInfo, generateGostKeyPair, GostError, isGostAlgorithm, OID,
  parseGostPublicKey, signGost, verifyGostSignature, verifyGostSignatureOverDigest,
} from '../../src-shared/signing/gost/index';
import { streebog512 } from '../../src-shared/signing/gost/streebog';
import { flipBit, seededRandom } from './helpers';

describe('curve parameters', () => {
  for (const c of Object.values(CURVES)) {
    it(`${c.name}: G on the curve, q·G = O, (q-1)·G = -G`, () => {
      expect(isOnCurve(c, { x: c.x, y: c.y })).toBe(true);
      expect(multiply(c, c.q)).toBeNull();
      const minusG = multiply(c, c.q - 1n)!;
      expect(minusG.x).toBe(c.x);
      expect(minusG.y).toBe(c.p - c.y);
      expect(c.p.toString(2).length).toBeLessThanOrEqual(c.bits);
    });
  }
});

describe('GOST R 34.10-2001 example (RFC 5832 §7 / GOST R 34.10-2001 appendix A)', () => {
  const c = CURVES['gost2001-test'];
  const d = 0x7a929ade789bb9be10ed359dd39a72c11b60961f49397eee1d19ce9891ec3b28n;
  const e = 0x2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5n;
  const k = 0x77105c9b20bcd3122823c8cf6fcc7b956de33814e95b7fe64fed924594dceab3n;
  it('public key, signature and verification match the published values', () => {
    const q = multiply(c, d)!;
    expect(q.x).toBe(0x7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80bn);
    expect(q.y).toBe(0x26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77dan);
    const { r, s } = signRaw(c, d, e, () => k);
    expect(r).toBe(0x41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493n);
    expect(s).toBe(0x01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40n);
    expect(verifyRaw(c, q, e, r, s)).toBe(true);
    expect(verifyRaw(c, q, e + 1n, r, s)).toBe(false);
  });
});

interface Combo { label: string; key: string; param: string; digestParam?: string; sig: string; curve: GostCurveName }
const combos: Combo[] = [
  { label: 'KZ GOST 34.310-2004', key: OID.kzGost2004PublicKey, param: OID.kzGost2004ParamSetA, digestParam: OID.kzGost34311ParamSet, sig: OID.kzGost2004Signature, curve: 'cryptopro-a' },
  { label: 'KZ GOST 34.10-2015 512', key: OID.kzGost2015PublicKey512, param: OID.kzGost2015ParamSet512A, digestParam: OID.kzStreebog512, sig: OID.kzGost2015Signature512, curve: 'tc26-512-a' },
  { label: 'KZ GOST 34.10-2015 256', key: OID.kzGost2015PublicKey256, param: OID.kzGost2015ParamSet256A, digestParam: OID.kzStreebog256, sig: OID.kzGost2015Signature256, curve: 'tc26-256-a' },
  ...([['1.2.643.2.2.35.1', 'cryptopro-a'], ['1.2.643.2.2.35.2', 'cryptopro-b'], ['1.2.643.2.2.35.3', 'cryptopro-c'],
    ['1.2.643.2.2.36.0', 'cryptopro-a'], ['1.2.643.2.2.36.1', 'cryptopro-c']] as const).map(([param, curve]) => (
    { label: `RU GOST R 34.10-2001 ${param}`, key: OID.ruGost2001PublicKey, param, digestParam: OID.ruGost341194CryptoProParamSet, sig: OID.ruGost2001Signature, curve })),
  ...([['1.2.643.7.1.2.1.1.1', 'tc26-256-a'], ['1.2.643.7.1.2.1.1.2', 'cryptopro-a'], ['1.2.643.7.1.2.1.1.3', 'cryptopro-b'],
    ['1.2.643.7.1.2.1.1.4', 'cryptopro-c']] as const).map(([param, curve]) => (
    { label: `RU GOST R 34.10-2012 256 ${param}`, key: OID.ruGost2012PublicKey256, param, digestParam: OID.ruStreebog256, sig: OID.ruGost2012Signature256, curve })),
  ...([['1.2.643.7.1.2.1.2.1', 'tc26-512-a'], ['1.2.643.7.1.2.1.2.2', 'tc26-512-b'], ['1.2.643.7.1.2.1.2.3', 'tc26-512-c']] as const).map(([param, curve]) => (
    { label: `RU GOST R 34.10-2012 512 ${param}`, key: OID.ruGost2012PublicKey512, param, sig: OID.ruGost2012Signature512, curve })),
];

function keyFor(combo: Combo, seed: string) {
  const pair = generateGostKeyPair(combo.curve, seededRandom(seed));
  const spki = encodeGostSubjectPublicKeyInfo({
    publicKeyAlgorithmOid: combo.key, paramSetOid: combo.param, digestParamSetOid: combo.digestParam, x: pair.x, y: pair.y,
  });
  return { pair, spki };
}

describe('sign / verify round trips', () => {
  const data = new TextEncoder().encode('Seriktes: кепілдік шарты / договор ГЧП №1');
  for (const combo of combos) {
    it(combo.label, () => {
      const { pair, spki } = keyFor(combo, combo.label);
      const parsed = parseGostPublicKey(spki);
      expect(parsed.curve).toBe(combo.curve);
      expect(parsed.x).toBe(pair.x);
      const signature = signGost({
        signatureAlgorithmOid: combo.sig, curve: combo.curve, privateKey: pair.privateKey, data,
        digestParamSetOid: combo.digestParam, random: seededRandom(`k/${combo.label}`),
      });
      expect(signature.length).toBe(CURVES[combo.curve].bits / 4);
      expect(isGostAlgorithm(combo.sig) && isGostAlgorithm(combo.key)).toBe(true);

      const ok = (over: Partial<Parameters<typeof verifyGostSignature>[0]>) =>
        verifyGostSignature({ signatureAlgorithmOid: combo.sig, subjectPublicKeyInfoDer: spki, data, signature, ...over });
      expect(ok({})).toBe(true);
      // CMS SignerInfo may name the public-key algorithm instead of the signature algorithm
      expect(ok({ signatureAlgorithmOid: combo.key })).toBe(true);
      // negatives
      expect(ok({ data: flipBit(data, 3) })).toBe(false);
      expect(ok({ signature: flipBit(signature, 0) })).toBe(false);
      expect(ok({ signature: flipBit(signature, signature.length - 1, 7) })).toBe(false);
      expect(ok({ signature: signature.subarray(1) })).toBe(false);
      expect(ok({ layout: combo.sig.startsWith('1.2.398.') ? 'rfc4491' : 'kz' })).toBe(false);
      const other = keyFor(combo, `${combo.label}/other`);
      expect(ok({ subjectPublicKeyInfoDer: other.spki })).toBe(false);
    });
  }

  it('Kazakh and RFC 4491 layouts are byte-reversals of each other', () => {
    const kz = encodeGostSignature(5n, 7n, 256, 'kz');
    const rfc = encodeGostSignature(5n, 7n, 256, 'rfc4491');
    expect(Array.from(kz)).toEqual(Array.from(rfc).reverse());
    expect(decodeGostSignature(kz, 256, 'kz')).toEqual({ r: 5n, s: 7n });
    expect(decodeGostSignature(rfc, 256, 'rfc4491')).toEqual({ r: 5n, s: 7n });
  });

  it('signatures are randomized but always verify (20 signatures, 2004 and 2015-512)', () => {
    for (const combo of [combos[0]!, combos[1]!]) {
      const { pair, spki } = keyFor(combo, `multi/${combo.label}`);
      const random = seededRandom(`multi-k/${combo.label}`);
      const seen = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const msg = Uint8Array.of(i, 1, 2, 3);
        const sig = signGost({ signatureAlgorithmOid: combo.sig, curve: combo.curve, privateKey: pair.privateKey, data: msg, random });
        seen.add(Array.from(sig).join(','));
        expect(verifyGostSignature({ signatureAlgorithmOid: combo.sig, subjectPublicKeyInfoDer: spki, data: msg, signature: sig })).toBe(true);
      }
      expect(seen.size).toBe(10);
    }
  });
});

describe('malformed and out-of-range inputs', () => {
  const combo = combos[1]!; // KZ 2015 512
  const data = Uint8Array.of(1, 2, 3);
  const { pair, spki } = keyFor(combo, 'neg');
  const signature = signGost({ signatureAlgorithmOid: combo.sig, curve: combo.curve, privateKey: pair.privateKey, data, random: seededRandom('neg-k') });
  const c = CURVES[combo.curve];
  const verify = (over: Partial<Parameters<typeof verifyGostSignature>[0]>) =>
    verifyGostSignature({ signatureAlgorithmOid: combo.sig, subjectPublicKeyInfoDer: spki, data, signature, ...over });

  it('the unmodified signature verifies (control)', () => {
    expect(verify({})).toBe(true);
  });

  it('public key point not on the curve', () => {
    const offCurve = encodeGostSubjectPublicKeyInfo({ publicKeyAlgorithmOid: combo.key, paramSetOid: combo.param, digestParamSetOid: combo.digestParam, x: pair.x, y: (pair.y + 1n) % c.p });
    expect(() => parseGostPublicKey(offCurve)).toThrow(GostError);
    expect(verify({ subjectPublicKeyInfoDer: offCurve })).toBe(false);
  });

  it('r or s equal to 0 or q', () => {
    const { r, s } = decodeGostSignature(signature, 512, 'kz')!;
    for (const [rr, ss] of [[0n, s], [r, 0n], [c.q, s], [r, c.q], [r + c.q < 1n << 512n ? r + c.q : c.q, s]] as const) {
      expect(verify({ signature: encodeGostSignature(rr, ss, 512, 'kz') })).toBe(false);
    }
  });

  it('a 512-bit signature algorithm with a 256-bit key does not verify', () => {
    const small = keyFor(combos[0]!, 'small');
    expect(verify({ subjectPublicKeyInfoDer: small.spki })).toBe(false);
  });

  it('garbage SPKI does not verify; unknown algorithms and curves are "unsupported"', () => {
    expect(verify({ subjectPublicKeyInfoDer: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00) })).toBe(false);
    expect(verify({ subjectPublicKeyInfoDer: spki.subarray(0, spki.length - 5) })).toBe(false);
    expect(() => verify({ signatureAlgorithmOid: '1.2.840.113549.1.1.11' })).toThrow(expect.objectContaining({ code: 'unsupported' }));
    const unknownCurve = encodeGostSubjectPublicKeyInfo({ publicKeyAlgorithmOid: combo.key, paramSetOid: combo.param, x: pair.x, y: pair.y });
    const patched = unknownCurve.slice();
    // last arc of the parameter-set OID 1.2.398.3.10.1.1.2.2.1 → .9
    const at = patched.findIndex((b, i) => b === 0x06 && patched[i + 1] === 0x0a);
    patched[at + 11] = 0x09;
    expect(() => parseGostPublicKey(patched)).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('verification over a precomputed digest', () => {
    const digest = streebog512(data);
    expect(verifyGostSignatureOverDigest({ signatureAlgorithmOid: combo.sig, subjectPublicKeyInfoDer: spki, signature, digest })).toBe(true);
    expect(verifyGostSignatureOverDigest({ signatureAlgorithmOid: combo.sig, subjectPublicKeyInfoDer: spki, signature, digest: flipBit(digest, 10) })).toBe(false);
  });
});
