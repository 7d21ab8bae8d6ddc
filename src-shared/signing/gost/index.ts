/**
 * GOST cryptography for the signature verifier — pure TypeScript on Uint8Array/BigInt, no Node or DOM
 * APIs, so the app, the portal and the renderer run the same code.
 *
 * Algorithms
 *  - Hashes: Streebog-256/512 (GOST R 34.11-2012 = Kazakh GOST 34.11-2015) and GOST R 34.11-94
 *    (= Kazakh GOST 34.311-95) with the "test" S-box (Kazakh, verified on NCA test certificates) or the
 *    CryptoPro S-box (Russian default).
 *  - Signatures: GOST R 34.10-2001/2012 math (= Kazakh GOST 34.310-2004 and GOST 34.10-2015) on the
 *    CryptoPro A/B/C (+XchA/XchB), TC26 256-A and TC26 512-A/B/C curves.
 *
 * Byte layouts
 *  - Public key (both countries): BIT STRING → OCTET STRING(x ‖ y), each coordinate little-endian.
 *  - Digest → integer e: read little-endian (both countries).
 *  - Signature value: Kazakh OIDs (1.2.398.*) r ‖ s, each little-endian; Russian OIDs (1.2.643.*)
 *    RFC 4491 s ‖ r, each big-endian. The two are byte-reversals of each other.
 *
 * API for the verifier (all synchronous). Throws GostError{code:'unsupported'} only when it cannot judge
 * (not a GOST signature algorithm; unknown GOST curve parameter set); every other failure — bad
 * signature, malformed input, non-GOST or off-curve key, r/s out of range, wrong length — is `false`:
 *  - isGostAlgorithm(oid)                       any GOST OID: public-key, signature or digest algorithm?
 *  - isGostSignatureAlgorithm(oid)              public-key or signature OID only
 *  - isGostDigestAlgorithm(oid)                 digest OID only (Streebog, GOST R 34.11-94 / 34.311-95)
 *  - gostHashForSignatureAlgorithm(sigAlgOid)   { name, hash(data) } for a signature (or key) OID, or null
 *  - gostDigest(digestOid, data)                CMS digestAlgorithm hash of data, or null if not GOST
 *  - createGostHash(digestOid)                  incremental { update, digest } for streamed content, or null
 *  - verifyGostSignature({ signatureAlgorithmOid, subjectPublicKeyInfoDer, data, signature, layout? })
 *        hashes data (GOST R 34.11-94 S-box from the key's digestParamSet), curve from the SPKI, verifies.
 *        CMS: data = DER of signedAttrs with the SET tag (0x31); signature = SignerInfo.signature bytes;
 *        signatureAlgorithmOid may be the signature OID or the public-key OID (both occur in CMS).
 *  - verifyGostSignatureOverDigest({ …, digest }) same with a digest computed elsewhere
 *  - verifyGostCertificate(certDer, issuerCertDer)  only the signature of the certificate under the issuer
 *        key (DER or PEM; also requires the TBS and outer AlgorithmIdentifiers to be equal) — no dates,
 *        names or extensions
 *  - certificateParts(cert)                     { tbs, signatureAlgorithmOid, signature, subjectPublicKeyInfoDer }
 *  - parseGostPublicKey(spkiDer)                { curve, x, y, keyBits, algorithmOid, paramSetOid, digestParamSetOid? }
 *  - parseGostPrivateKeyInfo(pkcs8Der), gostPublicPoint(curve, d)   GOST keys decrypted out of a .p12
 * Test helpers (deterministic with an injected random source; not constant-time): generateGostKeyPair,
 * signGost, encodeGostSubjectPublicKeyInfo, encodeGostSignature / decodeGostSignature.
 */
import { CURVES } from './curves';
import type { GostCurve, GostCurveName } from './curves';
import {
  bigIntToBytesBE, bigIntToBytesLE, bytesToBigIntBE, bytesToBigIntLE, digestToE, isOnCurve, multiply, signRaw, verifyRaw,
} from './ec';
import type { AffinePoint } from './ec';
import { bitStringBytes, children, concat, content, decodeOid, encodeOid, encoded, expectTag, pemOrDer, readTlv, tlv } from './der';
import { Gost341194 } from './gost341194';
import type { SBox } from './gost341194';
import { Streebog } from './streebog';
import type { IncrementalHash } from './streebog';
import { CURVE_BY_PARAM_OID, DIGESTS, PUBLIC_KEY_FAMILIES, SBOX_BY_PARAM_OID, SIGNATURE_FAMILIES } from './oids';
import type { GostFamily, GostHashName, GostSignatureLayout } from './oids';

