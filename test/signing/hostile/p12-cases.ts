/**
 * Hand-made PKCS#12 files: structurally valid shells (built with der.ts) whose MAC, shrouded key
 * bags, PBES2 parameters or encrypted SafeContents ask for chosen iteration counts, hold too many
 * bags, or nest a 3 000 000-iteration key bag inside a correctly encrypted and MAC-ed SafeContents
 * (visible only after decryption: forge's key derivation itself must refuse it).
 */
import forge from 'node-forge';
import { concat, ctx0, int, nul, oct, oid, seq, tlv } from './der';

const O = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeShaRc2: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha256: '1.2.840.113549.2.9',
  aes256: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
};
const bytes = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17) & 0xff);
const u8 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const bin = (b: Uint8Array) => String.fromCharCode(...b);

const pbe = (iterations: number | string, alg = O.pbeSha3Des) => seq(oid(alg), seq(oct(bytes(8)), int(iterations)));
const pbes2 = (iterations: number | string) =>
  seq(oid(O.pbes2), seq(seq(oid(O.pbkdf2), seq(oct(bytes(16)), int(iterations), seq(oid(O.hmacSha256), nul()))), seq(oid(O.aes256), oct(bytes(16)))));
const keyBag = (alg: Uint8Array) => seq(oid(O.shroudedKeyBag), ctx0(seq(alg, oct(bytes(64)))));
const certBag = (der: Uint8Array) => seq(oid(O.certBag), ctx0(seq(oid(O.x509Certificate), ctx0(oct(der)))));
const dataCi = (content: Uint8Array) => seq(oid(O.data), ctx0(oct(content)));
const encryptedCi = (alg: Uint8Array, ciphertext: Uint8Array) => seq(oid(O.encryptedData), ctx0(seq(int(0), seq(oid(O.data), alg, tlv(0x80, ciphertext)))));
const macData = (iterations: number | string | null, digest = bytes(20)) =>
  seq(seq(seq(oid(O.sha1), nul()), oct(digest)), oct(bytes(8, 3)), ...(iterations === null ? [] : [int(iterations)]));
const pfx = (authSafe: Uint8Array[], mac: Uint8Array | null) => seq(int(3), dataCi(seq(...authSafe)), ...(mac ? [mac] : []));

/** A correct MAC over the AuthenticatedSafe (so forge goes on to decrypt what is inside). */
function realMac(authSafeDer: Uint8Array, password: string, iterations: number): Uint8Array {
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(bin(bytes(8, 3))), 3, iterations, 20);
  const hmac = forge.hmac.create();
  hmac.start('sha1', key);
  hmac.update(bin(authSafeDer));
  return macData(iterations, u8(hmac.digest().getBytes()));
}

/** 3DES PKCS#12-PBE encryption of `plain` (count 16): what forge decrypts before it sees the bags inside. */
function encrypt3des(plain: Uint8Array, password: string): Uint8Array {
  const pbeApi = (forge.pki as unknown as { pbe: { generatePkcs12Key(p: string, s: forge.util.ByteStringBuffer, id: number, it: number, n: number): forge.util.ByteStringBuffer } }).pbe;
  const key = pbeApi.generatePkcs12Key(password, forge.util.createBuffer(bin(bytes(8))), 1, 16, 24);
  const iv = pbeApi.generatePkcs12Key(password, forge.util.createBuffer(bin(bytes(8))), 2, 16, 8);
  // @types/node-forge does not declare forge.des (the legacy 3DES API PKCS#12 uses).
  const des = (forge as unknown as { des: { createEncryptionCipher(k: forge.util.ByteStringBuffer): forge.cipher.BlockCipher } }).des;
  const cipher = des.createEncryptionCipher(key);
  (cipher.start as (iv: unknown) => void)(iv); // forge.des wraps it as { iv } itself
  cipher.update(forge.util.createBuffer(bin(plain)));
  cipher.finish();
  return u8(cipher.output.getBytes());
}

export interface P12Case {
  name: string;
  bytes: Uint8Array;
  /** The one code this case must end in. */
  expect: string;
}

