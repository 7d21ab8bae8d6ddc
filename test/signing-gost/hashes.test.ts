import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Streebog, streebog256, streebog512 } from '../../src-shared/signing/gost/streebog';
import { Gost341194, gost341194, SBOX_CRYPTOPRO, SBOX_TEST } from '../../src-shared/signing/gost/gost341194';
import { createGostHash, gostDigest, gostHashForSignatureAlgorithm, OID } from '../../src-shared/signing/gost/index';
import { hex, rfcHex } from './helpers';

const ascii = (s: string) => new TextEncoder().encode(s);

// RFC 6986 §10.1: M1 = "012…012" (63 bytes); §10.2: M2 = CP1251 text, given as a big-endian number.
const M1 = ascii('012345678901234567890123456789012345678901234567890123456789012');
const M2 = rfcHex(
  'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
);

describe('Streebog (GOST R 34.11-2012)', () => {
  it('M2 is the CP1251 text of RFC 6986 §10.2', () => {
    expect(M2[0]).toBe(0xd1); // 'С' in CP1251
    expect(M2.length).toBe(72);
  });

  it('RFC 6986 M1 (512 and 256)', () => {
    expect(hex(streebog512(M1))).toBe(hex(rfcHex(
      '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b')));
    expect(hex(streebog256(M1))).toBe(hex(rfcHex('00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d')));
  });

  it('RFC 6986 M2 (512 and 256), a message longer than one block', () => {
    expect(hex(streebog512(M2))).toBe(hex(rfcHex(
      '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e')));
    expect(hex(streebog256(M2))).toBe(hex(rfcHex('508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d')));
  });

  it('empty message', () => {
    expect(hex(streebog512(new Uint8Array(0)))).toBe(
      '8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a');
    expect(hex(streebog256(new Uint8Array(0)))).toBe('3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
  });

  it('incremental updates in arbitrary chunks equal the one-shot digest', () => {
    fc.assert(fc.property(
      fc.uint8Array({ maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 10 }), fc.boolean(),
      (data, cuts, big) => {
        const bits = big ? 512 : 256;
        const h = new Streebog(bits);
        let off = 0;
        for (let i = 0; off < data.length; i++) {
          const n = cuts[i % cuts.length]!;
          h.update(data.subarray(off, off + n));
          off += n;
        }
        expect(hex(h.digest())).toBe(hex(bits === 512 ? streebog512(data) : streebog256(data)));
      }), { numRuns: 150 });
  });

  it('refuses use after digest()', () => {
    const h = new Streebog(512);
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow();
  });
});

describe('GOST R 34.11-94 / GOST 34.311-95', () => {
  // Published vectors of GOST R 34.11-94 (test parameter set) and of the CryptoPro parameter set (RFC 4357 era).
  const vectors: [string, string, string][] = [
    ['', 'ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d', '981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0'],
    ['abc', 'f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d', 'b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c'],
    ['message digest', 'ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d', 'bc6041dd2aa401ebfa6e9886734174febdb4729aa972d60f549ac39b29721ba0'],
    ['The quick brown fox jumps over the lazy dog',
      '77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294', '9004294a361a508c586fe53d1f1b02746765e71b765472786e4770d565830a76'],
    ['U'.repeat(128), '53a3a3ed25180cef0c1d85a074273e551c25660a87062a52d926a9e8fe5733a4', '1c4ac7614691bbf427fa2316216be8f10d92edfd37cd1027514c1008f649c4e8'],
  ];
  for (const [msg, testSet, cryptoPro] of vectors) {
    it(`"${msg.slice(0, 20)}${msg.length > 20 ? '…' : ''}" with both S-boxes`, () => {
      expect(hex(gost341194(ascii(msg), SBOX_TEST))).toBe(testSet);
      expect(hex(gost341194(ascii(msg), SBOX_CRYPTOPRO))).toBe(cryptoPro);
    });
  }

  it('one million "a" (test parameter set), fed in uneven chunks', () => {
    const h = new Gost341194(SBOX_TEST);
    const chunk = ascii('a'.repeat(999));
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      h.update(chunk.subarray(0, n));
      left -= n;
    }
    expect(hex(h.digest())).toBe('5c00ccc2734cdd3332d3d4749576e3c1a7dbaf0e7ea74e9fa602413c90a129fa');
  });
});

describe('digest selection by OID', () => {
  const data = ascii('message digest');
  it('Kazakh digest OIDs', () => {
    expect(hex(gostDigest(OID.kzGost34311, data)!)).toBe(hex(gost341194(data, SBOX_TEST)));
    expect(hex(gostDigest(OID.kzStreebog256, data)!)).toBe(hex(streebog256(data)));
    expect(hex(gostDigest(OID.kzStreebog512, data)!)).toBe(hex(streebog512(data)));
  });
  it('Russian digest OIDs (GOST R 34.11-94 defaults to the CryptoPro S-box)', () => {
    expect(hex(gostDigest(OID.ruGost341194, data)!)).toBe(hex(gost341194(data, SBOX_CRYPTOPRO)));
    expect(hex(gostDigest(OID.ruStreebog256, data)!)).toBe(hex(streebog256(data)));
    expect(hex(gostDigest(OID.ruStreebog512, data)!)).toBe(hex(streebog512(data)));
  });
  it('non-GOST OIDs give null', () => {
    expect(gostDigest('2.16.840.1.101.3.4.2.1', data)).toBeNull();
    expect(createGostHash('2.16.840.1.101.3.4.2.1')).toBeNull();
    expect(gostHashForSignatureAlgorithm('1.2.840.113549.1.1.11')).toBeNull();
  });
  it('hash for a signature algorithm', () => {
    const kz512 = gostHashForSignatureAlgorithm(OID.kzGost2015Signature512)!;
    expect(kz512.name).toBe('streebog512');
    expect(hex(kz512.hash(data))).toBe(hex(streebog512(data)));
    const kz2004 = gostHashForSignatureAlgorithm(OID.kzGost2004Signature)!;
    expect(kz2004.name).toBe('gost341194');
    expect(hex(kz2004.hash(data))).toBe(hex(gost341194(data, SBOX_TEST)));
    expect(gostHashForSignatureAlgorithm(OID.ruGost2012Signature256)!.name).toBe('streebog256');
    expect(hex(gostHashForSignatureAlgorithm(OID.ruGost2001Signature)!.hash(data))).toBe(hex(gost341194(data, SBOX_CRYPTOPRO)));
  });
  it('streaming hash equals one-shot', () => {
    const h = createGostHash(OID.kzStreebog512)!;
    h.update(data.subarray(0, 5)).update(data.subarray(5));
    expect(hex(h.digest())).toBe(hex(streebog512(data)));
  });
});