export { CURVES };
export type { GostCurve, GostCurveName, GostHashName, GostSignatureLayout, IncrementalHash };
export { streebog256, streebog512 } from './streebog';
export { gost341194, SBOX_CRYPTOPRO, SBOX_TEST } from './gost341194';
export { OID } from './oids';

export class GostError extends Error {
  constructor(readonly code: 'unsupported' | 'malformed' | 'invalid-key', message: string) {
    super(message);
    this.name = 'GostError';
  }
}

/**
 * Any GOST OID (Kazakh or Russian): public-key, signature or digest algorithm. Digest OIDs are included
 * because the signing core routes CMS digestAlgorithm OIDs through this check too.
 */
export function isGostAlgorithm(oid: string): boolean {
  return Object.hasOwn(SIGNATURE_FAMILIES, oid) || Object.hasOwn(DIGESTS, oid);
}

/** A GOST public-key or signature algorithm OID? */
export function isGostSignatureAlgorithm(oid: string): boolean {
  return Object.hasOwn(SIGNATURE_FAMILIES, oid);
}

/** A GOST digest algorithm OID (CMS digestAlgorithm)? */
export function isGostDigestAlgorithm(oid: string): boolean {
  return Object.hasOwn(DIGESTS, oid);
}

function hasherFor(name: GostHashName, sbox: SBox | undefined): () => IncrementalHash {
  switch (name) {
    case 'streebog256': return () => new Streebog(256);
    case 'streebog512': return () => new Streebog(512);
    case 'gost341194': return () => new Gost341194(sbox);
  }
}

export function gostHashForSignatureAlgorithm(
  sigAlgOid: string,
): { name: GostHashName; hash(data: Uint8Array): Uint8Array } | null {
  if (!Object.hasOwn(SIGNATURE_FAMILIES, sigAlgOid)) return null;
  const family = SIGNATURE_FAMILIES[sigAlgOid]!;
  const make = hasherFor(family.hash, family.defaultSBox);
  return { name: family.hash, hash: (data) => make().update(data).digest() };
}

export function createGostHash(digestOid: string): IncrementalHash | null {
  if (!Object.hasOwn(DIGESTS, digestOid)) return null;
  const d = DIGESTS[digestOid]!;
  return hasherFor(d.name, d.sbox)();
}

export function gostDigest(digestOid: string, data: Uint8Array): Uint8Array | null {
  const h = createGostHash(digestOid);
  return h ? h.update(data).digest() : null;
}

export interface GostPublicKey {
  curve: GostCurveName;
  x: bigint;
  y: bigint;
  keyBits: 256 | 512;
  algorithmOid: string;
  paramSetOid: string;
  digestParamSetOid?: string;
}

/** Parse a GOST SubjectPublicKeyInfo; throws GostError. The point is checked to lie on the curve. */
export function parseGostPublicKey(spkiDer: Uint8Array): GostPublicKey {
  let algorithmOid: string;
  let paramSetOid: string;
  let digestParamSetOid: string | undefined;
  let point: Uint8Array;
  try {
    const spki = children(expectTag(readTlv(spkiDer), 0x30, 'SubjectPublicKeyInfo'));
    const alg = children(expectTag(spki[0], 0x30, 'AlgorithmIdentifier'));
    algorithmOid = decodeOid(alg[0]!);
    const params = alg[1];
    if (!params) throw new GostError('malformed', 'GOST public key without parameters');
    if (params.tag === 0x06) {
      paramSetOid = decodeOid(params);
    } else {
      const ps = children(expectTag(params, 0x30, 'GOST key parameters'));
      paramSetOid = decodeOid(ps[0]!);
      if (ps[1]?.tag === 0x06) digestParamSetOid = decodeOid(ps[1]);
    }
    point = content(expectTag(readTlv(bitStringBytes(expectTag(spki[1], 0x03, 'subjectPublicKey'))), 0x04, 'public key OCTET STRING'));
  } catch (e) {
    if (e instanceof GostError) throw e;
    throw new GostError('malformed', `cannot parse GOST public key: ${(e as Error).message}`);
  }
  const family = Object.hasOwn(PUBLIC_KEY_FAMILIES, algorithmOid) ? PUBLIC_KEY_FAMILIES[algorithmOid] : undefined;
  if (!family) throw new GostError('unsupported', `not a supported GOST public key algorithm: ${algorithmOid}`);
  const curveName = Object.hasOwn(CURVE_BY_PARAM_OID, paramSetOid) ? CURVE_BY_PARAM_OID[paramSetOid] : undefined;
  if (!curveName) throw new GostError('unsupported', `unknown GOST curve parameter set: ${paramSetOid}`);
  const curve = CURVES[curveName];
  if (curve.bits !== family.keyBits) throw new GostError('malformed', `${algorithmOid} with a ${curve.bits}-bit curve`);
  const n = curve.bits / 8;
  if (point.length !== 2 * n) throw new GostError('malformed', `public key must be ${2 * n} bytes, got ${point.length}`);
  const x = bytesToBigIntLE(point.subarray(0, n));
  const y = bytesToBigIntLE(point.subarray(n));
  if (!isOnCurve(curve, { x, y })) throw new GostError('invalid-key', 'public key point is not on the curve');
  const key: GostPublicKey = { curve: curveName, x, y, keyBits: curve.bits, algorithmOid, paramSetOid };
  if (digestParamSetOid) key.digestParamSetOid = digestParamSetOid;
  return key;
}

