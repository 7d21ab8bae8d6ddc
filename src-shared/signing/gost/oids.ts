/**
 * GOST object identifiers: Kazakh (1.2.398.3.10.*, NCA RK / Kalkan) and Russian (1.2.643.*).
 *
 * "verified" below = checked against the NCA RK test certificates in test/fixtures/nca
 * (test/signing-gost). Unverified mappings follow the public sources named in the notes.
 */
import type { GostCurveName } from './curves';
import type { SBox } from './gost341194';
import { SBOX_CRYPTOPRO, SBOX_TEST } from './gost341194';

export type GostHashName = 'streebog256' | 'streebog512' | 'gost341194';
/** kz: signature = r‖s, each little-endian (Kalkan); rfc4491: s‖r, each big-endian (RFC 4491 / 9215). */
export type GostSignatureLayout = 'kz' | 'rfc4491';

export interface GostFamily {
  keyBits: 256 | 512;
  hash: GostHashName;
  layout: GostSignatureLayout;
  /** S-box of GOST R 34.11-94 when the key parameters do not name one */
  defaultSBox?: SBox;
}

/** Lookup tables without a prototype, so OIDs like "constructor" or "__proto__" find nothing. */
function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

const KZ_2004: GostFamily = { keyBits: 256, hash: 'gost341194', layout: 'kz', defaultSBox: SBOX_TEST };
const KZ_2015_256: GostFamily = { keyBits: 256, hash: 'streebog256', layout: 'kz' };
const KZ_2015_512: GostFamily = { keyBits: 512, hash: 'streebog512', layout: 'kz' };
const RU_2001: GostFamily = { keyBits: 256, hash: 'gost341194', layout: 'rfc4491', defaultSBox: SBOX_CRYPTOPRO };
const RU_2012_256: GostFamily = { keyBits: 256, hash: 'streebog256', layout: 'rfc4491' };
const RU_2012_512: GostFamily = { keyBits: 512, hash: 'streebog512', layout: 'rfc4491' };

export const OID = {
  // Kazakhstan
  kzGost2004PublicKey: '1.2.398.3.10.1.1.1.1',
  kzGost2004ParamSetA: '1.2.398.3.10.1.1.1.1.1',
  kzGost2004Signature: '1.2.398.3.10.1.1.1.2',
  kzGost2015PublicKey256: '1.2.398.3.10.1.1.2.1',
  kzGost2015ParamSet256A: '1.2.398.3.10.1.1.2.1.1',
  kzGost2015PublicKey512: '1.2.398.3.10.1.1.2.2',
  kzGost2015ParamSet512A: '1.2.398.3.10.1.1.2.2.1',
  kzGost2015Signature256: '1.2.398.3.10.1.1.2.3.1',
  kzGost2015Signature512: '1.2.398.3.10.1.1.2.3.2',
  kzGost34311: '1.2.398.3.10.1.3.1',
  kzGost34311ParamSet: '1.2.398.3.10.1.3.1.1.0',
  kzStreebog256: '1.2.398.3.10.1.3.2',
  kzStreebog512: '1.2.398.3.10.1.3.3',
  // Russia
  ruGost2001PublicKey: '1.2.643.2.2.19',
  ruGost2001Signature: '1.2.643.2.2.3',
  ruGost341194: '1.2.643.2.2.9',
  ruGost341194TestParamSet: '1.2.643.2.2.30.0',
  ruGost341194CryptoProParamSet: '1.2.643.2.2.30.1',
  ruGost2012PublicKey256: '1.2.643.7.1.1.1.1',
  ruGost2012PublicKey512: '1.2.643.7.1.1.1.2',
  ruStreebog256: '1.2.643.7.1.1.2.2',
  ruStreebog512: '1.2.643.7.1.1.2.3',
  ruGost2012Signature256: '1.2.643.7.1.1.3.2',
  ruGost2012Signature512: '1.2.643.7.1.1.3.3',
  ruCryptoProA: '1.2.643.2.2.35.1',
  ruTc26_256A: '1.2.643.7.1.2.1.1.1',
  ruTc26_512A: '1.2.643.7.1.2.1.2.1',
} as const;