export function p12Cases(password: string, certificate: Uint8Array): P12Case[] {
  const cases: P12Case[] = [];
  const add = (name: string, b: Uint8Array, expect: string) => cases.push({ name: `p12-case-${name}`, bytes: b, expect });
  const keyOnly = (alg: Uint8Array) => [dataCi(seq(keyBag(alg)))];
  for (const n of [600_001, 3_000_000, 2 ** 31, 2 ** 48]) {
    add(`mac-iterations-${n}`, pfx(keyOnly(pbe(16)), macData(n)), 'pkcs12_iterations_too_high');
    add(`key-iterations-${n}`, pfx(keyOnly(pbe(n)), macData(16)), 'pkcs12_iterations_too_high');
    add(`pbes2-iterations-${n}`, pfx(keyOnly(pbes2(n)), macData(16)), 'pkcs12_iterations_too_high');
    add(`encrypted-data-iterations-${n}`, pfx([encryptedCi(pbe(n, O.pbeShaRc2), bytes(64))], macData(16)), 'pkcs12_iterations_too_high');
    add(`no-mac-key-iterations-${n}`, pfx(keyOnly(pbe(n)), null), 'pkcs12_iterations_too_high');
  }
  add('mac-iterations-2^64', pfx(keyOnly(pbe(16)), macData('ffffffffffffffff')), 'pkcs12_iterations_too_high');
  add('key-iterations-2^200', pfx(keyOnly(pbe('ff'.repeat(25))), macData(16)), 'pkcs12_iterations_too_high');
  add('mac-iterations-zero', pfx(keyOnly(pbe(16)), macData(0)), 'key_corrupt');
  add('key-iterations-negative', pfx(keyOnly(seq(oid(O.pbeSha3Des), seq(oct(bytes(8)), tlv(0x02, Uint8Array.of(0xff))))), macData(16)), 'key_corrupt');
  add('mac-wrong-password', pfx(keyOnly(pbe(16)), macData(16)), 'key_wrong_password');
  add('mac-default-one-iteration', pfx(keyOnly(pbe(16)), macData(null)), 'key_wrong_password');
  add('too-many-bags', pfx([dataCi(seq(...Array.from({ length: 100 }, () => certBag(certificate))))], macData(16)), 'key_corrupt');
  add('version-2', seq(int(2), dataCi(seq(...keyOnly(pbe(16)))), macData(16)), 'key_corrupt');
  add('authsafe-not-sequence', seq(int(3), dataCi(oct(bytes(10))), macData(16)), 'key_corrupt');
  add('empty-sequence', seq(), 'key_corrupt');
  add('empty-file', new Uint8Array(), 'key_corrupt');
  add('deep-indefinite', concat([u8('\x30\x80'.repeat(20_000)), new Uint8Array(40_000)]), 'key_corrupt');
  add('deep-definite', Array.from({ length: 2_000 }).reduce<Uint8Array>((inner) => seq(inner), int(1)), 'key_corrupt');
  add('huge-length', u8('\x30\x84\x7f\xff\xff\xff\x02\x01\x03'), 'key_corrupt');
  add('oversized-file', concat([u8('\x30\x84\x00\x20\x00\x00'), new Uint8Array(0x200000)]), 'file_too_large');

  // The key bag hides inside a correctly encrypted SafeContents: only forge's KDF sees its count.
  const inner = seq(keyBag(pbe(3_000_000)));
  const authSafe = seq(encryptedCi(pbe(16), encrypt3des(inner, password)));
  add('nested-key-bag-3000000', seq(int(3), dataCi(authSafe), realMac(authSafe, password, 16)), 'pkcs12_iterations_too_high');
  const innerPbes2 = seq(keyBag(pbes2(3_000_000)));
  const authSafe2 = seq(encryptedCi(pbe(16), encrypt3des(innerPbes2, password)));
  add('nested-pbes2-key-bag-3000000', seq(int(3), dataCi(authSafe2), realMac(authSafe2, password, 16)), 'pkcs12_iterations_too_high');
  return cases;
}