export function defaultLayout(oid: string): GostSignatureLayout {
  return SIGNATURE_FAMILIES[oid]?.layout ?? (oid.startsWith('1.2.398.') ? 'kz' : 'rfc4491');
}

export function encodeGostSignature(r: bigint, s: bigint, keyBits: 256 | 512, layout: GostSignatureLayout): Uint8Array {
  const n = keyBits / 8;
  return layout === 'kz'
    ? concat(bigIntToBytesLE(r, n), bigIntToBytesLE(s, n))
    : concat(bigIntToBytesBE(s, n), bigIntToBytesBE(r, n));
}

export function decodeGostSignature(sig: Uint8Array, keyBits: 256 | 512, layout: GostSignatureLayout): { r: bigint; s: bigint } | null {
  const n = keyBits / 8;
  if (sig.length !== 2 * n) return null;
  const a = sig.subarray(0, n);
  const b = sig.subarray(n);
  return layout === 'kz' ? { r: bytesToBigIntLE(a), s: bytesToBigIntLE(b) } : { r: bytesToBigIntBE(b), s: bytesToBigIntBE(a) };
}

function familyOf(signatureAlgorithmOid: string): GostFamily {
  const family = Object.hasOwn(SIGNATURE_FAMILIES, signatureAlgorithmOid) ? SIGNATURE_FAMILIES[signatureAlgorithmOid] : undefined;
  if (!family) throw new GostError('unsupported', `not a supported GOST signature algorithm: ${signatureAlgorithmOid}`);
  return family;
}

/** The GOST R 34.11-94 S-box named by the key, else the family's default. */
function sboxFor(family: GostFamily, key: GostPublicKey | null): SBox | undefined {
  const named = key?.digestParamSetOid ? SBOX_BY_PARAM_OID[key.digestParamSetOid] : undefined;
  return named ?? family.defaultSBox;
}

/**
 * Parse the key for verification: null (= does not verify) for malformed keys, points off the curve and
 * non-GOST keys (e.g. an RSA issuer); only an unknown GOST curve parameter set throws 'unsupported'.
 */
function keyOrNull(spkiDer: Uint8Array): GostPublicKey | null {
  try {
    return parseGostPublicKey(spkiDer);
  } catch (e) {
    if (e instanceof GostError && e.code === 'unsupported' && e.message.startsWith('unknown GOST curve')) throw e;
    return null;
  }
}

export interface VerifyGostInput {
  signatureAlgorithmOid: string;
  subjectPublicKeyInfoDer: Uint8Array;
  signature: Uint8Array;
  /** defaults from the signature algorithm OID: 1.2.398.* → 'kz', 1.2.643.* → 'rfc4491' */
  layout?: GostSignatureLayout;
}

export function verifyGostSignatureOverDigest(input: VerifyGostInput & { digest: Uint8Array }): boolean {
  const family = familyOf(input.signatureAlgorithmOid);
  const key = keyOrNull(input.subjectPublicKeyInfoDer);
  if (!key || key.keyBits !== family.keyBits) return false;
  const curve = CURVES[key.curve];
  const rs = decodeGostSignature(input.signature, key.keyBits, input.layout ?? family.layout);
  if (!rs) return false;
  return verifyRaw(curve, { x: key.x, y: key.y }, digestToE(curve, input.digest), rs.r, rs.s);
}