/** Public-key algorithm OIDs. */
export const PUBLIC_KEY_FAMILIES: Readonly<Record<string, GostFamily>> = table({
  [OID.kzGost2004PublicKey]: KZ_2004,
  [OID.kzGost2015PublicKey256]: KZ_2015_256,
  [OID.kzGost2015PublicKey512]: KZ_2015_512,
  [OID.ruGost2001PublicKey]: RU_2001,
  [OID.ruGost2012PublicKey256]: RU_2012_256,
  [OID.ruGost2012PublicKey512]: RU_2012_512,
});

/** Signature algorithm OIDs (CMS SignerInfo may also carry a public-key OID instead). */
export const SIGNATURE_FAMILIES: Readonly<Record<string, GostFamily>> = table({
  [OID.kzGost2004Signature]: KZ_2004,
  [OID.kzGost2015Signature256]: KZ_2015_256,
  [OID.kzGost2015Signature512]: KZ_2015_512,
  [OID.ruGost2001Signature]: RU_2001,
  [OID.ruGost2012Signature256]: RU_2012_256,
  [OID.ruGost2012Signature512]: RU_2012_512,
  ...PUBLIC_KEY_FAMILIES,
});

/** Curve parameter-set OIDs. */
export const CURVE_BY_PARAM_OID: Readonly<Record<string, GostCurveName>> = table({
  // Kazakhstan
  [OID.kzGost2004ParamSetA]: 'cryptopro-a', // verified (NCA GOST test CA and ceo_valid_sign_2004_gost.cer)
  [OID.kzGost2015ParamSet512A]: 'tc26-512-a', // verified (NCA GOST 2022 test CA and gost1.cer)
  [OID.kzGost2015ParamSet256A]: 'tc26-256-a', // NOT verified: no 256-bit Kazakh certificate seen
  // Russia — RFC 4357 (CryptoPro) and RFC 7836 / TC26
  '1.2.643.2.2.35.0': 'gost2001-test',
  '1.2.643.2.2.35.1': 'cryptopro-a',
  '1.2.643.2.2.35.2': 'cryptopro-b',
  '1.2.643.2.2.35.3': 'cryptopro-c',
  '1.2.643.2.2.36.0': 'cryptopro-a', // XchA
  '1.2.643.2.2.36.1': 'cryptopro-c', // XchB
  '1.2.643.7.1.2.1.1.1': 'tc26-256-a',
  '1.2.643.7.1.2.1.1.2': 'cryptopro-a', // tc26-256-B
  '1.2.643.7.1.2.1.1.3': 'cryptopro-b', // tc26-256-C
  '1.2.643.7.1.2.1.1.4': 'cryptopro-c', // tc26-256-D
  '1.2.643.7.1.2.1.2.0': 'gost2012-512-test',
  '1.2.643.7.1.2.1.2.1': 'tc26-512-a',
  '1.2.643.7.1.2.1.2.2': 'tc26-512-b',
  '1.2.643.7.1.2.1.2.3': 'tc26-512-c',
});

/** GOST R 34.11-94 S-box named in key parameters (digestParamSet). */
export const SBOX_BY_PARAM_OID: Readonly<Record<string, SBox>> = table({
  [OID.kzGost34311ParamSet]: SBOX_TEST, // verified: the CryptoPro set does NOT verify the NCA 2004 test certificate
  [OID.ruGost341194TestParamSet]: SBOX_TEST,
  [OID.ruGost341194CryptoProParamSet]: SBOX_CRYPTOPRO,
});

/** CMS digestAlgorithm OIDs. */
export const DIGESTS: Readonly<Record<string, { name: GostHashName; sbox?: SBox }>> = table({
  [OID.kzGost34311]: { name: 'gost341194', sbox: SBOX_TEST },
  [OID.kzGost34311ParamSet]: { name: 'gost341194', sbox: SBOX_TEST },
  [OID.kzStreebog256]: { name: 'streebog256' },
  [OID.kzStreebog512]: { name: 'streebog512' },
  // id-GostR3411-94 without parameters means the CryptoPro S-box (RFC 4357 §10.4 / RFC 4490)
  [OID.ruGost341194]: { name: 'gost341194', sbox: SBOX_CRYPTOPRO },
  [OID.ruStreebog256]: { name: 'streebog256' },
  [OID.ruStreebog512]: { name: 'streebog512' },
});