export function verifyGostSignature(input: VerifyGostInput & { data: Uint8Array }): boolean {
  const family = familyOf(input.signatureAlgorithmOid);
  const key = keyOrNull(input.subjectPublicKeyInfoDer);
  if (!key || key.keyBits !== family.keyBits) return false;
  const digest = hasherFor(family.hash, sboxFor(family, key))().update(input.data).digest();
  return verifyGostSignatureOverDigest({ ...input, digest });
}

export interface CertificateParts {
  tbs: Uint8Array;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
  subjectPublicKeyInfoDer: Uint8Array;
  /** the TBS `signature` AlgorithmIdentifier equals the outer one byte for byte */
  algorithmsMatch: boolean;
}

/** Split an X.509 certificate (DER or PEM) into the parts signature checks need; throws GostError. */
export function certificateParts(certDerOrPem: Uint8Array): CertificateParts {
  try {
    const der = pemOrDer(certDerOrPem);
    const cert = children(expectTag(readTlv(der), 0x30, 'Certificate'));
    const tbsTlv = expectTag(cert[0], 0x30, 'TBSCertificate');
    const outerAlg = expectTag(cert[1], 0x30, 'signatureAlgorithm');
    const tbs = children(tbsTlv);
    const offset = tbs[0]?.tag === 0xa0 ? 1 : 0; // version [0] is optional
    const innerAlg = expectTag(tbs[offset + 1], 0x30, 'TBS signature');
    const spki = expectTag(tbs[offset + 5], 0x30, 'SubjectPublicKeyInfo');
    const a = encoded(innerAlg);
    const b = encoded(outerAlg);
    return {
      tbs: encoded(tbsTlv),
      signatureAlgorithmOid: decodeOid(children(outerAlg)[0]!),
      signature: bitStringBytes(expectTag(cert[2], 0x03, 'signatureValue')),
      subjectPublicKeyInfoDer: encoded(spki),
      algorithmsMatch: a.length === b.length && a.every((x, i) => x === b[i]),
    };
  } catch (e) {
    throw new GostError('malformed', `cannot parse certificate: ${(e as Error).message}`);
  }
}

/** Does `certDer`'s signature verify under the public key of `issuerCertDer`? (DER or PEM inputs.) */
export function verifyGostCertificate(certDer: Uint8Array, issuerCertDer: Uint8Array): boolean {
  let cert: CertificateParts;
  let issuer: CertificateParts;
  try {
    cert = certificateParts(certDer);
    issuer = certificateParts(issuerCertDer);
  } catch {
    return false;
  }
  if (!isGostAlgorithm(cert.signatureAlgorithmOid)) {
    throw new GostError('unsupported', `not a GOST signature algorithm: ${cert.signatureAlgorithmOid}`);
  }
  if (!cert.algorithmsMatch) return false;
  return verifyGostSignature({
    signatureAlgorithmOid: cert.signatureAlgorithmOid,
    subjectPublicKeyInfoDer: issuer.subjectPublicKeyInfoDer,
    data: cert.tbs,
    signature: cert.signature,
  });
}

// ---------------------------------------------------------------------------------------------
// Test helpers: key generation, SPKI encoding and signing (not constant-time; never for real keys).
// ---------------------------------------------------------------------------------------------

export type RandomSource = (length: number) => Uint8Array;

const defaultRandom: RandomSource = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

function randomScalar(curve: GostCurve, random: RandomSource): bigint {
  for (;;) {
    const k = bytesToBigIntBE(random(curve.bits / 8 + 8)) % curve.q;
    if (k !== 0n) return k;
  }
}

export interface GostKeyPair { curve: GostCurveName; privateKey: bigint; x: bigint; y: bigint }

export function generateGostKeyPair(curve: GostCurveName, random: RandomSource = defaultRandom): GostKeyPair {
  const c = CURVES[curve];
  const d = randomScalar(c, random);
  const q = multiply(c, d) as AffinePoint;
  return { curve, privateKey: d, x: q.x, y: q.y };
}

/** SubjectPublicKeyInfo with GOST parameters SEQUENCE { paramSet, digestParamSet? } and x‖y little-endian. */
export function encodeGostSubjectPublicKeyInfo(opts: {
  publicKeyAlgorithmOid: string;
  paramSetOid: string;
  digestParamSetOid?: string;
  x: bigint;
  y: bigint;
}): Uint8Array {
  const curveName = CURVE_BY_PARAM_OID[opts.paramSetOid];
  if (!curveName) throw new GostError('unsupported', `unknown GOST curve parameter set: ${opts.paramSetOid}`);
  const n = CURVES[curveName].bits / 8;
  const params = tlv(0x30, concat(encodeOid(opts.paramSetOid), opts.digestParamSetOid ? encodeOid(opts.digestParamSetOid) : new Uint8Array(0)));
  const alg = tlv(0x30, concat(encodeOid(opts.publicKeyAlgorithmOid), params));
  const point = tlv(0x04, concat(bigIntToBytesLE(opts.x, n), bigIntToBytesLE(opts.y, n)));
  return tlv(0x30, concat(alg, tlv(0x03, concat(Uint8Array.of(0), point))));
}

/** Sign `data` (hashing it like verifyGostSignature does) and encode in the OID's layout. */
export function signGost(opts: {
  signatureAlgorithmOid: string;
  curve: GostCurveName;
  privateKey: bigint;
  data: Uint8Array;
  random?: RandomSource;
  layout?: GostSignatureLayout;
  /** GOST R 34.11-94 only: the key's digestParamSet (S-box) */
  digestParamSetOid?: string;
}): Uint8Array {
  const family = familyOf(opts.signatureAlgorithmOid);
  const c = CURVES[opts.curve];
  if (c.bits !== family.keyBits) throw new GostError('malformed', `${opts.signatureAlgorithmOid} needs a ${family.keyBits}-bit curve`);
  const sbox = (opts.digestParamSetOid && SBOX_BY_PARAM_OID[opts.digestParamSetOid]) || family.defaultSBox;
  const digest = hasherFor(family.hash, sbox)().update(opts.data).digest();
  const random = opts.random ?? defaultRandom;
  const { r, s } = signRaw(c, opts.privateKey, digestToE(c, digest), () => randomScalar(c, random));
  return encodeGostSignature(r, s, c.bits, opts.layout ?? family.layout);
}

export interface GostPrivateKey {
  curve: GostCurveName;
  privateKey: bigint;
  algorithmOid: string;
  paramSetOid: string;
  digestParamSetOid?: string;
}

/**
 * Parse a GOST PKCS#8 PrivateKeyInfo (as decrypted out of a .p12). The key inside the OCTET STRING is
 * an OCTET STRING of the little-endian scalar (NCA GOST 2015, RFC 9215) or an INTEGER (NCA GOST 2004).
 */
export function parseGostPrivateKeyInfo(pkcs8Der: Uint8Array): GostPrivateKey {
  try {
    const top = children(expectTag(readTlv(pkcs8Der), 0x30, 'PrivateKeyInfo'));
    const alg = children(expectTag(top[1], 0x30, 'AlgorithmIdentifier'));
    const algorithmOid = decodeOid(alg[0]!);
    const params = alg[1]!;
    const ps = params.tag === 0x06 ? [params] : children(expectTag(params, 0x30, 'GOST key parameters'));
    const paramSetOid = decodeOid(ps[0]!);
    const family = PUBLIC_KEY_FAMILIES[algorithmOid];
    const curveName = CURVE_BY_PARAM_OID[paramSetOid];
    if (!family || !curveName) throw new GostError('unsupported', `unsupported GOST private key ${algorithmOid} / ${paramSetOid}`);
    const raw = content(expectTag(top[2], 0x04, 'privateKey'));
    const n = CURVES[curveName].bits / 8;
    let d: bigint;
    if (raw[0] === 0x04 && raw.length > 2 && readTlv(raw).end === raw.length) d = bytesToBigIntLE(content(readTlv(raw)));
    else if (raw[0] === 0x02 && readTlv(raw).end === raw.length) d = bytesToBigIntBE(content(readTlv(raw)));
    else if (raw.length === n) d = bytesToBigIntLE(raw);
    else throw new GostError('malformed', 'unrecognised GOST private key encoding');
    if (d <= 0n || d >= CURVES[curveName].q) throw new GostError('invalid-key', 'GOST private key out of range');
    const out: GostPrivateKey = { curve: curveName, privateKey: d, algorithmOid, paramSetOid };
    if (ps[1]?.tag === 0x06) out.digestParamSetOid = decodeOid(ps[1]);
    return out;
  } catch (e) {
    if (e instanceof GostError) throw e;
    throw new GostError('malformed', `cannot parse GOST private key: ${(e as Error).message}`);
  }
}

/** Public point d·G of a private key (to match a key against its certificate). */
export function gostPublicPoint(curve: GostCurveName, privateKey: bigint): { x: bigint; y: bigint } {
  const pt = multiply(CURVES[curve], privateKey);
  if (!pt) throw new GostError('invalid-key', 'private key is a multiple of the group order');
  return pt;
}
